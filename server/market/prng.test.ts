import { describe, expect, it } from 'vitest';
import { Prng, hashString } from './prng';

function draws(rng: Prng, n: number, draw: (r: Prng) => number): number[] {
  return Array.from({ length: n }, () => draw(rng));
}

function meanAndVariance(values: number[]): { mean: number; variance: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1);
  return { mean, variance };
}

describe('Prng', () => {
  it('repeats exactly for the same seed and stream, and differs otherwise', () => {
    const a = draws(new Prng(42, 7), 100, (r) => r.nextUint32());
    const b = draws(new Prng(42, 7), 100, (r) => r.nextUint32());
    const otherSeed = draws(new Prng(43, 7), 100, (r) => r.nextUint32());
    const otherStream = draws(new Prng(42, 8), 100, (r) => r.nextUint32());
    expect(a).toEqual(b);
    expect(a).not.toEqual(otherSeed);
    expect(a).not.toEqual(otherStream);
  });

  it('next() is uniform in [0, 1)', () => {
    const values = draws(new Prng(1), 50_000, (r) => r.next());
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    const { mean, variance } = meanAndVariance(values);
    expect(mean).toBeCloseTo(0.5, 2);
    expect(variance).toBeCloseTo(1 / 12, 2);
  });

  it('int() covers both ends of its range and nothing outside', () => {
    const seen = new Set(draws(new Prng(2), 5_000, (r) => r.int(-2, 3)));
    expect([...seen].sort((x, y) => x - y)).toEqual([-2, -1, 0, 1, 2, 3]);
  });

  it('normal() has the asked mean and standard deviation', () => {
    const { mean, variance } = meanAndVariance(draws(new Prng(3), 50_000, (r) => r.normal(10, 2)));
    expect(mean).toBeCloseTo(10, 1);
    expect(Math.sqrt(variance)).toBeCloseTo(2, 1);
  });

  it.each([0.05, 0.8, 4, 25, 120])('poisson(%d) has mean and variance λ', (lambda) => {
    const values = draws(new Prng(4), 40_000, (r) => r.poisson(lambda));
    expect(values.every((v) => Number.isInteger(v) && v >= 0)).toBe(true);
    const { mean, variance } = meanAndVariance(values);
    expect(Math.abs(mean - lambda)).toBeLessThan(0.05 * lambda + 0.01);
    expect(Math.abs(variance - lambda)).toBeLessThan(0.1 * lambda + 0.01);
  });

  it('poisson of a non-positive mean is 0', () => {
    expect(new Prng(5).poisson(0)).toBe(0);
    expect(new Prng(5).poisson(-1)).toBe(0);
  });

  it('pick() returns every element eventually and refuses an empty array', () => {
    const rng = new Prng(6);
    const seen = new Set(draws(rng, 200, (r) => r.pick([10, 20, 30])));
    expect(seen).toEqual(new Set([10, 20, 30]));
    expect(() => rng.pick([])).toThrow(RangeError);
  });

  it('hashString is stable', () => {
    expect(hashString('KRX:005930')).toBe(hashString('KRX:005930'));
    expect(hashString('KRX:005930')).not.toBe(hashString('KRX:000660'));
    // FNV-1a reference value for the empty string.
    expect(hashString('')).toBe(0x811c9dc5);
  });
});
