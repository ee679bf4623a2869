/**
 * KRX daily price limits (가격제한폭), ±30% of the base price (normally the previous close).
 *
 * The rule, as KRX applies it:
 *  1. width = 30% of the base, rounded DOWN to a multiple of the tick at the BASE price;
 *  2. 상한가 (upper) = base + width, rounded DOWN onto the grid (the tick there may be coarser);
 *  3. 하한가 (lower) = base − width, rounded UP onto the grid, and never below 1 won.
 * So a limit is always a price one can actually order at, and never more than 30% away.
 *
 * @example krxPriceLimits(72_300) // { upper: 93_900, lower: 50_700 }
 * @example krxPriceLimits(4_490)  // { upper: 5_830, lower: 3_145 } (upper crosses into the 10-won band)
 */
import { krxTickSize, roundToKrxGrid } from './krx-tick-size';

export interface KrxPriceLimits {
  upper: number;
  lower: number;
}

/** 30%, written as a ratio of integers so the width is computed without float error (0.3 is not exact). */
const LIMIT_NUMERATOR = 3;
const LIMIT_DENOMINATOR = 10;

export function krxPriceLimits(prevClose: number): KrxPriceLimits {
  if (!Number.isInteger(prevClose) || prevClose <= 0) {
    throw new RangeError(`a KRX base price is a positive whole number of won, got ${prevClose}`);
  }
  const tick = krxTickSize(prevClose);
  // Integer numerator and denominator: the quotient is correctly rounded, so floor() cannot be off by one.
  const width = Math.floor((prevClose * LIMIT_NUMERATOR) / (LIMIT_DENOMINATOR * tick)) * tick;
  const upper = roundToKrxGrid(prevClose + width, 'down');
  // base − width ≥ 70% of a positive base, so it is positive and rounding up is always defined.
  const lower = Math.max(1, roundToKrxGrid(prevClose - width, 'up'));
  return { upper, lower };
}
