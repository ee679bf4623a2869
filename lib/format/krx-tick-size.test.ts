import { describe, expect, it } from 'vitest';
import { KRX_TICK_TABLE, isOnKrxGrid, krxTickDown, krxTickSize, krxTickUp, roundToKrxGrid } from './krx-tick-size';
import { isOnGridIn, roundToGridIn, tickDownIn, tickSizeIn, tickUpIn } from './tick-table';

describe('krxTickSize', () => {
  it.each([
    [1, 1],
    [1_999, 1],
    [2_000, 5],
    [4_995, 5],
    [5_000, 10],
    [19_990, 10],
    [20_000, 50],
    [49_950, 50],
    [50_000, 100],
    [199_900, 100],
    [200_000, 500],
    [499_500, 500],
    [500_000, 1_000],
    [1_500_000, 1_000],
  ])('tick at %i is %i', (price, tick) => {
    expect(krxTickSize(price)).toBe(tick);
  });

  it('agrees with KRX_TICK_TABLE and the generic band arithmetic everywhere', () => {
    const mismatches: number[] = [];
    for (let price = 1; price < 1_200_000; price += price < 10_000 ? 1 : 7) {
      const same =
        krxTickSize(price) === tickSizeIn(KRX_TICK_TABLE, price) &&
        isOnKrxGrid(price) === isOnGridIn(KRX_TICK_TABLE, price) &&
        krxTickUp(price) === tickUpIn(KRX_TICK_TABLE, price) &&
        (price === 1 || krxTickDown(price) === tickDownIn(KRX_TICK_TABLE, price)) &&
        roundToKrxGrid(price + 0.5, 'down') === roundToGridIn(KRX_TICK_TABLE, price + 0.5, 'down') &&
        roundToKrxGrid(price + 0.5, 'up') === roundToGridIn(KRX_TICK_TABLE, price + 0.5, 'up');
      if (!same && mismatches.length < 10) mismatches.push(price);
    }
    expect(mismatches).toEqual([]);
  });

  it('has band edges that are multiples of the ticks on both sides, so rounding never leaves a band', () => {
    for (let i = 0; i < KRX_TICK_TABLE.length - 1; i++) {
      const band = KRX_TICK_TABLE[i]!;
      const below = KRX_TICK_TABLE[i + 1]!;
      expect(band.from % band.tick).toBe(0);
      expect(band.from % below.tick).toBe(0);
    }
  });
});

describe('isOnKrxGrid', () => {
  it('accepts prices on their band tick and rejects the rest', () => {
    expect(isOnKrxGrid(1_999)).toBe(true);
    expect(isOnKrxGrid(2_000)).toBe(true);
    expect(isOnKrxGrid(2_001)).toBe(false);
    expect(isOnKrxGrid(2_005)).toBe(true);
    expect(isOnKrxGrid(72_300)).toBe(true);
    expect(isOnKrxGrid(72_350)).toBe(false);
    expect(isOnKrxGrid(200_500)).toBe(true);
    expect(isOnKrxGrid(200_100)).toBe(false);
    expect(isOnKrxGrid(501_000)).toBe(true);
    expect(isOnKrxGrid(500_500)).toBe(false);
  });

  it('rejects non-integers, zero, negatives and non-finite values', () => {
    for (const bad of [0, -5, 100.5, Number.NaN, Number.POSITIVE_INFINITY]) expect(isOnKrxGrid(bad)).toBe(false);
  });
});

describe('krxTickUp / krxTickDown', () => {
  it.each([
    [1_998, 1_999, 1_997],
    [1_999, 2_000, 1_998],
    [2_000, 2_005, 1_999],
    [4_995, 5_000, 4_990],
    [5_000, 5_010, 4_995],
    [20_000, 20_050, 19_990],
    [50_000, 50_100, 49_950],
    [200_000, 200_500, 199_900],
    [500_000, 501_000, 499_500],
  ])('around %i: up %i, down %i', (price, up, down) => {
    expect(krxTickUp(price)).toBe(up);
    expect(krxTickDown(price)).toBe(down);
  });

  it('from an off-grid price goes to the nearest valid price in that direction', () => {
    expect(krxTickUp(72_350)).toBe(72_400);
    expect(krxTickDown(72_350)).toBe(72_300);
    expect(krxTickUp(4_997)).toBe(5_000);
    expect(krxTickDown(5_003)).toBe(5_000);
  });

  it('walks every valid price between 1 and 600,000 without skipping or repeating', () => {
    let price = 1;
    let count = 0;
    const broken: number[] = [];
    while (price < 600_000) {
      const next = krxTickUp(price);
      // Collected rather than expect()ed: thousands of expect() calls cost more than the walk.
      if ((!isOnKrxGrid(next) || krxTickDown(next) !== price) && broken.length < 10) broken.push(price);
      price = next;
      count++;
    }
    expect(broken).toEqual([]);
    // 1,999 + 600 + 1,500 + 600 + 1,500 + 600 + 100 steps across the bands up to 600,000.
    expect(count).toBe(1_999 + 600 + 1_500 + 600 + 1_500 + 600 + 100);
  });

  it('has no valid price below 1 won', () => {
    expect(() => krxTickDown(1)).toThrow(RangeError);
  });
});

describe('roundToKrxGrid', () => {
  it('rounds down and up inside the band of the price', () => {
    expect(roundToKrxGrid(72_350, 'down')).toBe(72_300);
    expect(roundToKrxGrid(72_350, 'up')).toBe(72_400);
    expect(roundToKrxGrid(4_996, 'up')).toBe(5_000);
    expect(roundToKrxGrid(4_996, 'down')).toBe(4_995);
    expect(roundToKrxGrid(199_950, 'up')).toBe(200_000);
    expect(roundToKrxGrid(1_999.5, 'up')).toBe(2_000);
    expect(roundToKrxGrid(1_999.5, 'down')).toBe(1_999);
  });

  it('leaves on-grid prices alone', () => {
    for (const price of [1, 1_999, 2_000, 5_000, 72_300, 200_500, 1_234_000]) {
      expect(roundToKrxGrid(price, 'down')).toBe(price);
      expect(roundToKrxGrid(price, 'up')).toBe(price);
    }
  });

  it('refuses prices that cannot be on any grid', () => {
    expect(() => roundToKrxGrid(0, 'up')).toThrow(RangeError);
    expect(() => roundToKrxGrid(-1, 'down')).toThrow(RangeError);
    expect(() => roundToKrxGrid(0.5, 'down')).toThrow(RangeError);
  });
});
