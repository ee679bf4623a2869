import { describe, expect, it } from 'vitest';
import { normalizeQty, orderGridFor } from './order-grid';

describe('order grid', () => {
  it('steps and snaps KRX prices across band edges', () => {
    const krx = orderGridFor('KRX');
    expect(krx.up(49_950)).toBe(50_000);
    expect(krx.down(50_000)).toBe(49_950);
    expect(krx.snap(72_349)).toBe(72_300);
    expect(krx.snap(72_351)).toBe(72_400);
    expect(krx.snap(72_350)).toBe(72_300);
    expect(krx.down(1)).toBe(1);
  });

  it('uses the Upbit and BO grids for their markets', () => {
    expect(orderGridFor('UPBIT').up(143_250_000)).toBe(143_251_000);
    expect(orderGridFor('UPBIT').snap(12.345)).toBe(12.3);
    expect(orderGridFor('BO').up(91_250.5)).toBe(91_251);
    expect(orderGridFor('BO').isOnGrid(91_250.25)).toBe(false);
  });

  it("cuts a quantity to the market's decimals", () => {
    expect(normalizeQty('KRX', 3.7)).toBe(3);
    expect(normalizeQty('UPBIT', 0.123456789)).toBe(0.12345678);
    expect(normalizeQty('BO', 0.000001)).toBe(0);
    expect(normalizeQty('KRX', Number.NaN)).toBe(0);
  });
});
