import { describe, expect, it } from 'vitest';
import { CandleSeries, candleStart } from './candle-series';

// 2026-11-20 23:59:59.500 KST = 2026-11-20T14:59:59.500Z; midnight KST = 15:00Z.
const KST_MIDNIGHT = Date.UTC(2026, 10, 20, 15, 0, 0);
let seq = 0;
const tick = (ts: number, price: number, qty = 1) => ({ seq: ++seq, ts, price, qty });

describe('candle boundaries', () => {
  it('starts days at KST midnight, not UTC midnight', () => {
    expect(candleStart(KST_MIDNIGHT - 1, '1d')).toBe(KST_MIDNIGHT - 86_400_000);
    expect(candleStart(KST_MIDNIGHT, '1d')).toBe(KST_MIDNIGHT);
    expect(candleStart(Date.UTC(2026, 10, 21, 0, 0, 0), '1d')).toBe(KST_MIDNIGHT); // 09:00 KST, same KST day
  });
  it('aligns minutes and hours on whole multiples', () => {
    const t = Date.UTC(2026, 10, 21, 0, 7, 31, 250); // 09:07:31.250 KST
    expect(candleStart(t, '1s')).toBe(Date.UTC(2026, 10, 21, 0, 7, 31));
    expect(candleStart(t, '1m')).toBe(Date.UTC(2026, 10, 21, 0, 7));
    expect(candleStart(t, '5m')).toBe(Date.UTC(2026, 10, 21, 0, 5));
    expect(candleStart(t, '15m')).toBe(Date.UTC(2026, 10, 21, 0, 0));
    expect(candleStart(t, '1h')).toBe(Date.UTC(2026, 10, 21, 0, 0));
  });
});

describe('candle series', () => {
  it('builds OHLCV within an interval and opens a new candle at the boundary', () => {
    const s = new CandleSeries('1m', 10);
    const t0 = Date.UTC(2026, 10, 21, 0, 1, 0);
    s.apply(tick(t0 + 1_000, 100, 2));
    s.apply(tick(t0 + 2_000, 105, 1));
    s.apply(tick(t0 + 3_000, 98, 3));
    s.apply(tick(t0 + 59_999, 101, 1));
    s.apply(tick(t0 + 60_000, 102, 5));
    expect(s.candles()).toEqual([
      { start: t0, open: 100, high: 105, low: 98, close: 101, volume: 7, value: 200 + 105 + 294 + 101 },
      { start: t0 + 60_000, open: 102, high: 102, low: 102, close: 102, volume: 5, value: 510 },
    ]);
  });

  it('splits the daily candle at KST midnight', () => {
    const s = new CandleSeries('1d', 10);
    s.apply(tick(KST_MIDNIGHT - 500, 100));
    s.apply(tick(KST_MIDNIGHT + 500, 110));
    expect(s.candles().map((c) => [c.start, c.close])).toEqual([
      [KST_MIDNIGHT - 86_400_000, 100],
      [KST_MIDNIGHT, 110],
    ]);
  });

  it('ignores a tick it has already folded in', () => {
    const s = new CandleSeries('1m', 10);
    const t = tick(Date.UTC(2026, 10, 21, 0, 1, 5), 100, 4);
    expect(s.apply(t)).toBe(true);
    expect(s.apply(t)).toBe(false);
    expect(s.candles()[0]!.volume).toBe(4);
  });

  it('puts a late tick in the candle its time belongs to, without moving that candle close past newer ticks', () => {
    const s = new CandleSeries('1m', 10);
    const t0 = Date.UTC(2026, 10, 21, 0, 1, 0);
    s.apply(tick(t0 + 10_000, 100));
    s.apply(tick(t0 + 50_000, 104));
    s.apply(tick(t0 + 65_000, 106)); // next minute
    s.apply(tick(t0 + 30_000, 90)); // late: belongs to the first minute, between its open and close
    s.apply(tick(t0 + 5_000, 99)); // late and earliest of the first minute: becomes its open
    const [first, second] = s.candles();
    expect(first).toMatchObject({ open: 99, high: 104, low: 90, close: 104, volume: 4 });
    expect(second).toMatchObject({ open: 106, close: 106, volume: 1 });
  });

  it('inserts a late tick whose candle had no trade yet, in time order', () => {
    const s = new CandleSeries('1m', 10);
    const t0 = Date.UTC(2026, 10, 21, 0, 1, 0);
    s.apply(tick(t0, 100));
    s.apply(tick(t0 + 120_000, 102));
    s.apply(tick(t0 + 60_000, 101));
    expect(s.candles().map((c) => c.start)).toEqual([t0, t0 + 60_000, t0 + 120_000]);
  });

  it('keeps at most its capacity, dropping the oldest, and refuses ticks older than what it keeps', () => {
    const s = new CandleSeries('1s', 3);
    const t0 = Date.UTC(2026, 10, 21, 0, 0, 0);
    for (let i = 0; i < 5; i++) s.apply(tick(t0 + i * 1_000, 100 + i));
    expect(s.candles().map((c) => c.close)).toEqual([102, 103, 104]);
    expect(s.apply(tick(t0, 50))).toBe(false);
    expect(s.candles()).toHaveLength(3);
  });

  it('continues a fetched history with the ticks after its seq', () => {
    const t0 = Date.UTC(2026, 10, 21, 0, 1, 0);
    const server = new CandleSeries('1m', 10);
    const ticks = [tick(t0 + 1_000, 100), tick(t0 + 2_000, 103), tick(t0 + 61_000, 99), tick(t0 + 62_000, 98)];
    for (const t of ticks.slice(0, 3)) server.apply(t);
    const browser = CandleSeries.from('1m', 10, server.candles(), server.seq);
    for (const t of ticks) browser.apply(t); // the first three are already in: ignored by seq
    server.apply(ticks[3]!);
    expect(browser.candles()).toEqual(server.candles());
  });
});
