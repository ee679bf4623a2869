import { describe, expect, it } from 'vitest';
import type { SymbolId } from '../../../lib/contracts';
import { krxInstruments, MarketEngine } from '../../market';
import { ConditionScanner, SIM_CONDITIONS } from './conditions';

const STEP_MS = 50;

function run(seed: number, seconds: number) {
  let now = Date.UTC(2026, 0, 5, 1, 0, 0);
  const start = now;
  // Every KRX name at normal activity: the simulator's own market.
  const engine = new MarketEngine({ seed, alwaysOpen: true, now: () => now, symbols: krxInstruments().map((i) => i.symbol) });
  const scanner = new ConditionScanner(engine);
  scanner.start();
  const events: Array<{ id: string; symbol: SymbolId; action: 'insert' | 'delete'; at: number }> = [];
  scanner.onChange((id, symbol, action, ts) => events.push({ id, symbol, action, at: ts - start }));
  for (let t = 0; t < seconds * 1000; t += STEP_MS) {
    now += STEP_MS;
    engine.step(STEP_MS);
  }
  return { scanner, events };
}

describe('simulated condition scanners', () => {
  it('lists the seed’s five conditions', () => {
    expect(SIM_CONDITIONS.map((c) => c.name)).toEqual(['상승추세', '거래량급증', '신고가돌파', '골든크로스', '급등주']);
  });

  it.each([1, 20_260_101])('거래량급증 has hits and both inserts and deletes within 30 s at normal activity (seed %i)', (seed) => {
    const { scanner, events } = run(seed, 30);
    const surge = events.filter((e) => e.id === '1');
    expect(scanner.hits('1')!.length).toBeGreaterThan(0);
    expect(surge.some((e) => e.action === 'insert')).toBe(true);
    expect(surge.some((e) => e.action === 'delete')).toBe(true);
    expect(Math.max(...surge.map((e) => e.at))).toBeLessThanOrEqual(30_000);
  });

  it('events replay to exactly the current hits, for every condition, with no double insert or delete', () => {
    const { scanner, events } = run(7, 45);
    for (const { id } of SIM_CONDITIONS) {
      const members = new Set<SymbolId>();
      for (const e of events.filter((x) => x.id === id)) {
        if (e.action === 'insert') {
          expect(members.has(e.symbol)).toBe(false);
          members.add(e.symbol);
        } else {
          expect(members.has(e.symbol)).toBe(true);
          members.delete(e.symbol);
        }
      }
      expect([...members].sort()).toEqual(scanner.hits(id)!.sort());
    }
    expect(scanner.hits('nope')).toBeUndefined();
  });
});
