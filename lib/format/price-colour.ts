import type { PriceSign } from '../contracts/events';

/**
 * Korean convention: rising prices are red, falling blue (the reverse of US screens).
 * Returns a CSS class-name token the UI maps to colours; this file stays free of styling.
 */
export type PriceDirection = 'rise' | 'fall' | 'flat';

export function directionOf(change: number): PriceDirection {
  if (change > 0) return 'rise';
  if (change < 0) return 'fall';
  return 'flat';
}

export function directionOfSign(sign: PriceSign): PriceDirection {
  if (sign === 'up' || sign === 'upper') return 'rise';
  if (sign === 'down' || sign === 'lower') return 'fall';
  return 'flat';
}

/** The sign a tick carries, from its price against the previous close and the day's limits. */
export function signOf(price: number, prevClose: number, upperLimit: number | null, lowerLimit: number | null): PriceSign {
  if (upperLimit !== null && price >= upperLimit) return 'upper';
  if (lowerLimit !== null && price <= lowerLimit) return 'lower';
  if (price > prevClose) return 'up';
  if (price < prevClose) return 'down';
  return 'flat';
}
