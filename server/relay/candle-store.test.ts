import { describe, expect, it } from 'vitest';
import type { TickEvent } from '../../lib/contracts';
import { CandleStore } from './candle-store';

const base: TickEvent = {
  seq: 1, ts: Date.UTC(2026, 10, 21, 0, 0, 1), recvTs: 0, source: 'sim', symbol: 'KRX:005930', price: 70_000, sign: 'flat',
  change: 0, changeRate: 0, prevClose: 70_000, qty: 10, side: 'buy', cumVolume: 10, cumValue: 700_000, open: 70_000, high: 70_000, low: 70_000,
};

describe('candle store', () => {
  it('keeps every interval for a symbol and answers an unwatched one with no candles', () => {
    const store = new CandleStore();
    store.apply(base);
    expect(store.history('KRX:005930', '5m').candles).toHaveLength(1);
    expect(store.history('KRX:000660', '1m')).toEqual({ symbol: 'KRX:000660', interval: '1m', candles: [], lastSeq: 0 });
  });

  it('does not count a print twice when a feed re-sends it as a snapshot with a new seq', () => {
    const store = new CandleStore();
    store.apply(base);
    store.apply({ ...base, seq: 7 });
    store.apply({ ...base, seq: 8, ts: base.ts + 100, qty: 5, cumVolume: 15, price: 70_100 });
    const [candle] = store.history('KRX:005930', '1m').candles;
    expect(candle).toMatchObject({ volume: 15, close: 70_100 });
  });
});
