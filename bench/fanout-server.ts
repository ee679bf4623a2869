/**
 * The fan-out benchmark's server process:
 * `node --import tsx bench/fanout-server.ts <socket.io|ws> <symbols> [cork]`.
 *  - socket.io: the real Relay (FeedRouter + Relay + BenchFeed) on an http server at 127.0.0.1:0;
 *  - ws: the baseline, a bare `ws` server with a Map symbol → Set<WebSocket> and a per-symbol seq.
 * It reports readiness, load samples (RSS, queued messages) and the publish run to its parent over IPC.
 */
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo, Socket as NetSocket } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { WebSocketServer, type WebSocket } from 'ws';
import type { SymbolId } from '../lib/contracts';
import { parseSymbol } from '../lib/contracts';
import { silentLogger } from '../server/logger';
import type { FeedSink } from '../server/relay/feed';
import { FeedRouter } from '../server/relay/feed-router';
import { Relay } from '../server/relay/relay';
import { NO_CPU_WINDOW, startCpuWindow } from './cpu-window';
import { BenchFeed, benchSymbols, pace, preciseNow } from './fanout-feed';
import { BARE_WS_PATH, type FromServer, type LoadSample, type ToServer } from './fanout-protocol';
import { parentChannel } from './processes';

/** Often enough to catch an RSS peak that lasts a fraction of a second, rare enough to cost nothing. */
const SAMPLE_INTERVAL_MS = 100;
/** Event-loop delay sampling period: 1 ms resolves the stalls that matter next to ms latencies. */
const LOOP_DELAY_RESOLUTION_MS = 1;
const NS_PER_MS = 1e6;
const MB = 2 ** 20;

interface Backend {
  url: string;
  feed: BenchFeed;
  clientsConnected(): number;
  /** Messages and bytes queued towards clients right now. */
  queued(): { messages: number; bytes: number };
  close(): Promise<void>;
}

/** Socket.IO internals the sampler and the cork experiment use; not part of Socket.IO's typed API. */
interface EngineSocketInternals {
  writeBuffer?: unknown[];
  transport?: { socket?: { bufferedAmount?: number; _socket?: NetSocket } };
}

/** The TCP socket under a `ws` WebSocket (internal to ws). */
function rawSocketOf(ws: WebSocket): NetSocket | undefined {
  return (ws as unknown as { _socket?: NetSocket })._socket;
}

/**
 * The `--cork 1` experiment for the bare-ws baseline: holds a TCP socket's writes until the end of the current
 * event-loop turn, so a burst to one client leaves as one writev, as the relay does (server/relay/write-coalescing.ts).
 */
function corkForThisTurn(raw: NetSocket | undefined): void {
  if (!raw || raw.writableCorked > 0) return;
  raw.cork();
  process.nextTick(() => raw.uncork());
}

async function listen(http: HttpServer): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(0, '127.0.0.1', () => resolve());
  });
  return `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
}

async function startRelay(symbols: readonly SymbolId[]): Promise<Backend> {
  const feed = new BenchFeed(symbols);
  const router = new FeedRouter(new Map([['KRX', [feed]]]));
  const relay = new Relay({ router, logger: silentLogger });
  const http = createServer();
  const io = relay.attach(http);
  // The relay coalesces each client's writes per turn itself (server/relay/write-coalescing.ts).
  await feed.start(relay.sink);
  const url = await listen(http);
  return {
    url,
    feed,
    clientsConnected: () => relay.clients(),
    queued: () => {
      let messages = 0;
      let bytes = 0;
      for (const socket of io.of('/').sockets.values()) {
        const conn = socket.conn as unknown as EngineSocketInternals;
        messages += conn.writeBuffer?.length ?? 0;
        bytes += conn.transport?.socket?.bufferedAmount ?? 0;
      }
      return { messages, bytes };
    },
    close: async () => {
      await relay.close();
      await feed.stop();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

/**
 * The baseline a hand-written relay would be: subscribe by JSON message, stringify each event once and send the
 * same text to every subscriber, seq per symbol. No rooms, no acks, no heartbeats, no per-client queue.
 */
async function startBareWs(symbols: readonly SymbolId[], cork: boolean): Promise<Backend> {
  const feed = new BenchFeed(symbols);
  const viewers = new Map<SymbolId, Set<WebSocket>>();
  const seqs = new Map<SymbolId, number>();
  const http = createServer();
  const wss = new WebSocketServer({ server: http, path: BARE_WS_PATH });

  const sink: FeedSink = {
    tick: (event) => {
      const seq = (seqs.get(event.symbol) ?? 0) + 1;
      seqs.set(event.symbol, seq);
      const set = viewers.get(event.symbol);
      if (!set || set.size === 0) return;
      // Encoded once, like Socket.IO's broadcast, so the comparison is about the protocols, not about who
      // re-encodes the same string per client.
      const data = Buffer.from(JSON.stringify({ ...event, seq }));
      for (const ws of set) {
        if (cork) corkForThisTurn(rawSocketOf(ws));
        ws.send(data, { binary: false });
      }
    },
    hoga: () => {},
    order: () => {},
    balance: () => {},
    condition: () => {},
    state: () => {},
  };

  wss.on('connection', (ws) => {
    const held = new Set<SymbolId>();
    ws.on('message', (data) => {
      let request: unknown;
      try {
        request = JSON.parse(String(data));
      } catch {
        ws.send(JSON.stringify({ type: 'ack', ok: false, error: 'not JSON' }));
        return;
      }
      const texts = (request as { symbols?: unknown }).symbols;
      const results = (Array.isArray(texts) ? texts : []).map((text: unknown) => {
        const parsed = parseSymbol(text);
        if (!parsed.ok || !feed.knows(parsed.value.symbol)) return { id: String(text), ok: false };
        const symbol = parsed.value.symbol;
        held.add(symbol);
        let set = viewers.get(symbol);
        if (!set) viewers.set(symbol, (set = new Set()));
        set.add(ws);
        void feed.subscribe(symbol);
        return { id: symbol, ok: true };
      });
      ws.send(JSON.stringify({ type: 'ack', results }));
    });
    ws.on('close', () => {
      for (const symbol of held) viewers.get(symbol)?.delete(ws);
    });
  });

  await feed.start(sink);
  const url = await listen(http);
  return {
    url,
    feed,
    clientsConnected: () => wss.clients.size,
    queued: () => {
      let bytes = 0;
      for (const ws of wss.clients) bytes += ws.bufferedAmount;
      return { messages: 0, bytes };
    },
    close: async () => {
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await feed.stop();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

async function main(): Promise<void> {
  const [transport, symbolCount, corkFlag] = process.argv.slice(2);
  const symbols = benchSymbols(Number(symbolCount));
  const cork = corkFlag === 'cork';
  const backend = transport === 'ws' ? await startBareWs(symbols, cork) : await startRelay(symbols);
  let measure: ReturnType<typeof startCpuWindow> | null = null;
  const loopDelay = monitorEventLoopDelay({ resolution: LOOP_DELAY_RESOLUTION_MS });

  const sample = (): LoadSample => {
    const memory = process.memoryUsage();
    const queued = backend.queued();
    return {
      at: preciseNow(),
      rssMB: memory.rss / MB,
      heapUsedMB: memory.heapUsed / MB,
      queuedMessages: queued.messages,
      queuedBytes: queued.bytes,
    };
  };
  const send = parentChannel<ToServer, FromServer>((message) => {
    switch (message.type) {
      case 'publish': {
        // Each publish run (warm-up, then measured) gets fresh windows; the last one is what gets reported.
        measure = startCpuWindow();
        loopDelay.disable();
        loopDelay.reset();
        loopDelay.enable();
        const subscribedSymbols = backend.feed.subscriptions();
        send({ type: 'sample', sample: sample() });
        void pace(message.rate, message.seconds, (count) => backend.feed.publish(count)).then((run) => {
          const perSymbol: Record<string, number> = {};
          symbols.forEach((symbol, i) => (perSymbol[symbol] = backend.feed.published[i]!));
          send({ type: 'published', run, perSymbol, subscribedSymbols });
        });
        break;
      }
      case 'stats':
        send({ type: 'sample', sample: sample() });
        loopDelay.disable();
        send({
          type: 'stats',
          cpu: measure ? measure() : NO_CPU_WINDOW,
          loopDelayMs: {
            p50: loopDelay.percentile(50) / NS_PER_MS,
            p99: loopDelay.percentile(99) / NS_PER_MS,
            max: loopDelay.max / NS_PER_MS,
          },
          clientsConnected: backend.clientsConnected(),
        });
        break;
      case 'exit':
        clearInterval(sampler);
        void backend.close().finally(() => process.exit(0));
        break;
    }
  });
  const sampler = setInterval(() => send({ type: 'sample', sample: sample() }), SAMPLE_INTERVAL_MS);
  send({ type: 'ready', url: backend.url, pid: process.pid });
}

main().catch((error: unknown) => {
  console.error(error);
  if (process.send) process.send({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  process.exit(1);
});
