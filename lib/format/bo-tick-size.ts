/**
 * The BO venue's dollar grid, as data for the generic band arithmetic (tick-table.ts): shared by the market
 * engine and the browser's order ticket.
 */
import type { TickTable } from './tick-table';

/**
 * Half a dollar for the BTC books (the venue's PriceIncrement 0.5 for BTCUSD, bo-binary.md §11 V9), a hundredth
 * of a cent for the dollar-stable pair, a thousandth of a cent below 0.1. Band edges sit far from the listed
 * prices, so each instrument keeps one increment in practice.
 */
export const BO_TICK_TABLE: TickTable = [
  { from: 1_000, tick: 0.5, decimals: 1 },
  { from: 0.1, tick: 0.0001, decimals: 4 },
  { from: 0, tick: 0.00001, decimals: 5 },
];
