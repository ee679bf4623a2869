/**
 * The simulator's saved conditions (조건식): the seed's examples, evaluated on the simulated KRX market from
 * the engine's trade events. A real user builds these in 영웅문4; the simulator needs a fixed, explainable set
 * whose membership actually changes during a demo, so each is a simple rule on per-second buckets of trades.
 *
 *   0 상승추세   up on the day by ≥ UPTREND_MIN_CHANGE_PCT and above its own 30 s average price
 *   1 거래량급증 the VOLUME_SURGE_TOP_N names whose last-10 s volume is the largest multiple of their own
 *                average 10 s volume (at least VOLUME_SURGE_MIN_RATIO) — a ranking, so it always has hits
 *                once warmed up and its members rotate every few seconds
 *   2 신고가돌파 trading at the day's high, above the previous close (leaves NEW_HIGH_EXIT_PCT below it)
 *   3 골든크로스 5 s average price above the 20 s average by GOLDEN_CROSS_MIN_GAP
 *   4 급등주     up ≥ SURGE_MIN_PCT over the last 30 s, or ≥ SURGE_DAY_PCT on the day
 *
 * Membership is re-evaluated every EVAL_INTERVAL_MS of engine time, so a test that steps the engine with a
 * fake clock sees the same hits as a live run, and `onChange` fires once per symbol entering or leaving.
 */
import type { SymbolId } from '../../../lib/contracts';
import type { EngineTrade } from '../../market/engine-types';
import type { MarketEngine } from '../../market/market-engine';

export interface ConditionDef {
  /** The condition's seq as CNSRLST lists it. */
  id: string;
  name: string;
}

export const SIM_CONDITIONS: readonly ConditionDef[] = [
  { id: '0', name: '상승추세' },
  { id: '1', name: '거래량급증' },
  { id: '2', name: '신고가돌파' },
  { id: '3', name: '골든크로스' },
  { id: '4', name: '급등주' },
];

/** One re-evaluation a second: fast enough for a live list, slow enough not to flap on every print. */
export const EVAL_INTERVAL_MS = 1_000;
/** Per-symbol history: 60 one-second buckets cover the longest window any rule looks at. */
const BUCKET_MS = 1_000;
const HISTORY_BUCKETS = 60;
/** Volume windows: recent 10 s against the average 10 s of the history. */
const VOLUME_RECENT_BUCKETS = 10;
/** A surge needs some history to compare against; 20 s keeps first hits well inside the 30 s promise. */
const VOLUME_MIN_HISTORY_BUCKETS = 20;
/** Three names keeps the list readable and gives several inserts/deletes a minute as ranks change. */
const VOLUME_SURGE_TOP_N = 3;
/** "More than usual": 1.2× the name's own average 10 s volume. Bursts run ~4×, so leaders clear it easily. */
const VOLUME_SURGE_MIN_RATIO = 1.2;
const UPTREND_MIN_CHANGE_PCT = 0.5;
/** A new-high name leaves once it is 0.3 % off the high: a few ticks on most names, past the bid/ask bounce. */
const NEW_HIGH_EXIT_PCT = 0.3;
const UPTREND_AVERAGE_BUCKETS = 30;
const GOLDEN_SHORT_BUCKETS = 5;
const GOLDEN_LONG_BUCKETS = 20;
/** 0.05 %: a cross that is less than a tick on most names is noise, not a signal. */
const GOLDEN_CROSS_MIN_GAP = 0.0005;
const SURGE_WINDOW_BUCKETS = 30;
/** Daily volatility is 2–4 %; 0.7 % in 30 s is a real jump for these names. */
const SURGE_MIN_PCT = 0.7;
const SURGE_DAY_PCT = 5;

interface Bucket {
  start: number;
  volume: number;
  lastPrice: number;
}

interface SymbolHistory {
  buckets: Bucket[];
  last: EngineTrade;
}

export type ConditionListener = (conditionId: string, symbol: SymbolId, action: 'insert' | 'delete', ts: number) => void;

export class ConditionScanner {
  private readonly history = new Map<SymbolId, SymbolHistory>();
  private readonly members = new Map<string, Set<SymbolId>>(SIM_CONDITIONS.map((c) => [c.id, new Set<SymbolId>()]));
  private readonly listeners = new Set<ConditionListener>();
  private lastEval = -Infinity;
  private readonly onTrade = (trade: EngineTrade) => this.record(trade);

  constructor(private readonly engine: MarketEngine) {}

  start(): void {
    this.engine.on('trade', this.onTrade);
  }

  stop(): void {
    this.engine.off('trade', this.onTrade);
  }

  onChange(listener: ConditionListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  conditions(): readonly ConditionDef[] {
    return SIM_CONDITIONS;
  }

  /** Current hits of a condition, or undefined for an unknown id. */
  hits(conditionId: string): SymbolId[] | undefined {
    const set = this.members.get(conditionId);
    return set ? [...set] : undefined;
  }

  private record(trade: EngineTrade): void {
    if (!trade.symbol.startsWith('KRX:')) return;
    let h = this.history.get(trade.symbol);
    if (!h) {
      h = { buckets: [], last: trade };
      this.history.set(trade.symbol, h);
    }
    h.last = trade;
    const start = Math.floor(trade.ts / BUCKET_MS) * BUCKET_MS;
    const tail = h.buckets[h.buckets.length - 1];
    if (tail && tail.start === start) {
      tail.volume += trade.qty;
      tail.lastPrice = trade.price;
    } else {
      h.buckets.push({ start, volume: trade.qty, lastPrice: trade.price });
      if (h.buckets.length > HISTORY_BUCKETS) h.buckets.shift();
    }
    if (trade.ts - this.lastEval >= EVAL_INTERVAL_MS) {
      this.lastEval = trade.ts;
      this.evaluate(trade.ts);
    }
  }

  private evaluate(now: number): void {
    const next = new Map<string, Set<SymbolId>>(SIM_CONDITIONS.map((c) => [c.id, new Set<SymbolId>()]));
    const surge: Array<{ symbol: SymbolId; ratio: number }> = [];
    for (const [symbol, h] of this.history) {
      const series = this.secondsSeries(h, now);
      const last = h.last;
      const dayPct = ((last.price - last.prevClose) / last.prevClose) * 100;
      if (dayPct >= UPTREND_MIN_CHANGE_PCT && last.price >= mean(series.slice(-UPTREND_AVERAGE_BUCKETS).map((b) => b.price))) {
        next.get('0')!.add(symbol);
      }
      const filled = Math.min(series.length, Math.floor((now - h.buckets[0]!.start) / BUCKET_MS) + 1);
      if (filled >= VOLUME_MIN_HISTORY_BUCKETS) {
        const window = series.slice(-filled);
        const total = window.reduce((sum, b) => sum + b.volume, 0);
        const recent = window.slice(-VOLUME_RECENT_BUCKETS).reduce((sum, b) => sum + b.volume, 0);
        const averageWindow = (total / window.length) * VOLUME_RECENT_BUCKETS;
        if (averageWindow > 0) surge.push({ symbol, ratio: recent / averageWindow });
      }
      // Enter at the day's high; stay until the price gives back NEW_HIGH_EXIT_PCT, so one down-tick is not an exit.
      const wasHigh = this.members.get('2')!.has(symbol);
      const highFloor = wasHigh ? last.high * (1 - NEW_HIGH_EXIT_PCT / 100) : last.high;
      if (last.price >= highFloor && last.price > last.prevClose) next.get('2')!.add(symbol);
      if (series.length >= GOLDEN_LONG_BUCKETS) {
        const short = mean(series.slice(-GOLDEN_SHORT_BUCKETS).map((b) => b.price));
        const long = mean(series.slice(-GOLDEN_LONG_BUCKETS).map((b) => b.price));
        if (short > long * (1 + GOLDEN_CROSS_MIN_GAP)) next.get('3')!.add(symbol);
      }
      const before = series[Math.max(0, series.length - SURGE_WINDOW_BUCKETS)]!.price;
      if (((last.price - before) / before) * 100 >= SURGE_MIN_PCT || dayPct >= SURGE_DAY_PCT) next.get('4')!.add(symbol);
    }
    surge
      .filter((s) => s.ratio >= VOLUME_SURGE_MIN_RATIO)
      .sort((a, b) => b.ratio - a.ratio || (a.symbol < b.symbol ? -1 : 1))
      .slice(0, VOLUME_SURGE_TOP_N)
      .forEach((s) => next.get('1')!.add(s.symbol));

    for (const { id } of SIM_CONDITIONS) {
      const before = this.members.get(id)!;
      const after = next.get(id)!;
      this.members.set(id, after);
      for (const symbol of before) if (!after.has(symbol)) this.emit(id, symbol, 'delete', now);
      for (const symbol of after) if (!before.has(symbol)) this.emit(id, symbol, 'insert', now);
    }
  }

  /** Per-second volume and last price up to `now`, quiet seconds filled with zero volume and the last price. */
  private secondsSeries(h: SymbolHistory, now: number): Array<{ volume: number; price: number }> {
    const end = Math.floor(now / BUCKET_MS) * BUCKET_MS;
    const first = Math.max(h.buckets[0]!.start, end - (HISTORY_BUCKETS - 1) * BUCKET_MS);
    const out: Array<{ volume: number; price: number }> = [];
    let i = 0;
    let price = h.buckets[0]!.lastPrice;
    for (let t = first; t <= end; t += BUCKET_MS) {
      while (i < h.buckets.length && h.buckets[i]!.start < t) price = h.buckets[i++]!.lastPrice;
      const b = h.buckets[i];
      if (b && b.start === t) {
        price = b.lastPrice;
        out.push({ volume: b.volume, price });
        i++;
      } else {
        out.push({ volume: 0, price });
      }
    }
    return out;
  }

  private emit(id: string, symbol: SymbolId, action: 'insert' | 'delete', ts: number): void {
    for (const listener of this.listeners) listener(id, symbol, action, ts);
  }
}

function mean(values: number[]): number {
  return values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
}
