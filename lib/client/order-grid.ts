/**
 * The order ticket's price and quantity rules per market, the same grids the server checks orders against
 * (server/market/price-grid.ts reads the same tables): a price stepper moves one tick at a time, a typed price is
 * snapped onto the grid before it is sent.
 */
import type { Market } from '../contracts';
import { BO_TICK_TABLE } from '../format/bo-tick-size';
import { isOnKrxGrid, krxTickDown, krxTickSize, krxTickUp, roundToKrxGrid } from '../format/krx-tick-size';
import { fixDecimals, isOnGridIn, roundToGridIn, tickDownIn, tickSizeIn, tickUpIn } from '../format/tick-table';
import { isOnUpbitGrid, roundToUpbitGrid, upbitTickDown, upbitTickSize, upbitTickUp } from '../format/upbit-tick-size';

export interface OrderGrid {
  tickSize(price: number): number;
  isOnGrid(price: number): boolean;
  up(price: number): number;
  down(price: number): number;
  /** The nearest on-grid price (ties go down: a buyer is never moved to pay more than typed). */
  snap(price: number): number;
  /** Decimal places a quantity may have: whole shares on KRX. */
  qtyDecimals: number;
  minPrice: number;
}

function nearest(down: number, up: number, price: number): number {
  return price - down <= up - price ? down : up;
}

const KRX: OrderGrid = {
  tickSize: krxTickSize,
  isOnGrid: isOnKrxGrid,
  up: krxTickUp,
  down: (price) => (price <= 1 ? 1 : krxTickDown(price)),
  snap: (price) => nearest(roundToKrxGrid(price, 'down'), roundToKrxGrid(price, 'up'), price),
  qtyDecimals: 0,
  minPrice: 1,
};

const UPBIT: OrderGrid = {
  tickSize: upbitTickSize,
  isOnGrid: isOnUpbitGrid,
  up: upbitTickUp,
  down: (price) => (price <= 0.00001 ? 0.00001 : upbitTickDown(price)),
  snap: (price) => nearest(roundToUpbitGrid(price, 'down'), roundToUpbitGrid(price, 'up'), price),
  qtyDecimals: 8,
  minPrice: 0.00001,
};

const BO: OrderGrid = {
  tickSize: (price) => tickSizeIn(BO_TICK_TABLE, price),
  isOnGrid: (price) => isOnGridIn(BO_TICK_TABLE, price),
  up: (price) => tickUpIn(BO_TICK_TABLE, price),
  down: (price) => (price <= 0.00001 ? 0.00001 : tickDownIn(BO_TICK_TABLE, price)),
  snap: (price) => nearest(roundToGridIn(BO_TICK_TABLE, price, 'down'), roundToGridIn(BO_TICK_TABLE, price, 'up'), price),
  qtyDecimals: 5,
  minPrice: 0.00001,
};

export function orderGridFor(market: Market): OrderGrid {
  if (market === 'UPBIT') return UPBIT;
  if (market === 'BO') return BO;
  return KRX;
}

/** A typed quantity cut to the market's decimals; 0 when nothing valid is left. */
export function normalizeQty(market: Market, qty: number): number {
  if (!Number.isFinite(qty) || qty <= 0) return 0;
  const decimals = orderGridFor(market).qtyDecimals;
  const scale = 10 ** decimals;
  return fixDecimals(Math.floor(qty * scale + 1e-6) / scale, decimals);
}
