/**
 * Price-axis ticks that sit on the market's own price grid: a KRX chart at 97,900 labels 97,600 / 97,800 /
 * 98,000, never 97,840, which no order could ever trade at.
 */
import type { Market } from '../contracts/symbol';
import { krxTickSize } from './krx-tick-size';
import { fixDecimals } from './tick-table';
import { upbitTickSize } from './upbit-tick-size';

/** Five to six labels fit a chart's height without crowding. */
const TARGET_LABELS = 5;
/** Whole multiples of the tick only (2.5 ticks would put every other label off the grid). */
const NICE_STEPS = [1, 2, 5];

export function tickSizeFor(market: Market, price: number): number {
  return market === 'UPBIT' ? upbitTickSize(price) : market === 'KRX' ? krxTickSize(price) : 0.01;
}

export interface PriceAxis {
  domain: [number, number];
  ticks: number[];
}

/**
 * @example priceAxis('KRX', 97_680, 98_000) // { domain: [97600, 98000], ticks: [97600, 97700, 97800, 97900, 98000] }
 */
export function priceAxis(market: Market, min: number, max: number): PriceAxis {
  const tick = tickSizeFor(market, (min + max) / 2);
  const span = Math.max(max - min, tick);
  const step = niceStep(tick, span / TARGET_LABELS);
  const decimals = Math.max(0, -Math.floor(Math.log10(tick)) + 1);
  const low = fixDecimals(Math.floor(min / step) * step, decimals);
  const high = Math.max(fixDecimals(Math.ceil(max / step) * step, decimals), fixDecimals(low + step, decimals));
  const ticks: number[] = [];
  for (let value = low; value <= high + step / 2; value += step) ticks.push(fixDecimals(value, decimals));
  return { domain: [low, high], ticks };
}

/** The smallest 1, 2 or 5 × 10^k ticks that is at least `atLeast`. */
function niceStep(tick: number, atLeast: number): number {
  for (let magnitude = 1; ; magnitude *= 10) {
    for (const n of NICE_STEPS) if (n * magnitude * tick >= atLeast) return n * magnitude * tick;
  }
}
