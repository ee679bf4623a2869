import { describe, expect, it } from 'vitest';
import { isOnUpbitGrid, upbitTickUp } from '../../lib/format/upbit-tick-size';
import { MONDAY_10_KST, STEP_MS, runKrx } from './krx-invariant-run';
import { MarketEngine } from './market-engine';
import { hasAtMostDecimals } from './price-grid';
import { UPBIT_BOOK_DEPTH } from './price-process';

describe('KRX price process', () => {
  it('keeps every print and every book level on the grid and inside the limits for 100,000 busy steps', () => {
    const report = runKrx({ seed: 11, activity: 5, volatility: 1, steps: 100_000 });
    expect(report.violations).toEqual([]);
    // Not vacuous: hundreds of thousands of prints and books were checked.
    expect(report.trades).toBeGreaterThan(200_000);
    expect(report.books).toBeGreaterThan(200_000);
  });
});

describe('Upbit price process', () => {
  it('keeps prices on the Upbit grid and quantities to at most 8 decimals', () => {
    // A Saturday in KST: Upbit trades while KRX is shut.
    let now = Date.parse('2026-03-07T10:00:00+09:00');
    const engine = new MarketEngine({ seed: 5, alwaysOpen: false, now: () => now, activity: 2, volatility: 10 });
    const violations: string[] = [];
    const fail = (text: string) => violations.length < 20 && violations.push(text);
    const eightDecimals = (qty: number) => qty > 0 && hasAtMostDecimals(qty, 8);
    let trades = 0;
    let fractional = 0;
    engine.on('trade', (t) => {
      if (!t.symbol.startsWith('UPBIT:')) return;
      trades++;
      if (!isOnUpbitGrid(t.price)) fail(`off-grid ${t.symbol} ${t.price}`);
      if (!eightDecimals(t.qty)) fail(`qty ${t.symbol} ${t.qty}`);
      if (!eightDecimals(t.cumVolume)) fail(`cumVolume ${t.symbol} ${t.cumVolume}`);
      if (t.upperLimit !== null || t.lowerLimit !== null) fail(`Upbit has no limits ${t.symbol}`);
      if (!Number.isInteger(t.qty)) fractional++;
    });
    engine.on('book', (b) => {
      if (!b.symbol.startsWith('UPBIT:')) return;
      if (b.asks.length !== UPBIT_BOOK_DEPTH || b.bids.length !== UPBIT_BOOK_DEPTH) fail(`depth ${b.symbol}`);
      for (const levels of [b.asks, b.bids]) {
        for (const { price, qty } of levels) {
          if (!isOnUpbitGrid(price)) fail(`off-grid level ${b.symbol} ${price}`);
          if (!eightDecimals(qty)) fail(`level qty ${b.symbol} ${qty}`);
        }
      }
      for (let i = 1; i < b.asks.length; i++) {
        if (upbitTickUp(b.asks[i - 1]!.price) !== b.asks[i]!.price) fail(`ask gap ${b.symbol}`);
      }
      if (b.bids[0]!.price >= b.asks[0]!.price) fail(`crossed ${b.symbol}`);
    });
    for (let i = 0; i < 20_000; i++) {
      now += STEP_MS;
      engine.step(STEP_MS);
    }
    expect(violations).toEqual([]);
    expect(trades).toBeGreaterThan(10_000);
    expect(fractional / trades).toBeGreaterThan(0.99);
  });
});

describe('activity regimes', () => {
  it('trades in bursts and lulls: per-second counts are far more dispersed than a constant-rate Poisson', () => {
    let now = MONDAY_10_KST;
    const engine = new MarketEngine({ seed: 3, alwaysOpen: true, now: () => now, symbols: ['KRX:005930'] });
    const seconds = 1_200;
    const stepsPerSecond = 1_000 / STEP_MS;
    const counts = new Array<number>(seconds).fill(0);
    let second = 0;
    engine.on('trade', () => counts[second]!++);
    for (let i = 0; i < seconds * stepsPerSecond; i++) {
      second = Math.floor(i / stepsPerSecond);
      now += STEP_MS;
      engine.step(STEP_MS);
    }
    const mean = counts.reduce((a, b) => a + b, 0) / seconds;
    const variance = counts.reduce((a, b) => a + (b - mean) ** 2, 0) / (seconds - 1);
    // Poisson: variance / mean = 1. Regime switching makes it several times that.
    expect(variance / mean).toBeGreaterThan(3);
    // Samsung Electronics: a few prints a second on average, 20+ in a burst.
    expect(mean).toBeGreaterThanOrEqual(3);
    expect(mean).toBeLessThanOrEqual(8);
    expect(Math.max(...counts)).toBeGreaterThanOrEqual(20);
    // Lulls too: some seconds are far below the mean.
    expect(counts.filter((c) => c <= 1).length).toBeGreaterThan(10);
  });
});
