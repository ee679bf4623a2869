/**
 * `npm run bench -- upbit`: how fast Sise turns Upbit frames into normalized events, against ccxt's own Upbit
 * handlers on the same frames in the same run.
 *
 * The frames are recorded first: the Upbit simulator, driven by a seeded market engine on a fixed clock, serves a
 * raw `ws` client subscribed to ticker, trade and orderbook (15 levels) of every KRW market, DEFAULT format — so
 * every run records the same bytes. Then each recorded Buffer goes through:
 *  - Sise: `UpbitAdapter.ingest` — the exact handler of the live public socket (decode with exact big integers,
 *    ticker merge, tick/hoga mapping, publish to a sink);
 *  - ccxt 4.5.84: what its Client.onMessage does (UTF-8 decode, the big-integer regex, JSON.parse), then
 *    `upbit.handleMessage` with the markets injected (protocols/upbit.md §7.3).
 * Both run in this process, alternating, several rounds; the table shows each side's median frames/s per type.
 * ccxt is a dev dependency of this benchmark only; nothing under server/ imports it.
 */
import { readFileSync } from 'node:fs';
import ccxt from 'ccxt';
import WebSocket from 'ws';
import type { SymbolId } from '../lib/contracts';
import { silentLogger } from '../server/logger';
import { MarketEngine } from '../server/market/market-engine';
import { upbitInstruments } from '../server/market/upbit-universe';
import type { FeedSink } from '../server/relay/feed';
import { UpbitAdapter } from '../server/brokers/upbit/adapter';
import { UpbitSimulator } from '../server/brokers/upbit/simulator';
import { startMachineWindow, waitForQuietMachine } from './cpu-window';
import { parseFlags, type FlagSpec } from './flags';
import { machineInfo, machineLine, writeResults } from './results';
import type { Bench } from './run';
import { printTable } from './table';

/** Enough frames that one pass takes well over a timer tick, few enough to record in a couple of seconds. */
const DEFAULT_FRAMES = 20_000;
/** Each measurement runs this long: long enough for the JIT to settle inside it, short enough for 3 rounds × 8. */
const DEFAULT_SECONDS = 1.5;
/** Medians of 3 alternating rounds: one disturbed round on a shared 2-core box does not decide the result. */
const DEFAULT_ROUNDS = 3;
/** The engine's seed: the recording is the same bytes every run. */
const SEED = 20_260_101;
/** A fixed start (a Monday, 12:00 KST) so the recording does not depend on when it is made. */
const CLOCK_START = Date.UTC(2026, 0, 5, 3, 0, 0);
/** Busy market: Upbit's KRW books during a rally, so trades and books both weigh in the recording. */
const ACTIVITY = 4;
/** Orderbook depth asked for, the same as the adapter's. */
const DEPTH = 15;
/** Aim from the issue: Sise at least this many times ccxt's frames/s. */
const TARGET_RATIO = 3;

/** Before measuring, wait for the machine to be this idle (percent of one core): other work skews both sides. */
const QUIET_BUSY_PERCENT = 15;
/** Give up waiting after this long on a shared box and run anyway, saying so. */
const DEFAULT_QUIET_WAIT_S = 60;

const FLAGS = {
  frames: { default: DEFAULT_FRAMES, min: 100, description: 'frames to record from the simulator' },
  seconds: { default: DEFAULT_SECONDS, min: 0.1, integer: false, description: 'seconds per measurement' },
  rounds: { default: DEFAULT_ROUNDS, min: 1, description: 'alternating rounds (median reported)' },
  'quiet-wait': { default: DEFAULT_QUIET_WAIT_S, min: 0, description: 'seconds to wait for an idle machine first (0: do not wait)' },
} satisfies Record<string, FlagSpec>;

type FrameType = 'ticker' | 'trade' | 'orderbook';
const FRAME_TYPES: FrameType[] = ['ticker', 'trade', 'orderbook'];

interface Recording {
  frames: Buffer[];
  byType: Record<FrameType, Buffer[]>;
  bytes: number;
}

/** Records `count` frames over a real socket from the simulator. */
async function record(count: number): Promise<Recording> {
  let clock = CLOCK_START;
  const symbols = upbitInstruments().map((i) => i.symbol);
  const engine = new MarketEngine({ seed: SEED, alwaysOpen: true, activity: ACTIVITY, symbols, now: () => clock });
  const sim = new UpbitSimulator({ engine });
  const urls = await sim.start();
  const ws = new WebSocket(urls.wsUrl);
  const frames: Buffer[] = [];
  ws.on('message', (data: Buffer) => frames.push(data));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const codes = symbols.map((s) => s.slice('UPBIT:'.length));
  ws.send(JSON.stringify([{ ticket: 'bench' }, { type: 'ticker', codes }, { type: 'trade', codes }, { type: 'orderbook', codes: codes.map((c) => `${c}.${DEPTH}`) }]));
  while (frames.length < count) {
    clock += 50;
    engine.step(50);
    await new Promise((resolve) => setImmediate(resolve));
  }
  ws.terminate();
  await sim.stop();
  const kept = frames.slice(0, count);
  const byType: Record<FrameType, Buffer[]> = { ticker: [], trade: [], orderbook: [] };
  for (const frame of kept) {
    const type = /^\{"type":"([a-z]+)"/.exec(frame.toString('utf8', 0, 24))?.[1] as FrameType | undefined;
    if (type && type in byType) byType[type].push(frame);
  }
  return { frames: kept, byType, bytes: kept.reduce((n, f) => n + f.length, 0) };
}

/** A parser under test: takes one recorded frame; `outputs` counts what it produced, to show both did the work. */
interface Parser {
  name: string;
  feed(frame: Buffer): void;
  outputs(): number;
}

function siseParser(codes: string[]): Parser {
  let events = 0;
  const sink: FeedSink = {
    tick: () => events++,
    hoga: () => events++,
    order: () => events++,
    balance: () => events++,
    condition: () => events++,
    state: () => undefined,
  };
  const adapter = new UpbitAdapter({ wsUrl: 'ws://127.0.0.1:9/unused', restUrl: 'http://127.0.0.1:9', credentials: null, realMoney: false, allowRealOrders: false, logger: silentLogger });
  // No start(): it would connect. The benchmark measures the frame path only.
  adapter.attachSink(sink);
  for (const code of codes) void adapter.subscribe(`UPBIT:${code}` as SymbolId);
  return { name: 'Sise (UpbitAdapter.ingest)', feed: (frame) => adapter.ingest(frame, Date.now()), outputs: () => events };
}

function ccxtParser(codes: string[]): Parser {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const exchange = new (ccxt as any).pro.upbit();
  exchange.setMarkets(
    codes.map((id) => {
      const base = id.slice(id.indexOf('-') + 1);
      return { id, symbol: `${base}/KRW`, base, quote: 'KRW', baseId: base, quoteId: 'KRW', type: 'spot', spot: true, active: true, precision: {}, limits: {} };
    }),
  );
  let resolved = 0;
  const client = { resolve: (result: unknown) => (resolved++, result) };
  return {
    name: `ccxt ${ccxtVersion()} (handleMessage)`,
    feed: (frame) => {
      // ccxt's Client.onMessage for a binary message, then its dispatch.
      const text = frame.toString('utf8');
      exchange.handleMessage(client, JSON.parse(text.replace(/:(\d{15,}),/g, ':"$1",')));
    },
    outputs: () => resolved,
  };
}

/** The installed package's version: ccxt 4.5.84's own `ccxt.version` still says 4.5.83. */
function ccxtVersion(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../node_modules/ccxt/package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return (ccxt as unknown as { version: string }).version;
  }
}

/** Frames per second over at least `seconds`, cycling through `frames`. */
function measure(parser: Parser, frames: Buffer[], seconds: number): number {
  const deadline = performance.now() + seconds * 1000;
  let done = 0;
  const started = performance.now();
  while (performance.now() < deadline) {
    for (const frame of frames) parser.feed(frame);
    done += frames.length;
  }
  return done / ((performance.now() - started) / 1000);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;

export const upbitBench: Bench = {
  description: 'Upbit frames → events: Sise vs ccxt on the same recorded frames',
  async run(argv) {
    const flags = parseFlags(argv, FLAGS);
    const recording = await record(flags.frames);
    const codes = upbitInstruments().map((i) => i.code);
    const sets: Array<[string, Buffer[]]> = [['all', recording.frames], ...FRAME_TYPES.map((t) => [t, recording.byType[t]] as [string, Buffer[]])];
    console.log(
      `recorded ${recording.frames.length} frames (${FRAME_TYPES.map((t) => `${recording.byType[t].length} ${t}`).join(', ')}), ${(recording.bytes / 2 ** 20).toFixed(1)} MB`,
    );

    // One warm pass each so neither side is measured while cold; the outputs show both handled every frame.
    const warmSise = siseParser(codes);
    const warmCcxt = ccxtParser(codes);
    for (const frame of recording.frames) warmSise.feed(frame);
    for (const frame of recording.frames) warmCcxt.feed(frame);
    const outputs = { sise: warmSise.outputs(), ccxt: warmCcxt.outputs() };

    let quietNote = '';
    if (flags['quiet-wait'] > 0) {
      const quiet = await waitForQuietMachine(QUIET_BUSY_PERCENT, flags['quiet-wait'] * 1000);
      if (!quiet.quiet) quietNote = `the machine was still ${quiet.busyPercent.toFixed(0)} % busy after ${flags['quiet-wait']} s of waiting; measured anyway`;
    }
    const machineWindow = startMachineWindow();
    const results: Record<string, { sise: number[]; ccxt: number[] }> = {};
    for (const [name] of sets) results[name] = { sise: [], ccxt: [] };
    for (let round = 0; round < flags.rounds; round++) {
      for (const [name, frames] of sets) {
        // Alternate which side goes first so drift in machine load does not favour one.
        const order = round % 2 === 0 ? (['sise', 'ccxt'] as const) : (['ccxt', 'sise'] as const);
        for (const side of order) {
          const parser = side === 'sise' ? warmSise : warmCcxt;
          results[name]![side].push(measure(parser, frames, flags.seconds));
        }
      }
    }

    const cpu = machineWindow();
    // This process keeps one core busy; the rest of the machine's busy time is other work sharing it.
    const otherLoadPercent = Math.max(0, cpu.busyPercent + cpu.softirqPercent + cpu.stealPercent - 100);
    const med = Object.fromEntries(Object.entries(results).map(([name, r]) => [name, { sise: median(r.sise), ccxt: median(r.ccxt) }]));
    const headers = ['frames/s', ...sets.map(([name]) => name)];
    const rows = [
      [warmSise.name, ...sets.map(([name]) => fmt(med[name]!.sise))],
      [warmCcxt.name, ...sets.map(([name]) => fmt(med[name]!.ccxt))],
      ['ratio Sise / ccxt', ...sets.map(([name]) => ratio(med[name]!.sise, med[name]!.ccxt))],
    ];
    const table = printTable(headers, rows);
    const machine = machineInfo();
    const all = med.all!;
    console.log(`\n${machineLine(machine)}`);
    console.log(`outputs on one pass: Sise ${outputs.sise} events, ccxt ${outputs.ccxt} resolves, from ${recording.frames.length} frames`);
    const aim = all.sise / all.ccxt >= TARGET_RATIO ? `meets the ${TARGET_RATIO}× aim` : `BELOW the ${TARGET_RATIO}× aim`;
    console.log(`Sise ${ratio(all.sise, all.ccxt)} ccxt on all frames: ${aim}`);
    console.log(`other load on the machine while measuring: ${otherLoadPercent.toFixed(0)} % of one core${quietNote ? ` (${quietNote})` : ''}`);
    const written = await writeResults('upbit', {
      flags,
      recording: { frames: recording.frames.length, bytes: recording.bytes, byType: Object.fromEntries(FRAME_TYPES.map((t) => [t, recording.byType[t].length])) },
      framesPerSecond: results,
      median: med,
      outputsOnePass: outputs,
      ratioAll: all.sise / all.ccxt,
      otherLoadPercent,
      quietNote: quietNote || null,
      table: table.markdown,
      machineLine: machineLine(machine),
    });
    console.log(`results: ${written.latest}`);
    return 0;
  },
};
