/**
 * Upbit KRW-market 호가 단위 (order price unit). This follows Upbit's published KRW-market table; the
 * simulator only needs it for realism (books and prints that look like Upbit's), Upbit itself is the
 * authority for live orders. Results are rounded to the tick's decimal places so float drift never shows.
 */
import {
  isOnGridIn,
  roundToGridIn,
  tickDownIn,
  tickSizeIn,
  tickUpIn,
  type RoundDirection,
  type TickTable,
} from './tick-table';

/** Highest band first: price ≥ from → tick. */
export const UPBIT_KRW_TICK_TABLE: TickTable = [
  { from: 2_000_000, tick: 1_000, decimals: 0 },
  { from: 1_000_000, tick: 1_000, decimals: 0 },
  { from: 500_000, tick: 500, decimals: 0 },
  { from: 100_000, tick: 100, decimals: 0 },
  { from: 50_000, tick: 50, decimals: 0 },
  { from: 10_000, tick: 10, decimals: 0 },
  { from: 5_000, tick: 5, decimals: 0 },
  { from: 1_000, tick: 1, decimals: 0 },
  { from: 100, tick: 1, decimals: 0 },
  { from: 10, tick: 0.1, decimals: 1 },
  { from: 1, tick: 0.01, decimals: 2 },
  { from: 0.1, tick: 0.001, decimals: 3 },
  { from: 0.01, tick: 0.0001, decimals: 4 },
  { from: 0, tick: 0.00001, decimals: 5 },
];

/**
 * @example upbitTickSize(143_250_000) // 1_000
 * @example upbitTickSize(3_215)       // 1
 * @example upbitTickSize(0.5)         // 0.001
 */
export function upbitTickSize(price: number): number {
  return tickSizeIn(UPBIT_KRW_TICK_TABLE, price);
}

/** @example isOnUpbitGrid(12.3) // true;  isOnUpbitGrid(12.34) // false */
export function isOnUpbitGrid(price: number): boolean {
  return isOnGridIn(UPBIT_KRW_TICK_TABLE, price);
}

/** @example upbitTickUp(9.99) // 10 */
export function upbitTickUp(price: number): number {
  return tickUpIn(UPBIT_KRW_TICK_TABLE, price);
}

/** @example upbitTickDown(10) // 9.99 */
export function upbitTickDown(price: number): number {
  return tickDownIn(UPBIT_KRW_TICK_TABLE, price);
}

/** @example roundToUpbitGrid(0.12345, 'down') // 0.123 */
export function roundToUpbitGrid(price: number, direction: RoundDirection): number {
  return roundToGridIn(UPBIT_KRW_TICK_TABLE, price, direction);
}
