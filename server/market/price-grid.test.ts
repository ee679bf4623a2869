import { describe, expect, it } from 'vitest';
import { KRX_GRID, UPBIT_GRID, hasAtMostDecimals, isValidQty, lotQty, roundQty } from './price-grid';

describe('quantities', () => {
  it('counts decimals without being fooled by binary floats', () => {
    expect(hasAtMostDecimals(2301.02217847, 8)).toBe(true);
    expect(hasAtMostDecimals(0.01234567, 8)).toBe(true);
    expect(hasAtMostDecimals(0.1 + 0.2, 8)).toBe(true);
    expect(hasAtMostDecimals(0.012345678, 8)).toBe(false);
    expect(hasAtMostDecimals(12_345_678.123456789, 8)).toBe(true); // beyond double precision: nothing to reject
  });

  it('accepts whole shares on KRX and up to 8 decimals on Upbit', () => {
    expect(isValidQty(KRX_GRID, 10)).toBe(true);
    expect(isValidQty(KRX_GRID, 10.5)).toBe(false);
    expect(isValidQty(KRX_GRID, 0)).toBe(false);
    expect(isValidQty(UPBIT_GRID, 0.01234567)).toBe(true);
    expect(isValidQty(UPBIT_GRID, 0.012345678)).toBe(false);
    expect(isValidQty(UPBIT_GRID, -1)).toBe(false);
    expect(isValidQty(UPBIT_GRID, Number.NaN)).toBe(false);
  });

  it('rounds to the lot and never shows less than one lot', () => {
    expect(roundQty(UPBIT_GRID, 0.3 - 0.1)).toBe(0.2);
    expect(roundQty(UPBIT_GRID, 1e-12)).toBe(0);
    expect(lotQty(UPBIT_GRID, 1e-12)).toBe(1e-8);
    expect(lotQty(KRX_GRID, 0.2)).toBe(1);
    expect(lotQty(KRX_GRID, 12.6)).toBe(13);
  });
});
