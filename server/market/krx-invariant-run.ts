/**
 * Test support: runs an engine on a fake clock over KRX names and checks every print and every book against
 * the KRX tick grid and daily limits. Shared by the long-run tests (price-process, price-limits) so each can
 * run in its own vitest worker; not imported by production code.
 */
import type { SymbolId } from '../../lib/contracts';
import { krxPriceLimits } from '../../lib/format/krx-price-limits';
import { isOnKrxGrid, krxTickUp } from '../../lib/format/krx-tick-size';
import type { EngineBook, EngineTrade } from './engine-types';
import { MarketEngine } from './market-engine';
import { KRX_BOOK_DEPTH } from './price-process';

// Local bindings: transformed ESM imports are property getters, and the checker calls these tens of millions
// of times; reading each once here halves the checker's cost.
const onGrid = isOnKrxGrid;
const tickUp = krxTickUp;

export const MONDAY_10_KST = Date.parse('2026-03-02T10:00:00+09:00');
export const STEP_MS = 50;

/**
 * One name per tick-band edge (2,000 / 5,000 / 20,000 / 50,000 / 200,000 / 500,000 won) plus the two
 * giants, so ±30% moves cross every edge of the KRX table.
 */
export const BAND_EDGE_SYMBOLS: SymbolId[] = [
  'KRX:003280', // 1,985: 1 ↔ 5
  'KRX:003530', // 4,490: 5 ↔ 10
  'KRX:293490', // 16,480: 10 ↔ 50
  'KRX:028300', // 48,650: 50 ↔ 100
  'KRX:009150', // 205,500: 100 ↔ 500
  'KRX:196170', // 478,500: 500 ↔ 1,000
  'KRX:005930',
  'KRX:000660',
];

export interface KrxRunReport {
  violations: string[];
  trades: number;
  books: number;
  upperHits: number;
  lowerHits: number;
  oneSidedAtLimit: number;
}

/** Steps an engine, checking every print and every book against the KRX grid and daily limits. */
export function runKrx(options: { seed: number; activity: number; volatility: number; steps: number }): KrxRunReport {
  let now = MONDAY_10_KST;
  const engine = new MarketEngine({ ...options, alwaysOpen: true, now: () => now, symbols: BAND_EDGE_SYMBOLS });
  const limits = new Map(BAND_EDGE_SYMBOLS.map((s) => [s, krxPriceLimits(engine.instrument(s)!.prevClose)]));
  const report: KrxRunReport = { violations: [], trades: 0, books: 0, upperHits: 0, lowerHits: 0, oneSidedAtLimit: 0 };
  // Collect, don't expect(): a million expect() calls would dominate the run time.
  const fail = (text: string) => {
    if (report.violations.length < 20) report.violations.push(text);
  };

  engine.on('trade', (t: EngineTrade) => {
    report.trades++;
    const { upper, lower } = limits.get(t.symbol)!;
    if (!onGrid(t.price)) fail(`off-grid trade ${t.symbol} ${t.price}`);
    if (t.price > upper || t.price < lower) fail(`trade outside limits ${t.symbol} ${t.price}`);
    if (t.upperLimit !== upper || t.lowerLimit !== lower) fail(`wrong limits on trade ${t.symbol}`);
    if (!Number.isInteger(t.qty) || t.qty < 1) fail(`bad KRX qty ${t.symbol} ${t.qty}`);
    if (t.high > upper || t.low < lower) fail(`high/low outside limits ${t.symbol}`);
    if (t.price === upper) report.upperHits++;
    if (t.price === lower) report.lowerHits++;
  });

  engine.on('book', (b: EngineBook) => {
    report.books++;
    const { upper, lower } = limits.get(b.symbol)!;
    if (b.asks.length > KRX_BOOK_DEPTH || b.bids.length > KRX_BOOK_DEPTH) fail(`too deep ${b.symbol}`);
    const sides: [string, typeof b.asks][] = [
      ['ask', b.asks],
      ['bid', b.bids],
    ];
    for (const [name, levels] of sides) {
      for (let i = 0; i < levels.length; i++) {
        const { price, qty } = levels[i]!;
        if (!onGrid(price)) fail(`off-grid ${name} ${b.symbol} ${price}`);
        if (price > upper || price < lower) fail(`${name} outside limits ${b.symbol} ${price}`);
        if (!Number.isInteger(qty) || qty < 1) fail(`bad ${name} qty ${b.symbol} ${qty}`);
        if (i > 0) {
          const prev = levels[i - 1]!.price;
          const contiguous = name === 'ask' ? tickUp(prev) === price : tickUp(price) === prev;
          if (!contiguous) fail(`gap inside ${name}s ${b.symbol} ${prev} → ${price}`);
        }
      }
      // A short side is only allowed where the limit cuts it off.
      const last = levels[levels.length - 1];
      if (levels.length < KRX_BOOK_DEPTH) {
        const cutOff = name === 'ask' ? !last || last.price === upper : !last || last.price === lower;
        if (!cutOff) fail(`short ${name} side not at a limit ${b.symbol}`);
      }
    }
    const bestBid = b.bids[0]?.price;
    const bestAsk = b.asks[0]?.price;
    if (bestBid !== undefined && bestAsk !== undefined && bestBid >= bestAsk) fail(`crossed ${b.symbol}`);
    if (bestAsk === undefined && bestBid === upper) report.oneSidedAtLimit++;
    if (bestBid === undefined && bestAsk === lower) report.oneSidedAtLimit++;
    if (bestAsk === undefined && bestBid !== upper) fail(`no asks below the upper limit ${b.symbol}`);
    if (bestBid === undefined && bestAsk !== lower) fail(`no bids above the lower limit ${b.symbol}`);
  });

  for (let i = 0; i < options.steps; i++) {
    now += STEP_MS;
    engine.step(STEP_MS);
  }
  return report;
}

