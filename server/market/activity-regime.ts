/**
 * Markov-switching trading activity. Real tapes are not Poisson with a constant rate: news, sweeps and
 * index moves bring bursts of prints, followed by lulls. Two regimes with exponential holding times give
 * exactly that clustering while keeping the long-run mean rate equal to the listing's rate.
 */
import type { Prng } from './prng';

export type Regime = 'quiet' | 'burst';

/** Mean time in the quiet regime: a few bursts per active minute, like a busy large cap. */
export const QUIET_MEAN_SEC = 25;
/** Mean burst length: a few seconds, the span of a sweep or a headline reaction. */
export const BURST_MEAN_SEC = 4;
/** Bursts trade 4× the mean rate: 005930 at ~5.5/s averages ~22/s in a burst. */
export const BURST_RATE_MULTIPLIER = 4;
/** Prices move more when volume spikes; bursts carry twice the per-second volatility of calm periods. */
export const BURST_VOL_MULTIPLIER = 2;

/** Long-run share of time spent bursting. */
export const BURST_SHARE = BURST_MEAN_SEC / (QUIET_MEAN_SEC + BURST_MEAN_SEC);
/** Chosen so the time-weighted mean rate is exactly 1× the listing's rate. */
export const QUIET_RATE_MULTIPLIER = (1 - BURST_SHARE * BURST_RATE_MULTIPLIER) / (1 - BURST_SHARE);
/** Chosen so the time-weighted variance matches the listing's daily volatility. */
const QUIET_VOL_MULTIPLIER = 1 / Math.sqrt(1 - BURST_SHARE + BURST_SHARE * BURST_VOL_MULTIPLIER ** 2);

export function rateMultiplier(regime: Regime): number {
  return regime === 'burst' ? BURST_RATE_MULTIPLIER : QUIET_RATE_MULTIPLIER;
}

export function volMultiplier(regime: Regime): number {
  return regime === 'burst' ? QUIET_VOL_MULTIPLIER * BURST_VOL_MULTIPLIER : QUIET_VOL_MULTIPLIER;
}

/** Starts in a regime drawn from the long-run shares, so a fresh engine is not always calm. */
export function initialRegime(rng: Prng): Regime {
  return rng.chance(BURST_SHARE) ? 'burst' : 'quiet';
}

/** The regime after `dtSec`, switching with the exponential holding time's probability. */
export function nextRegime(regime: Regime, dtSec: number, rng: Prng): Regime {
  const meanStay = regime === 'burst' ? BURST_MEAN_SEC : QUIET_MEAN_SEC;
  const switchProbability = 1 - Math.exp(-dtSec / meanStay);
  if (!rng.chance(switchProbability)) return regime;
  return regime === 'burst' ? 'quiet' : 'burst';
}
