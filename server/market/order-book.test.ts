import { describe, expect, it } from 'vitest';
import { krxPriceLimits } from '../../lib/format/krx-price-limits';
import { OrderBook, type FreshQty } from './order-book';
import { KRX_GRID, UPBIT_GRID } from './price-grid';

/** Deterministic liquidity: 100 at the inside, +10 per level deeper. */
const fresh: FreshQty = (levelIndex) => 100 + 10 * levelIndex;
const prices = (levels: { price: number }[]) => levels.map((l) => l.price);

function krxBook(prevClose: number): OrderBook {
  return new OrderBook(KRX_GRID, 10, krxPriceLimits(prevClose));
}

describe('OrderBook', () => {
  it('builds 10 contiguous levels each side across a tick-band edge', () => {
    const book = krxBook(5_000);
    book.reset(5_020, fresh);
    expect(prices(book.bids)).toEqual([5_020, 5_010, 5_000, 4_995, 4_990, 4_985, 4_980, 4_975, 4_970, 4_965]);
    expect(prices(book.asks)).toEqual([5_030, 5_040, 5_050, 5_060, 5_070, 5_080, 5_090, 5_100, 5_110, 5_120]);
    expect(book.bids.map((l) => l.qty)).toEqual([100, 110, 120, 130, 140, 150, 160, 170, 180, 190]);
  });

  it('is one-sided at the upper limit: bids at the limit, no asks above it', () => {
    const { upper } = krxPriceLimits(72_300);
    const book = krxBook(72_300);
    book.reset(upper, fresh);
    expect(book.asks).toEqual([]);
    expect(book.bids[0]?.price).toBe(upper);
    // Near the limit the ask side is simply shorter.
    book.reset(upper - 300, fresh);
    expect(prices(book.asks)).toEqual([upper - 200, upper - 100, upper]);
  });

  it('is one-sided at the lower limit: asks from the limit, no bids', () => {
    const { lower } = krxPriceLimits(72_300);
    const book = krxBook(72_300);
    book.reset(lower - 100, fresh);
    expect(book.bids).toEqual([]);
    expect(book.asks[0]?.price).toBe(lower);
    expect(book.anchor()).toBe(lower - 100);
  });

  it('shrinks a level that trades and removes it when used up', () => {
    const book = krxBook(72_300);
    book.reset(72_300, fresh);
    expect(book.take('buy', 30)).toEqual({ price: 72_400, qty: 30, exhausted: false });
    expect(book.asks[0]).toEqual({ price: 72_400, qty: 70 });
    expect(book.take('buy', 500)).toEqual({ price: 72_400, qty: 70, exhausted: true });
    expect(book.asks[0]?.price).toBe(72_500);
    expect(book.asks).toHaveLength(9);
    expect(book.hasGap()).toBe(true);
    book.refill(fresh);
    expect(book.asks).toHaveLength(10);
    expect(book.take('sell', 1)).toEqual({ price: 72_300, qty: 1, exhausted: false });
  });

  it('shifts the inside market one tick at a time and stops at the limits', () => {
    const { upper } = krxPriceLimits(72_300);
    const book = krxBook(72_300);
    book.reset(upper - 200, fresh);
    expect(book.shiftUp(fresh)).toBe(true);
    expect(book.bids[0]?.price).toBe(upper - 100);
    expect(book.asks[0]?.price).toBe(upper);
    expect(book.shiftUp(fresh)).toBe(true);
    expect(book.bids[0]?.price).toBe(upper);
    expect(book.asks).toEqual([]);
    expect(book.shiftUp(fresh)).toBe(false);
    expect(book.shiftDown(fresh)).toBe(true);
    expect(book.asks[0]?.price).toBe(upper);
    expect(book.bids[0]?.price).toBe(upper - 100);
  });

  it('moveTo walks or rebuilds to the target and never crosses', () => {
    const book = krxBook(4_490);
    book.reset(4_490, fresh);
    for (const target of [4_500, 4_995, 5_010, 4_980, 3_145, 3_140, 5_830, 4_490]) {
      book.moveTo(target, fresh);
      expect(book.anchor()).toBe(target);
      const bid = book.bids[0]?.price ?? -Infinity;
      const ask = book.asks[0]?.price ?? Infinity;
      expect(bid).toBeLessThan(ask);
      for (const level of [...book.asks, ...book.bids]) {
        expect(KRX_GRID.isOnGrid(level.price)).toBe(true);
        expect(level.price).toBeGreaterThanOrEqual(book.lower);
        expect(level.price).toBeLessThanOrEqual(book.upper);
      }
    }
  });

  it('keeps Upbit levels on Upbit decimals', () => {
    const book = new OrderBook(UPBIT_GRID, 15, { lower: UPBIT_GRID.minPrice, upper: Infinity });
    book.reset(9.95, (i) => 1.5 + i / 1e8);
    expect(prices(book.asks)).toEqual([
      9.96, 9.97, 9.98, 9.99, 10, 10.1, 10.2, 10.3, 10.4, 10.5, 10.6, 10.7, 10.8, 10.9, 11,
    ]);
    expect(book.bids).toHaveLength(15);
    expect(book.bids[14]?.price).toBe(9.81);
  });
});
