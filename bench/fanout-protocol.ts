/**
 * Messages between the fan-out benchmark's parent, its server process and its client processes (Node IPC).
 */
import type { HistogramJson } from './latency-histogram';
import type { PaceResult } from './fanout-feed';

/** `socket.io`: the real Relay. `ws`: the bare `ws` baseline. */
export type FanoutTransport = 'socket.io' | 'ws';
export const FANOUT_TRANSPORTS: readonly FanoutTransport[] = ['socket.io', 'ws'];

/** Path of the bare-ws endpoint; Socket.IO keeps its own `/socket.io/`. */
export const BARE_WS_PATH = '/bare';

export interface LoadSample {
  /** preciseNow() when sampled. */
  at: number;
  rssMB: number;
  heapUsedMB: number;
  /** Messages waiting in the server's per-client queues (engine.io write buffers; 0 for bare ws, which has none). */
  queuedMessages: number;
  /** Bytes handed to sockets but not yet to the kernel, summed over clients. */
  queuedBytes: number;
}

export interface CpuWindow {
  /** Event-loop utilization over the window, 0…1: near 1 means this process was the one at its limit. */
  elu: number;
  /** CPU time over wall time, in percent of one core. */
  cpuPercent: number;
  /** The kernel's share of cpuPercent: socket writes and reads (on loopback, the TCP work of both ends). */
  systemPercent: number;
}

/** How late the server's event loop ran its timers during the measured run (includes the process waiting for a core). */
export interface LoopDelay {
  p50: number;
  p99: number;
  max: number;
}

export type ToServer =
  | { type: 'publish'; rate: number; seconds: number }
  | { type: 'stats' }
  | { type: 'exit' };

export type FromServer =
  | { type: 'ready'; url: string; pid: number }
  | { type: 'sample'; sample: LoadSample }
  | {
      type: 'published';
      run: PaceResult;
      /** Ticks published per symbol. */
      perSymbol: Record<string, number>;
      /** How many symbols had upstream interest when publishing started. */
      subscribedSymbols: number;
    }
  | { type: 'stats'; cpu: CpuWindow; loopDelayMs: LoopDelay; clientsConnected: number }
  | { type: 'error'; message: string };

export type ToClients =
  | { type: 'connect'; url: string; clients: string[][] }
  /** The warm-up is over: restart latencies, receipt times and CPU windows (loss and order keep counting). */
  | { type: 'measure-start' }
  /** `deadline` is a preciseNow() time: the end of the drain wait. */
  | { type: 'expect'; perSymbol: Record<string, number>; deadline: number }
  | { type: 'exit' };

/** Loss and order counts cover the warm-up and the measured run; receipts' timing only the measured run. */
export interface ClientStats {
  clients: number;
  expected: number;
  /** Every event received, including any out of order. */
  received: number;
  /** Events received since `measure-start`. */
  measuredReceived: number;
  /** Events never received: expected − in-order receipts. */
  lost: number;
  /** Missing seq numbers seen as jumps while receiving (lost events that were followed by later ones). */
  gaps: number;
  /** Events whose seq was not above the previous one for the same symbol on the same client. */
  outOfOrder: number;
  /** Receipt time − recvTs, for receipts since `measure-start`. */
  latency: HistogramJson;
  firstReceiptAt: number | null;
  lastReceiptAt: number | null;
  /** Whether every expected event arrived before the drain deadline. */
  drained: boolean;
  disconnects: number;
  disconnectReasons: string[];
  cpu: CpuWindow;
}

export type FromClients =
  | { type: 'ready'; pid: number }
  | { type: 'subscribed'; clients: number; failures: string[] }
  | { type: 'stats'; stats: ClientStats }
  | { type: 'error'; message: string };
