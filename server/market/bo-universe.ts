/**
 * The binary order-entry venue's instruments (bo-binary.md §5 SymbolEnum: BTCUSD 1, USDUSDT 2, FLYUSDT 3,
 * BTCUSDT 4), priced in US dollars on the BO grid (price-grid.ts). Prices are plausible late-2026 levels, not
 * quotes. The venue trades around the clock, like Upbit, so its day is 24 h (UTC) and it has no price limits.
 * `symbolEnum` is the venue's own number for the instrument; the BO codec and simulator map symbols with it.
 */
import { formatSymbol, type Instrument } from '../../lib/contracts';
import type { Listing } from './listing';

type BoRow = readonly [code: string, symbolEnum: number, name: string, prevClose: number, tradesPerSec: number, dailyVolatility: number];

/** A small venue: BTC books trade a couple of times a second, the stablecoin pair and FLY much less. */
const BO_ROWS: readonly BoRow[] = [
  ['BTCUSD', 1, 'Bitcoin / US dollar', 91_250.5, 2, 0.03],
  ['USDUSDT', 2, 'US dollar / Tether', 1.0002, 0.5, 0.001],
  ['FLYUSDT', 3, 'FLY / Tether', 0.04125, 0.4, 0.06],
  ['BTCUSDT', 4, 'Bitcoin / Tether', 91_262, 1.5, 0.03],
];

export interface BoListing extends Listing {
  /** The venue's SymbolEnum (bo-binary.md §5). */
  symbolEnum: number;
}

export function boListings(): BoListing[] {
  return BO_ROWS.map(([code, symbolEnum, name, prevClose, tradesPerSec, dailyVolatility]) => ({
    instrument: { symbol: formatSymbol('BO', code), market: 'BO', code, name, nameEn: name, venue: 'BO', prevClose },
    symbolEnum,
    tradesPerSec,
    dailyVolatility,
  }));
}

/** @example boInstruments()[0]?.symbol // 'BO:BTCUSD' */
export function boInstruments(): Instrument[] {
  return boListings().map((listing) => listing.instrument);
}
