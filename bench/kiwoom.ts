/**
 * `npm run bench -- kiwoom`: how many Kiwoom REAL frames per second one core turns into normalized events
 * (decodeServerFrame + tickFromReal/hogaFromReal), beside plain `JSON.parse` of the same frames in the same run,
 * so the cost of validation and normalization is read against the floor any JSON consumer pays.
 *
 * Frames are what the simulator would send: trades and books from the seeded market engine, encoded with the
 * adapter's own codec (signed prices, KST times), several items per frame as one engine step batches them.
 */
import os from 'node:os';
import { decodeServerFrame, encodeServerFrame, type RealItem } from '../server/brokers/kiwoom/codec';
import { hogaFromReal, tickFromReal } from '../server/brokers/kiwoom/normalize';
import { bookItem, krxCode, tradeItem } from '../server/brokers/kiwoom/real-encode';
import type { EngineBook } from '../server/market/engine-types';
import { krxInstruments, MarketEngine } from '../server/market';
import { parseFlags, type FlagSpec } from './flags';
import { machineInfo, machineLine, writeResults } from './results';
import type { Bench } from './run';
import { printTable } from './table';

export const KIWOOM_FLAGS = {
  frames: { default: 20_000, min: 100, description: 'distinct REAL frames generated from the engine' },
  items: { default: 4, min: 1, max: 100, description: 'items per REAL frame (0B and 0D mixed, as one engine step batches them)' },
  rounds: { default: 5, min: 1, max: 50, description: 'timed passes over all frames per path (the median is reported)' },
} satisfies Record<string, FlagSpec>;

/** Engine steps of 50 ms, as the live engine runs. */
const STEP_MS = 50;
/** Seeded like the demo market, so every run encodes the same frames. */
const SEED = 20_260_101;

export interface KiwoomBenchOptions {
  frames: number;
  items: number;
  rounds: number;
}

export interface PathResult {
  path: string;
  framesPerSec: number;
  itemsPerSec: number;
  nsPerFrame: number;
}

/** REAL frame texts from the engine's trades and books, `items` per frame. */
export function buildFrames(frameCount: number, itemsPerFrame: number): { frames: string[]; bytes: number } {
  let now = Date.UTC(2026, 0, 5, 1, 0, 0);
  const engine = new MarketEngine({ seed: SEED, alwaysOpen: true, now: () => now, symbols: krxInstruments().map((i) => i.symbol) });
  const best = new Map<string, { ask: number | null; bid: number | null }>();
  const prevClose = new Map(engine.instruments().map((i) => [i.symbol, i.prevClose]));
  const items: RealItem[] = [];
  const frames: string[] = [];
  let bytes = 0;
  const push = (item: RealItem) => {
    items.push(item);
    if (items.length === itemsPerFrame) {
      const text = encodeServerFrame({ trnm: 'REAL', data: items.splice(0) });
      frames.push(text);
      bytes += Buffer.byteLength(text);
    }
  };
  engine.on('book', (book: EngineBook) => {
    best.set(book.symbol, { ask: book.asks[0]?.price ?? null, bid: book.bids[0]?.price ?? null });
    if (frames.length < frameCount) push(bookItem(krxCode(book.symbol), book, prevClose.get(book.symbol)!));
  });
  engine.on('trade', (trade) => {
    if (frames.length < frameCount) push(tradeItem(krxCode(trade.symbol), trade, best.get(trade.symbol) ?? { ask: null, bid: null }));
  });
  while (frames.length < frameCount) {
    now += STEP_MS;
    engine.step(STEP_MS);
  }
  return { frames: frames.slice(0, frameCount), bytes };
}

/** Keeps results observable so the JIT cannot drop the work. */
let sink = 0;

function jsonParse(frames: readonly string[]): number {
  let items = 0;
  for (const text of frames) items += (JSON.parse(text) as { data: unknown[] }).data.length;
  return items;
}

function decodeOnly(frames: readonly string[]): number {
  let items = 0;
  for (const text of frames) {
    const frame = decodeServerFrame(text);
    if (frame.trnm === 'REAL') items += frame.data.length;
  }
  return items;
}

function decodeNormalize(frames: readonly string[]): number {
  let items = 0;
  const recvTs = Date.now();
  for (const text of frames) {
    const frame = decodeServerFrame(text);
    if (frame.trnm !== 'REAL') continue;
    for (const item of frame.data) {
      const event = item.type === '0B' ? tickFromReal(item, recvTs) : item.type === '0D' ? hogaFromReal(item, recvTs) : null;
      if (event) {
        items++;
        sink += event.ts;
      }
    }
  }
  return items;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

export function measure(frames: readonly string[], rounds: number): PathResult[] {
  const paths: Array<[string, (f: readonly string[]) => number]> = [
    ['JSON.parse', jsonParse],
    ['decode (codec)', decodeOnly],
    ['decode + normalize', decodeNormalize],
  ];
  // One untimed pass each warms the JIT; then rounds interleave the paths so drift from other load hits all alike.
  for (const [, run] of paths) run(frames);
  const times = new Map<string, number[]>(paths.map(([name]) => [name, []]));
  const itemCounts = new Map<string, number>();
  for (let r = 0; r < rounds; r++) {
    for (const [name, run] of paths) {
      const t0 = process.hrtime.bigint();
      const items = run(frames);
      const ns = Number(process.hrtime.bigint() - t0);
      times.get(name)!.push(ns);
      itemCounts.set(name, items);
    }
  }
  return paths.map(([name]) => {
    const ns = median(times.get(name)!);
    return {
      path: name,
      framesPerSec: (frames.length / ns) * 1e9,
      itemsPerSec: (itemCounts.get(name)! / ns) * 1e9,
      nsPerFrame: ns / frames.length,
    };
  });
}

export async function runKiwoomBench(options: KiwoomBenchOptions, write = true): Promise<{ results: PathResult[]; markdown: string }> {
  const { frames, bytes } = buildFrames(options.frames, options.items);
  // Other processes on a shared box shift every path alike (the rounds interleave), but say how busy it was.
  const loadBefore = os.loadavg()[0]!;
  const results = measure(frames, options.rounds);
  const loadAfter = os.loadavg()[0]!;
  const base = results[0]!.framesPerSec;
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  const table = printTable(
    ['path', 'frames/s', 'items/s', 'ns/frame', 'vs JSON.parse'],
    results.map((r) => [r.path, fmt(r.framesPerSec), fmt(r.itemsPerSec), fmt(r.nsPerFrame), `${(r.framesPerSec / base).toFixed(2)}×`]),
  );
  const line = machineLine(machineInfo());
  const load = `load average ${loadBefore.toFixed(2)} → ${loadAfter.toFixed(2)}`;
  console.log(`\n${options.frames} frames × ${options.items} items (avg ${Math.round(bytes / frames.length)} bytes), median of ${options.rounds} rounds; ${load}; ${line}`);
  if (write) {
    const written = await writeResults('kiwoom', {
      options,
      avgFrameBytes: Math.round(bytes / frames.length),
      loadAverage: { before: loadBefore, after: loadAfter },
      results,
      table,
      machineLine: line,
      checksum: sink % 1000,
    });
    console.log(`results: ${written.file}`);
  }
  return { results, markdown: table.markdown };
}

export const kiwoomBench: Bench = {
  description: 'Kiwoom REAL frames/s through decode + normalize, beside JSON.parse of the same frames',
  async run(argv) {
    const flags = parseFlags(argv, KIWOOM_FLAGS);
    await runKiwoomBench({ frames: flags.frames, items: flags.items, rounds: flags.rounds });
    return 0;
  },
};
