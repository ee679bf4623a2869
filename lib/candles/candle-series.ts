/**
 * Folds ticks into candles of one interval, in a bounded ring. Pure: the server keeps one per symbol and
 * interval for history, the browser one per chart to continue that history with live ticks, and both get
 * the same candles from the same ticks.
 *
 * Ticks can arrive late (an exchange time older than the newest seen) and twice (a snapshot re-sent on
 * join): a tick lands in the candle its own time belongs to, the close is the price of the latest tick by
 * exchange time, the open of the earliest, and a seq already folded in is ignored.
 */
import { INTERVAL_MS, type Candle, type CandleInterval } from '../contracts/candles';
import { kstDayStart } from '../format/kst-time';

export interface CandleTick {
  seq: number;
  ts: number;
  price: number;
  qty: number;
}

interface OpenCandle extends Candle {
  /** Exchange times of the ticks that set open and close, to order late arrivals. */
  openTs: number;
  closeTs: number;
}

/** The first instant of the candle containing `ts`: KST midnight for days, whole multiples otherwise. */
export function candleStart(ts: number, interval: CandleInterval): number {
  if (interval === '1d') return kstDayStart(ts);
  const size = INTERVAL_MS[interval];
  return ts - (((ts % size) + size) % size);
}

export class CandleSeries {
  private readonly ring: OpenCandle[] = [];
  private lastSeq = 0;

  constructor(
    readonly interval: CandleInterval,
    readonly capacity: number,
  ) {
    if (!(capacity >= 1)) throw new RangeError(`capacity must be ≥ 1, got ${capacity}`);
  }

  /** The seq of the last tick folded in. */
  get seq(): number {
    return this.lastSeq;
  }

  /**
   * Folds one tick in. Returns false when it changed nothing: a seq already seen, or a time older than the
   * oldest candle the ring still holds.
   */
  apply(tick: CandleTick): boolean {
    if (tick.seq <= this.lastSeq) return false;
    this.lastSeq = tick.seq;
    const start = candleStart(tick.ts, this.interval);
    const value = tick.price * tick.qty;

    // Almost every tick belongs to the newest candle; look there first, then walk back for late ones.
    let index = this.ring.length - 1;
    while (index >= 0 && this.ring[index]!.start > start) index--;
    const found = index >= 0 ? this.ring[index] : undefined;
    if (found && found.start === start) {
      if (tick.price > found.high) found.high = tick.price;
      if (tick.price < found.low) found.low = tick.price;
      found.volume += tick.qty;
      found.value += value;
      if (tick.ts >= found.closeTs) {
        found.close = tick.price;
        found.closeTs = tick.ts;
      }
      if (tick.ts < found.openTs) {
        found.open = tick.price;
        found.openTs = tick.ts;
      }
      return true;
    }
    if (index < 0 && this.ring.length >= this.capacity) return false; // older than anything kept
    const candle: OpenCandle = {
      start,
      open: tick.price,
      high: tick.price,
      low: tick.price,
      close: tick.price,
      volume: tick.qty,
      value,
      openTs: tick.ts,
      closeTs: tick.ts,
    };
    this.ring.splice(index + 1, 0, candle);
    if (this.ring.length > this.capacity) this.ring.shift();
    return true;
  }

  /** Copies of the candles, oldest first; the last is the current one. */
  candles(): Candle[] {
    return this.ring.map(({ start, open, high, low, close, volume, value }) => ({ start, open, high, low, close, volume, value }));
  }

  /** Starts over from a history (e.g. fetched from the server), continuing after `seq`. */
  static from(interval: CandleInterval, capacity: number, candles: readonly Candle[], seq: number): CandleSeries {
    const series = new CandleSeries(interval, capacity);
    for (const candle of candles.slice(-capacity)) {
      // The times of the ticks behind a fetched candle are unknown. Ticks after `seq` arrived later, so they
      // may set the close (closeTs at the start) but never the open (openTs at the start too: none is earlier).
      series.ring.push({ ...candle, openTs: candle.start, closeTs: candle.start });
    }
    series.lastSeq = seq;
    return series;
  }
}
