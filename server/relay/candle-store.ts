/**
 * Candles per symbol and interval, folded from every tick the relay stamps, so a new viewer gets the day's
 * candles so far and continues them with live ticks (`lastSeq` says where). Kept after the last viewer leaves,
 * like the last-value cache. Candles cover what this server has relayed: a symbol nobody watched has none yet.
 */
import { CANDLE_INTERVALS, type CandleHistory, type CandleInterval, type SymbolId, type TickEvent } from '../../lib/contracts';
import { CandleSeries } from '../../lib/candles/candle-series';

/**
 * How many candles each interval keeps: a trading day of minutes (KRX 390, Upbit 1,440), two days of 5m, four
 * of 15m, a month of hours, about a year and a half of days, and a quarter hour of seconds. About 4,000 small
 * objects per watched symbol.
 */
export const CANDLE_CAPACITY: Record<CandleInterval, number> = {
  '1s': 900,
  '1m': 1_440,
  '5m': 576,
  '15m': 384,
  '1h': 720,
  '1d': 400,
};

export class CandleStore {
  private readonly series = new Map<SymbolId, Map<CandleInterval, CandleSeries>>();
  /** The last print folded in per symbol, by its identity (exchange time and the day's cumulative volume). */
  private readonly lastPrint = new Map<SymbolId, string>();

  apply(tick: TickEvent): void {
    // A feed answers a new subscription with the last trade again (a broker snapshot); the relay stamps it
    // with a new seq, but it is the same print and must not be counted twice.
    const print = `${tick.ts}:${tick.cumVolume}`;
    if (this.lastPrint.get(tick.symbol) === print) return;
    this.lastPrint.set(tick.symbol, print);

    let perInterval = this.series.get(tick.symbol);
    if (!perInterval) {
      perInterval = new Map(CANDLE_INTERVALS.map((interval) => [interval, new CandleSeries(interval, CANDLE_CAPACITY[interval])]));
      this.series.set(tick.symbol, perInterval);
    }
    for (const series of perInterval.values()) series.apply(tick);
  }

  history(symbol: SymbolId, interval: CandleInterval): CandleHistory {
    const series = this.series.get(symbol)?.get(interval);
    return { symbol, interval, candles: series?.candles() ?? [], lastSeq: series?.seq ?? 0 };
  }
}
