import { describe, expect, it } from 'vitest';
import { isOnKrxGrid } from './krx-tick-size';
import { priceAxis } from './price-axis';
import { isOnUpbitGrid } from './upbit-tick-size';

describe('price axis', () => {
  it('labels a KRX chart only with prices on the tick grid', () => {
    const axis = priceAxis('KRX', 97_680, 98_000);
    expect(axis.ticks).toEqual([97_600, 97_700, 97_800, 97_900, 98_000]);
    expect(axis.domain).toEqual([97_600, 98_000]);
  });

  it('widens the step for a wide range and keeps the labels few', () => {
    const axis = priceAxis('KRX', 90_000, 105_000);
    expect(axis.ticks.length).toBeLessThanOrEqual(7);
    expect(axis.ticks.every(isOnKrxGrid)).toBe(true);
    expect(axis.domain[0]).toBeLessThanOrEqual(90_000);
    expect(axis.domain[1]).toBeGreaterThanOrEqual(105_000);
  });

  it('handles a flat line and sub-won crypto prices', () => {
    expect(priceAxis('KRX', 58_600, 58_600).domain[1]).toBeGreaterThan(58_600);
    const axis = priceAxis('UPBIT', 0.512, 0.531);
    expect(axis.ticks.every(isOnUpbitGrid)).toBe(true);
    expect(axis.ticks.length).toBeGreaterThanOrEqual(2);
  });
});
