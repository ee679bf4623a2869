import type { Market, SymbolId } from './symbol';

/** What the watchlist search and the chart header know about a tradable thing. */
export interface Instrument {
  symbol: SymbolId;
  market: Market;
  code: string;
  /** The name people use: Korean for KRX (삼성전자), Korean for Upbit coins too (비트코인). */
  name: string;
  /** English name, for search. */
  nameEn: string;
  /** Listing venue: KOSPI, KOSDAQ, UPBIT, BO. */
  venue: 'KOSPI' | 'KOSDAQ' | 'UPBIT' | 'BO';
  /** Previous close, the reference for change and limits today. */
  prevClose: number;
}
