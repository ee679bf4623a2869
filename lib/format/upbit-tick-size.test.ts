import { describe, expect, it } from 'vitest';
import {
  UPBIT_KRW_TICK_TABLE,
  isOnUpbitGrid,
  roundToUpbitGrid,
  upbitTickDown,
  upbitTickSize,
  upbitTickUp,
} from './upbit-tick-size';

describe('upbitTickSize', () => {
  it.each([
    [143_250_000, 1_000],
    [2_000_000, 1_000],
    [1_999_000, 1_000],
    [1_000_000, 1_000],
    [999_500, 500],
    [500_000, 500],
    [499_900, 100],
    [100_000, 100],
    [99_950, 50],
    [50_000, 50],
    [49_990, 10],
    [10_000, 10],
    [9_995, 5],
    [5_000, 5],
    [4_999, 1],
    [1_000, 1],
    [999, 1],
    [100, 1],
    [99.9, 0.1],
    [10, 0.1],
    [9.99, 0.01],
    [1, 0.01],
    [0.999, 0.001],
    [0.1, 0.001],
    [0.0999, 0.0001],
    [0.01, 0.0001],
    [0.00999, 0.00001],
  ])('tick at %d is %d', (price, tick) => {
    expect(upbitTickSize(price)).toBe(tick);
  });

  it('has band edges that are multiples of the ticks on both sides', () => {
    for (let i = 0; i < UPBIT_KRW_TICK_TABLE.length - 1; i++) {
      const band = UPBIT_KRW_TICK_TABLE[i]!;
      const below = UPBIT_KRW_TICK_TABLE[i + 1]!;
      expect(isOnUpbitGrid(band.from)).toBe(true);
      const unitsBelow = band.from / below.tick;
      expect(Math.abs(unitsBelow - Math.round(unitsBelow))).toBeLessThan(1e-9);
    }
  });
});

describe('Upbit grid arithmetic', () => {
  it('steps across band edges without float drift', () => {
    expect(upbitTickUp(9.99)).toBe(10);
    expect(upbitTickUp(10)).toBe(10.1);
    expect(upbitTickDown(10)).toBe(9.99);
    expect(upbitTickDown(0.1)).toBe(0.0999);
    expect(upbitTickUp(0.0999)).toBe(0.1);
    expect(upbitTickUp(0.1)).toBe(0.101);
    expect(upbitTickDown(1_000_000)).toBe(999_500);
    expect(upbitTickUp(999_500)).toBe(1_000_000);
    expect(upbitTickDown(100)).toBe(99.9);
    expect(upbitTickUp(0.3)).toBe(0.301);
    expect(upbitTickDown(0.3)).toBe(0.299);
  });

  it('walks from 0.5 to 20 and back through exact decimals', () => {
    const seen: number[] = [];
    let price = 0.5;
    while (price < 20) {
      price = upbitTickUp(price);
      expect(isOnUpbitGrid(price)).toBe(true);
      // Exactly what a person would type: no 0.30000000000000004.
      expect(String(price).length).toBeLessThanOrEqual(6);
      seen.push(price);
    }
    for (let i = seen.length - 1; i > 0; i--) expect(upbitTickDown(seen[i]!)).toBe(seen[i - 1]);
  });

  it('rounds onto the grid', () => {
    expect(roundToUpbitGrid(0.12345, 'down')).toBe(0.123);
    expect(roundToUpbitGrid(0.12345, 'up')).toBe(0.124);
    expect(roundToUpbitGrid(143_250_400, 'down')).toBe(143_250_000);
    expect(roundToUpbitGrid(143_250_400, 'up')).toBe(143_251_000);
    expect(roundToUpbitGrid(0.3, 'down')).toBe(0.3);
    expect(roundToUpbitGrid(0.1 + 0.2, 'up')).toBe(0.3);
  });

  it('tells on-grid from off-grid prices', () => {
    expect(isOnUpbitGrid(12.3)).toBe(true);
    expect(isOnUpbitGrid(12.34)).toBe(false);
    expect(isOnUpbitGrid(0.1 + 0.2)).toBe(true);
    expect(isOnUpbitGrid(143_250_000)).toBe(true);
    expect(isOnUpbitGrid(143_250_500)).toBe(false);
    expect(isOnUpbitGrid(0)).toBe(false);
  });
});
