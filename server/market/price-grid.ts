/**
 * One interface over the two exchanges' price grids, so the book and the price process never branch on
 * the market. The tables themselves live in lib/format (shared with the UI's order ticket).
 */
import type { Market } from '../../lib/contracts';
import {
  fixDecimals,
  isOnGridIn,
  roundToGridIn,
  tickDownIn,
  tickSizeIn,
  tickUpIn,
  type RoundDirection,
} from '../../lib/format/tick-table';
import { BO_TICK_TABLE } from '../../lib/format/bo-tick-size';
import { isOnKrxGrid, krxTickDown, krxTickSize, krxTickUp, roundToKrxGrid } from '../../lib/format/krx-tick-size';
import {
  isOnUpbitGrid,
  roundToUpbitGrid,
  upbitTickDown,
  upbitTickSize,
  upbitTickUp,
} from '../../lib/format/upbit-tick-size';

export interface PriceGrid {
  tickSize(price: number): number;
  isOnGrid(price: number): boolean;
  /** Next valid price above. */
  up(price: number): number;
  /** Next valid price below; callers check `price > minPrice` first. */
  down(price: number): number;
  round(price: number, direction: RoundDirection): number;
  /** The smallest valid price. */
  readonly minPrice: number;
  /** Decimal places of order quantities: whole shares on KRX, satoshi-like 8 on Upbit. */
  readonly qtyDecimals: number;
  /** Smallest order quantity. */
  readonly minQty: number;
}

export const KRX_GRID: PriceGrid = {
  tickSize: krxTickSize,
  isOnGrid: isOnKrxGrid,
  up: krxTickUp,
  down: krxTickDown,
  round: roundToKrxGrid,
  minPrice: 1,
  qtyDecimals: 0,
  minQty: 1,
};

export const UPBIT_GRID: PriceGrid = {
  tickSize: upbitTickSize,
  isOnGrid: isOnUpbitGrid,
  up: upbitTickUp,
  down: upbitTickDown,
  round: roundToUpbitGrid,
  minPrice: 0.00001,
  qtyDecimals: 8,
  minQty: 0.00000001,
};

/** The table lives in lib/format so the browser's order ticket snaps prices to the same grid. */
export { BO_TICK_TABLE };

export const BO_GRID: PriceGrid = {
  tickSize: (price) => tickSizeIn(BO_TICK_TABLE, price),
  isOnGrid: (price) => isOnGridIn(BO_TICK_TABLE, price),
  up: (price) => tickUpIn(BO_TICK_TABLE, price),
  down: (price) => tickDownIn(BO_TICK_TABLE, price),
  round: (price, direction) => roundToGridIn(BO_TICK_TABLE, price, direction),
  minPrice: 0.00001,
  // The venue's MinSize is 0.00001 (bo-binary.md §11 V9): five decimals of quantity.
  qtyDecimals: 5,
  minQty: 0.00001,
};

export function gridFor(market: Market): PriceGrid {
  if (market === 'KRX') return KRX_GRID;
  if (market === 'UPBIT') return UPBIT_GRID;
  if (market === 'BO') return BO_GRID;
  throw new RangeError(`the market engine does not simulate ${market}`);
}

/** A quantity on the market's lot precision; what is left after a subtraction may round to 0. */
export function roundQty(grid: PriceGrid, qty: number): number {
  return qty <= 0 ? 0 : fixDecimals(qty, grid.qtyDecimals);
}

/** A quantity to show or trade: on the lot precision and at least one lot. */
export function lotQty(grid: PriceGrid, qty: number): number {
  return Math.max(grid.minQty, roundQty(grid, qty));
}

/** Whether a quantity has no more decimals than the market allows. */
export function isValidQty(grid: PriceGrid, qty: number): boolean {
  if (!Number.isFinite(qty) || qty <= 0) return false;
  if (grid.qtyDecimals === 0) return Number.isInteger(qty);
  return hasAtMostDecimals(qty, grid.qtyDecimals);
}

/** A few ulps: 0.1 + 0.2 style noise is not an extra decimal a person typed. */
const QTY_RELATIVE_TOLERANCE = 4 * Number.EPSILON;

/**
 * Whether a float is (up to float noise) a decimal with at most `decimals` places. Compares relative to the
 * value: 2301.02217847 × 1e8 is off by ~1e-5 in binary, which an absolute tolerance would call a 9th decimal.
 */
export function hasAtMostDecimals(value: number, decimals: number): boolean {
  return Math.abs(fixDecimals(value, decimals) - value) <= Math.abs(value) * QTY_RELATIVE_TOLERANCE;
}
