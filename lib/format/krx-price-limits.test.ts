import { describe, expect, it } from 'vitest';
import { krxPriceLimits } from './krx-price-limits';
import { isOnKrxGrid, krxTickSize } from './krx-tick-size';

describe('krxPriceLimits', () => {
  it.each([
    // prevClose, upper, lower — worked by hand from the rule in krx-price-limits.ts
    [72_300, 93_900, 50_700],
    [100_000, 130_000, 70_000],
    [578_000, 751_000, 405_000],
    [1_000, 1_300, 700],
    [1_985, 2_580, 1_390],
    [4_490, 5_830, 3_145],
    [16_480, 21_400, 11_540],
    [48_650, 63_200, 34_100],
    [205_500, 267_000, 144_000],
    [478_500, 622_000, 335_000],
    [1, 1, 1],
    [10, 13, 7],
  ])('prevClose %i → upper %i, lower %i', (prevClose, upper, lower) => {
    expect(krxPriceLimits(prevClose)).toEqual({ upper, lower });
  });

  it('always yields on-grid limits within 30% of the base', () => {
    for (let base = 1; base < 1_200_000; base = Math.ceil(base * 1.013) + 1) {
      const onGrid = base - (base % krxTickSize(base));
      const { upper, lower } = krxPriceLimits(onGrid);
      expect(isOnKrxGrid(upper)).toBe(true);
      expect(isOnKrxGrid(lower)).toBe(true);
      expect(upper).toBeLessThanOrEqual(onGrid * 1.3 + 1e-9);
      expect(lower).toBeGreaterThanOrEqual(Math.max(1, onGrid * 0.7 - 1e-9));
      expect(lower).toBeLessThanOrEqual(onGrid);
      expect(upper).toBeGreaterThanOrEqual(onGrid);
    }
  });

  it('rejects a base that is not whole won', () => {
    expect(() => krxPriceLimits(0)).toThrow(RangeError);
    expect(() => krxPriceLimits(100.5)).toThrow(RangeError);
  });
});
