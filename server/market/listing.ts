import type { Instrument } from '../../lib/contracts';

/** An instrument plus what the simulator needs to make it trade like itself. */
export interface Listing {
  instrument: Instrument;
  /** Mean trades per second at activity 1; the regime switching swings around this. */
  tradesPerSec: number;
  /** Standard deviation of the log return over one trading day (KRX: one session; Upbit: 24 h). */
  dailyVolatility: number;
}
