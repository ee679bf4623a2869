/**
 * The fan-out benchmark's upstream: a Feed serving synthetic KRX symbols (`KRX:900001`…), publishing full
 * TickEvent payloads round-robin at a set rate. The same feed drives the relay and the bare-ws baseline, so
 * both carry the same bytes.
 */
import type { FeedState, Market, PriceSign, SymbolId, TickEvent } from '../lib/contracts';
import { formatSymbol } from '../lib/contracts';
import { krxTickSize } from '../lib/format/krx-tick-size';
import type { Feed, FeedSink, Unstamped } from '../server/relay/feed';

/** Codes 900001+ are not issued on KRX, so bench symbols can never be mistaken for real ones. */
const FIRST_BENCH_CODE = 900_001;
/** Six-digit codes end at 999999. */
export const MAX_BENCH_SYMBOLS = 999_999 - FIRST_BENCH_CODE + 1;
/** Timer period of the publisher: a few ms makes batches small (20 events at 10k/s) but keeps timer overhead low. */
export const PUBLISH_INTERVAL_MS = 2;
/**
 * Most events published in one timer tick when the publisher is behind. A broker socket read hands the adapter
 * at most 64 KB, about 200 ticks, so after a stall a real feed also catches up one read-sized burst per
 * event-loop turn; a bigger cap would make bursts (and Socket.IO's per-client queueing inside them) worse than
 * production ever sees.
 */
const MAX_BATCH_EVENTS = 200;
/** KRX daily price limit (±30 % of the previous close since 2015). */
const DAILY_LIMIT = 0.3;
/** Any fixed seed: runs are comparable because every run publishes the same prices. */
const FEED_SEED = 20_260_101;
/**
 * Previous closes start at LOWEST_PREV_CLOSE and rise by PREV_CLOSE_GROWTH per symbol, wrapping after
 * PREV_CLOSE_STEPS symbols: 1,500 × 1.035^189 ≈ 1.0 M won, so the symbols cover every KRX tick band and the
 * payloads carry prices from four to seven digits, as real ticks do.
 */
const LOWEST_PREV_CLOSE = 1_500;
const PREV_CLOSE_GROWTH = 1.035;
const PREV_CLOSE_STEPS = 190;
/** Chance that a trade moves the price one tick down, and one tick up; otherwise it trades at the last price. */
const DOWNTICK_CHANCE = 0.35;
const UPTICK_CHANCE = 0.35;
/** Mean shares per trade: KRX retail trades are mostly small, with a long tail (exponential distribution). */
const MEAN_TRADE_QTY = 80;
/** The exchange's trade time precedes our receipt by 1 to this many ms on a colocated line. */
const MAX_EXCHANGE_DELAY_MS = 4;

/** Wall-clock milliseconds with sub-ms precision; both ends of the benchmark read time this way. */
export function preciseNow(): number {
  return performance.timeOrigin + performance.now();
}

export function benchSymbols(count: number): SymbolId[] {
  return Array.from({ length: count }, (_, i) => formatSymbol('KRX', String(FIRST_BENCH_CODE + i)));
}


function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

interface SymbolState {
  symbol: SymbolId;
  prevClose: number;
  upper: number;
  lower: number;
  price: number;
  open: number;
  high: number;
  low: number;
  cumVolume: number;
  cumValue: number;
}

/** A random walk on the KRX tick grid per symbol, with realistic volumes, so payloads look like real ticks. */
class TickGenerator {
  private readonly random = mulberry32(FEED_SEED);
  private readonly states: SymbolState[];

  constructor(symbols: readonly SymbolId[]) {
    this.states = symbols.map((symbol, i) => {
      const raw = LOWEST_PREV_CLOSE * PREV_CLOSE_GROWTH ** (i % PREV_CLOSE_STEPS);
      const prevClose = Math.round(raw / krxTickSize(raw)) * krxTickSize(raw);
      const upperRaw = prevClose * (1 + DAILY_LIMIT);
      const lowerRaw = prevClose * (1 - DAILY_LIMIT);
      return {
        symbol,
        prevClose,
        upper: Math.floor(upperRaw / krxTickSize(upperRaw)) * krxTickSize(upperRaw),
        lower: Math.ceil(lowerRaw / krxTickSize(lowerRaw)) * krxTickSize(lowerRaw),
        price: prevClose,
        open: prevClose,
        high: prevClose,
        low: prevClose,
        cumVolume: 0,
        cumValue: 0,
      };
    });
  }

  next(index: number, recvTs: number): Unstamped<TickEvent> {
    const s = this.states[index]!;
    const r = this.random();
    const step = r < DOWNTICK_CHANCE ? -1 : r < DOWNTICK_CHANCE + UPTICK_CHANCE ? 1 : 0;
    s.price = Math.min(s.upper, Math.max(s.lower, s.price + step * krxTickSize(s.price)));
    const qty = 1 + Math.floor(-Math.log(1 - this.random()) * MEAN_TRADE_QTY);
    s.cumVolume += qty;
    s.cumValue += qty * s.price;
    if (s.price > s.high) s.high = s.price;
    if (s.price < s.low) s.low = s.price;
    const change = s.price - s.prevClose;
    const sign: PriceSign =
      s.price >= s.upper ? 'upper' : s.price <= s.lower ? 'lower' : change > 0 ? 'up' : change < 0 ? 'down' : 'flat';
    return {
      symbol: s.symbol,
      source: 'sim',
      // The exchange stamps whole milliseconds.
      ts: Math.floor(recvTs) - 1 - Math.floor(this.random() * MAX_EXCHANGE_DELAY_MS),
      recvTs,
      price: s.price,
      sign,
      change,
      changeRate: Math.round((change / s.prevClose) * 10_000) / 100,
      prevClose: s.prevClose,
      qty,
      side: step > 0 ? 'buy' : step < 0 ? 'sell' : null,
      cumVolume: s.cumVolume,
      cumValue: s.cumValue,
      open: s.open,
      high: s.high,
      low: s.low,
    };
  }
}

/** The bench's Feed: publishes only what is subscribed, like the real adapters, with `recvTs` = publish time. */
export class BenchFeed implements Feed {
  readonly id = 'sim' as const;
  readonly markets: readonly Market[] = ['KRX'];
  private readonly generator: TickGenerator;
  private readonly index: Map<SymbolId, number>;
  private readonly subscribed: boolean[];
  private subscribedCount = 0;
  private sink: FeedSink | null = null;
  private current: FeedState = 'connecting';
  private cursor = 0;
  /** Ticks published per symbol, indexed like `symbols`. */
  readonly published: number[];

  constructor(readonly symbols: readonly SymbolId[]) {
    this.generator = new TickGenerator(symbols);
    this.index = new Map(symbols.map((symbol, i) => [symbol, i]));
    this.subscribed = symbols.map(() => false);
    this.published = symbols.map(() => 0);
  }

  async start(sink: FeedSink): Promise<void> {
    this.sink = sink;
    this.current = 'connected';
    sink.state(this.id, 'connected', 'benchmark feed');
  }

  async stop(): Promise<void> {
    this.sink = null;
    this.current = 'down';
  }

  state(): FeedState {
    return this.current;
  }

  knows(symbol: SymbolId): boolean {
    return this.index.has(symbol);
  }

  async subscribe(symbol: SymbolId): Promise<void> {
    const i = this.index.get(symbol);
    if (i === undefined || this.subscribed[i]) return;
    this.subscribed[i] = true;
    this.subscribedCount += 1;
  }

  async unsubscribe(symbol: SymbolId): Promise<void> {
    const i = this.index.get(symbol);
    if (i === undefined || !this.subscribed[i]) return;
    this.subscribed[i] = false;
    this.subscribedCount -= 1;
  }

  subscriptions(): number {
    return this.subscribedCount;
  }

  /** Publishes `count` ticks, round-robin over the subscribed symbols; returns how many went out. */
  publish(count: number): number {
    const sink = this.sink;
    if (!sink || this.subscribedCount === 0) return 0;
    const n = this.symbols.length;
    for (let sent = 0; sent < count; sent++) {
      while (!this.subscribed[this.cursor]) this.cursor = (this.cursor + 1) % n;
      const i = this.cursor;
      this.cursor = (this.cursor + 1) % n;
      this.published[i]! += 1;
      sink.tick(this.generator.next(i, preciseNow()));
    }
    return count;
  }
}

export interface PaceResult {
  events: number;
  /** rate × seconds: what the run asked for. */
  targetEvents: number;
  /** preciseNow() of the pacer's start and of the last publish. */
  startedAt: number;
  endedAt: number;
  achievedRate: number;
  /** Worst delay of a publisher timer beyond its period: how long the server's event loop held it up. */
  maxTimerLagMs: number;
}

/**
 * For `seconds`, calls `publish(n)` every PUBLISH_INTERVAL_MS with however many events are due by then.
 * A late timer publishes the backlog, capped per tick: when the server cannot keep up, the publisher falls
 * behind and the achieved rate says so, instead of the run stretching on.
 */
export function pace(rate: number, seconds: number, publish: (count: number) => number): Promise<PaceResult> {
  const targetEvents = Math.round(rate * seconds);
  const durationMs = seconds * 1000;
  return new Promise((resolve) => {
    const startedAt = preciseNow();
    let endedAt = startedAt;
    let events = 0;
    let lastTick = startedAt;
    let maxTimerLagMs = 0;
    const tick = () => {
      const now = preciseNow();
      maxTimerLagMs = Math.max(maxTimerLagMs, now - lastTick - PUBLISH_INTERVAL_MS);
      lastTick = now;
      const elapsed = Math.min(now - startedAt, durationMs);
      const due = Math.min(targetEvents, Math.ceil((elapsed * rate) / 1000)) - events;
      if (due > 0) {
        events += publish(Math.min(due, MAX_BATCH_EVENTS));
        endedAt = preciseNow();
      }
      if (now - startedAt >= durationMs) {
        clearInterval(timer);
        const spanS = Math.max(endedAt - startedAt, PUBLISH_INTERVAL_MS) / 1000;
        resolve({ events, targetEvents, startedAt, endedAt, achievedRate: events / spanS, maxTimerLagMs });
      }
    };
    const timer = setInterval(tick, PUBLISH_INTERVAL_MS);
    tick();
  });
}
