import { describe, expect, it } from 'vitest';
import { boInstruments, boListings } from './bo-universe';
import { MarketEngine } from './market-engine';
import { BO_GRID, gridFor } from './price-grid';

describe('BO universe', () => {
  it('lists the venue’s four SymbolEnums as BO: symbols, priced on the BO grid', () => {
    const listings = boListings();
    expect(listings.map((l) => [l.instrument.symbol, l.symbolEnum])).toEqual([
      ['BO:BTCUSD', 1], ['BO:USDUSDT', 2], ['BO:FLYUSDT', 3], ['BO:BTCUSDT', 4],
    ]);
    for (const instrument of boInstruments()) {
      expect(instrument).toMatchObject({ market: 'BO', venue: 'BO' });
      expect(BO_GRID.isOnGrid(instrument.prevClose)).toBe(true);
    }
    expect(gridFor('BO')).toBe(BO_GRID);
    expect(BO_GRID.tickSize(91_250.5)).toBe(0.5);
    expect(BO_GRID.tickSize(1.0002)).toBe(0.0001);
  });

  it('the engine trades BO instruments around the clock, on the grid, with no price limits', () => {
    let now = Date.parse('2026-03-01T03:00:00Z'); // a Sunday: KRX is shut, BO is not
    const engine = new MarketEngine({ seed: 5, alwaysOpen: false, activity: 20, symbols: ['BO:BTCUSD', 'BO:FLYUSDT'], now: () => now });
    const prints: Array<{ symbol: string; price: number; qty: number }> = [];
    engine.on('trade', (t) => prints.push(t));
    for (let i = 0; i < 200; i++) {
      now += 50;
      engine.step(50);
    }
    expect(new Set(prints.map((p) => p.symbol))).toEqual(new Set(['BO:BTCUSD', 'BO:FLYUSDT']));
    for (const print of prints) {
      expect(BO_GRID.isOnGrid(print.price)).toBe(true);
      expect(print.qty).toBeGreaterThanOrEqual(BO_GRID.minQty);
    }
    const state = engine.state('BO:BTCUSD')!;
    expect(state.upperLimit).toBeNull();
    expect(state.book.asks.length).toBeGreaterThan(0);
  });
});
