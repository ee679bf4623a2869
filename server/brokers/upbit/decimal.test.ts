import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDecimal, compareDecimal, divDecimal, mulDecimal, normalizeDecimal, roundDecimal, subDecimal } from './decimal';

/** Decimal text with up to 12 integer and 20 fractional digits, either sign. */
const decimal = fc
  .tuple(fc.boolean(), fc.bigInt({ min: 0n, max: 10n ** 12n }), fc.integer({ min: 0, max: 20 }), fc.bigInt({ min: 0n, max: 10n ** 20n - 1n }))
  .map(([negative, int, places, frac]) => `${negative ? '-' : ''}${int}${places > 0 ? `.${frac.toString().padStart(20, '0').slice(0, places)}` : ''}`);

describe('decimal text arithmetic', () => {
  it('is exact where a double is not', () => {
    expect(addDecimal('0.1', '0.2')).toBe('0.3');
    expect(addDecimal('1386929.37231066771348207123', '10329.670127489597585685')).toBe('1397259.04243815731106775623');
    expect(subDecimal('5', '7.25')).toBe('-2.25');
    expect(mulDecimal('137500000', '0.00014208')).toBe('19536');
    expect(normalizeDecimal('98000.00000000')).toBe('98000');
    expect(roundDecimal('1.23456789', 4)).toBe('1.2346');
    expect(divDecimal('10', '3', 8)).toBe('3.33333333');
    expect(compareDecimal('0.10', '0.1')).toBe(0);
  });

  it('a + b − b = a, and a × 1 = a, for any decimal text', () => {
    fc.assert(
      fc.property(decimal, decimal, (a, b) => {
        expect(compareDecimal(subDecimal(addDecimal(a, b), b), a)).toBe(0);
        expect(compareDecimal(mulDecimal(a, '1'), a)).toBe(0);
        expect(compareDecimal(a, b) + compareDecimal(b, a)).toBe(0);
        expect(compareDecimal(a, a)).toBe(0);
      }),
      { numRuns: 1_000 },
    );
  });
});
