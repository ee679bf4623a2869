import { describe, expect, it } from 'vitest';
import { runKrx } from './krx-invariant-run';

// Its own file so vitest runs it in parallel with the other 100,000-step run in price-process.test.ts.
describe('KRX daily limits under stress', () => {
  it('pins at the daily limits without crossing them when volatility is extreme', () => {
    // 40× volatility over 5,000 simulated seconds is a ~50% daily-sd walk: several names must hit a limit.
    const report = runKrx({ seed: 11, activity: 5, volatility: 40, steps: 100_000 });
    expect(report.violations).toEqual([]);
    expect(report.upperHits).toBeGreaterThan(0);
    expect(report.lowerHits).toBeGreaterThan(0);
    expect(report.oneSidedAtLimit).toBeGreaterThan(0);
  });
});
