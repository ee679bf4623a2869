/**
 * The Upbit KRW markets the simulator trades. Prices are plausible 2025–26 KRW levels on Upbit's price grid.
 * BTC and ETH are the busiest books on Upbit; XRP is unusually busy there (Korean retail favourite).
 */
import { formatSymbol, type Instrument } from '../../lib/contracts';
import type { Listing } from './listing';

type UpbitRow = readonly [market: string, name: string, nameEn: string, prevClose: number, tradesPerSec: number, dailyVolatility: number];

/** Daily volatility over 24 h: ~3% for BTC, more for the rest. */
const UPBIT_ROWS: readonly UpbitRow[] = [
  ['KRW-BTC', '비트코인', 'Bitcoin', 137_500_000, 9, 0.03],
  ['KRW-ETH', '이더리움', 'Ethereum', 4_612_000, 6, 0.04],
  ['KRW-XRP', '리플', 'XRP', 3_215, 7, 0.05],
  ['KRW-SOL', '솔라나', 'Solana', 231_400, 3, 0.05],
  ['KRW-DOGE', '도지코인', 'Dogecoin', 238, 3, 0.06],
  ['KRW-ADA', '에이다', 'Cardano', 712, 1.5, 0.05],
];

export function upbitListings(): Listing[] {
  return UPBIT_ROWS.map(([code, name, nameEn, prevClose, tradesPerSec, dailyVolatility]) => ({
    instrument: { symbol: formatSymbol('UPBIT', code), market: 'UPBIT', code, name, nameEn, venue: 'UPBIT', prevClose },
    tradesPerSec,
    dailyVolatility,
  }));
}

/** @example upbitInstruments()[0]?.symbol // 'UPBIT:KRW-BTC' */
export function upbitInstruments(): Instrument[] {
  return upbitListings().map((listing) => listing.instrument);
}
