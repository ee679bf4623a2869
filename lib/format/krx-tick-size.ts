/**
 * KRX 호가가격단위 (quote price unit), in force since 2023-01-25 and the same for KOSPI and KOSDAQ.
 * A price is valid only when it is a whole multiple of the tick of the band it falls in.
 *
 * These functions sit on the simulator's hottest path (every quote of every symbol, 20× a second), so they
 * use a plain if-chain over whole won instead of the generic band-table walk Upbit needs; KRX_TICK_TABLE
 * states the same rule as data, and a test holds the two together.
 */
import type { RoundDirection, TickTable } from './tick-table';

/** Highest band first: price ≥ from → tick. KRW prices are whole won, hence 0 decimals everywhere. */
export const KRX_TICK_TABLE: TickTable = [
  { from: 500_000, tick: 1_000, decimals: 0 },
  { from: 200_000, tick: 500, decimals: 0 },
  { from: 50_000, tick: 100, decimals: 0 },
  { from: 20_000, tick: 50, decimals: 0 },
  { from: 5_000, tick: 10, decimals: 0 },
  { from: 2_000, tick: 5, decimals: 0 },
  { from: 0, tick: 1, decimals: 0 },
];

/**
 * Slack, in ticks, for float noise when rounding (72,300.000000001 is 72,300, not 72,400). Far below any
 * real fraction of a won, far above double rounding error at KRX price magnitudes.
 */
const ROUNDING_EPSILON = 1e-9;

/**
 * The tick at a price.
 * @example krxTickSize(1_999) // 1
 * @example krxTickSize(2_000) // 5
 * @example krxTickSize(72_300) // 100
 */
export function krxTickSize(price: number): number {
  if (price < 2_000) return 1;
  if (price < 5_000) return 5;
  if (price < 20_000) return 10;
  if (price < 50_000) return 50;
  if (price < 200_000) return 100;
  if (price < 500_000) return 500;
  return 1_000;
}

/**
 * Whether an order at this price would be accepted by KRX's grid check.
 * @example isOnKrxGrid(72_300) // true
 * @example isOnKrxGrid(72_350) // false (tick is 100 there)
 */
export function isOnKrxGrid(price: number): boolean {
  // Strictly whole won: a float that is merely close to the grid is a bug upstream, not a valid KRX price.
  return Number.isInteger(price) && price > 0 && price % krxTickSize(price) === 0;
}

/**
 * Snaps a price onto the grid. Band edges are multiples of the ticks on both sides, so rounding inside the
 * price's own band always lands on a valid price (at most the next band's first price).
 * @example roundToKrxGrid(72_350, 'down') // 72_300
 * @example roundToKrxGrid(4_996, 'up')    // 5_000
 */
export function roundToKrxGrid(price: number, direction: RoundDirection): number {
  if (!Number.isFinite(price) || price <= 0) {
    throw new RangeError(`a price must be a positive finite number, got ${price}`);
  }
  const tick = krxTickSize(price);
  const units = price / tick;
  const whole = direction === 'down' ? Math.floor(units + ROUNDING_EPSILON) : Math.ceil(units - ROUNDING_EPSILON);
  if (whole <= 0) throw new RangeError(`no KRX price at or below ${price}`);
  return whole * tick;
}

/**
 * Next valid price above, crossing band edges correctly.
 * @example krxTickUp(4_995) // 5_000
 * @example krxTickUp(5_000) // 5_010
 */
export function krxTickUp(price: number): number {
  if (isOnKrxGrid(price)) return price + krxTickSize(price);
  return roundToKrxGrid(price, 'up');
}

/**
 * Next valid price below, crossing band edges correctly; throws RangeError when there is none (at 1 won).
 * @example krxTickDown(5_000) // 4_995
 * @example krxTickDown(2_000) // 1_999
 */
export function krxTickDown(price: number): number {
  if (isOnKrxGrid(price)) {
    if (price <= 1) throw new RangeError(`no KRX price below ${price}`);
    // The step down uses the tick of the band just below `price`, which differs at a band edge.
    return price - krxTickSize(price - 1);
  }
  return roundToKrxGrid(price, 'down');
}
