/**
 * A fleet of benchmark clients in one process: `node --import tsx bench/fanout-client.ts <socket.io|ws>`.
 * Each client subscribes to its symbols and checks, per symbol, that seq rises by exactly 1; latency is the
 * receipt time minus the event's `recvTs` (both read with preciseNow(), so sub-millisecond).
 */
import { io, type Socket } from 'socket.io-client';
import { WebSocket } from 'ws';
import type { ClientToServerEvents, ServerToClientEvents, SubscribeAck, TickEvent } from '../lib/contracts';
import { NO_CPU_WINDOW, startCpuWindow } from './cpu-window';
import { preciseNow } from './fanout-feed';
import { BARE_WS_PATH, type ClientStats, type FanoutTransport, type FromClients, type ToClients } from './fanout-protocol';
import { LatencyHistogram } from './latency-histogram';
import { parentChannel } from './processes';

/**
 * Clients connecting at once. Bounded so handshakes never overflow the server's accept backlog (511) or stall
 * its event loop, yet 500 clients still connect in about a second.
 */
const CONNECT_CONCURRENCY = 50;
/** A handshake or subscribe ack on 127.0.0.1 takes milliseconds; 15 s means the server is wedged. */
const CONNECT_TIMEOUT_MS = 15_000;
/** How often the drain check runs: fine enough that the drain time is not inflated by polling. */
const DRAIN_POLL_MS = 10;
/** Time for close frames to leave before exiting, so the server sees clean closes; the parent kills us after its own grace anyway. */
const CLOSE_GRACE_MS = 100;

type BenchSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

interface Client {
  /** Last seq seen per subscribed symbol. */
  lastSeq: Map<string, number>;
  close(): void;
}

const transport = process.argv[2] as FanoutTransport;
const clients: Client[] = [];
/** Latency of the measured run only: the warm-up's cold-JIT stalls are not what the relay does in steady state. */
let latency = new LatencyHistogram();
let received = 0;
/** `received` when the measured run began. */
let receivedBeforeMeasure = 0;
let inOrder = 0;
let gaps = 0;
let outOfOrder = 0;
let firstReceiptAt: number | null = null;
let lastReceiptAt: number | null = null;
let disconnects = 0;
const disconnectReasons = new Set<string>();
let exiting = false;
let measure: ReturnType<typeof startCpuWindow> | null = null;

function record(client: Client, symbol: string, seq: number, recvTs: number): void {
  const now = preciseNow();
  received += 1;
  if (firstReceiptAt === null) firstReceiptAt = now;
  lastReceiptAt = now;
  latency.record(now - recvTs);
  const previous = client.lastSeq.get(symbol);
  if (previous === undefined) return; // not subscribed by this client: the server broke routing; it counts as received only
  if (seq > previous) {
    gaps += seq - previous - 1;
    inOrder += 1;
    client.lastSeq.set(symbol, seq);
  } else {
    outOfOrder += 1;
  }
}

function noteDisconnect(reason: string): void {
  if (exiting) return;
  disconnects += 1;
  disconnectReasons.add(reason);
}

function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer in ${CONNECT_TIMEOUT_MS} ms`)), CONNECT_TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function connectSocketIo(url: string, symbols: string[]): Promise<string | null> {
  const socket: BenchSocket = io(url, { transports: ['websocket'], reconnection: false, forceNew: true, timeout: CONNECT_TIMEOUT_MS });
  const client: Client = { lastSeq: new Map(symbols.map((s) => [s, 0])), close: () => socket.disconnect() };
  clients.push(client);
  socket.on('tick', (event) => record(client, event.symbol, event.seq, event.recvTs));
  socket.on('disconnect', (reason) => noteDisconnect(`socket.io: ${reason}`));
  await withTimeout(
    new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    }),
    'socket.io connect',
  );
  const ack: SubscribeAck = await socket.timeout(CONNECT_TIMEOUT_MS).emitWithAck('subscribe', { symbols });
  const refused = ack.results.filter((r) => !r.ok).map((r) => r.id);
  if (ack.error || refused.length > 0) return `subscribe refused: ${ack.error?.message ?? refused.join(', ')}`;
  return null;
}

async function connectBareWs(url: string, symbols: string[]): Promise<string | null> {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}${BARE_WS_PATH}`);
  const client: Client = { lastSeq: new Map(symbols.map((s) => [s, 0])), close: () => ws.terminate() };
  clients.push(client);
  let onAck: ((ok: boolean) => void) | null = null;
  ws.on('message', (data) => {
    const message = JSON.parse(String(data)) as Partial<TickEvent> & { type?: string; results?: Array<{ ok: boolean }> };
    if (message.type === 'ack') onAck?.(message.results?.every((r) => r.ok) ?? false);
    else record(client, message.symbol!, message.seq!, message.recvTs!);
  });
  ws.on('close', (code) => noteDisconnect(`ws: close ${code}`));
  await withTimeout(
    new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    }),
    'ws connect',
  );
  const ok = await withTimeout(
    new Promise<boolean>((resolve) => {
      onAck = resolve;
      ws.send(JSON.stringify({ symbols }));
    }),
    'ws subscribe',
  );
  return ok ? null : 'subscribe refused';
}

async function connectAll(url: string, plan: string[][]): Promise<string[]> {
  const failures: string[] = [];
  const connect = transport === 'ws' ? connectBareWs : connectSocketIo;
  let next = 0;
  const worker = async () => {
    while (next < plan.length) {
      const symbols = plan[next++]!;
      const failure = await connect(url, symbols).catch((error: unknown) => (error instanceof Error ? error.message : String(error)));
      if (failure) failures.push(failure);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONNECT_CONCURRENCY, plan.length) }, worker));
  return failures;
}

function waitForDrain(perSymbol: Record<string, number>, deadline: number): void {
  let expected = 0;
  for (const client of clients) for (const symbol of client.lastSeq.keys()) expected += perSymbol[symbol] ?? 0;
  const finish = (drained: boolean) => {
    const stats: ClientStats = {
      clients: clients.length,
      expected,
      received,
      measuredReceived: received - receivedBeforeMeasure,
      lost: Math.max(0, expected - inOrder),
      gaps,
      outOfOrder,
      latency: latency.toJSON(),
      firstReceiptAt,
      lastReceiptAt,
      drained,
      disconnects,
      disconnectReasons: [...disconnectReasons],
      cpu: measure ? measure() : NO_CPU_WINDOW,
    };
    send({ type: 'stats', stats });
  };
  const poll = () => {
    if (inOrder >= expected) return finish(true);
    if (preciseNow() >= deadline) return finish(false);
    setTimeout(poll, DRAIN_POLL_MS);
  };
  poll();
}

const send = parentChannel<ToClients, FromClients>((message) => {
  switch (message.type) {
    case 'connect':
      connectAll(message.url, message.clients).then(
        (failures) => send({ type: 'subscribed', clients: clients.length, failures }),
        (error: unknown) => send({ type: 'error', message: String(error) }),
      );
      break;
    case 'measure-start':
      // Loss and order keep counting across the boundary; only rates and latencies restart.
      measure = startCpuWindow();
      latency = new LatencyHistogram();
      receivedBeforeMeasure = received;
      firstReceiptAt = null;
      lastReceiptAt = null;
      break;
    case 'expect':
      waitForDrain(message.perSymbol, message.deadline);
      break;
    case 'exit':
      exiting = true;
      for (const client of clients) client.close();
      setTimeout(() => process.exit(0), CLOSE_GRACE_MS);
      break;
  }
});
send({ type: 'ready', pid: process.pid });
