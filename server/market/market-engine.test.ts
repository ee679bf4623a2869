import { describe, expect, it } from 'vitest';
import type { SymbolId } from '../../lib/contracts';
import { isOnKrxGrid } from '../../lib/format/krx-tick-size';
import type { EngineBook, EngineTrade, MarketSession } from './engine-types';
import { MarketEngine } from './market-engine';

const kst = (text: string) => Date.parse(`${text}+09:00`);
const STEP_MS = 50;

/** An engine on a fake clock that advances by each step's dt. */
function fakeClockEngine(options: { seed: number; alwaysOpen: boolean; start: number; symbols?: SymbolId[]; activity?: number }) {
  const clock = { now: options.start };
  const engine = new MarketEngine({ ...options, now: () => clock.now });
  const advance = (steps: number, dtMs = STEP_MS) => {
    for (let i = 0; i < steps; i++) {
      clock.now += dtMs;
      engine.step(dtMs);
    }
  };
  return { engine, clock, advance };
}

function record(seed: number, steps: number): { trades: EngineTrade[]; books: EngineBook[] } {
  const { engine, advance } = fakeClockEngine({ seed, alwaysOpen: true, start: kst('2026-03-02T10:00:00') });
  const trades: EngineTrade[] = [];
  const books: EngineBook[] = [];
  engine.on('trade', (t) => trades.push(t));
  engine.on('book', (b) => books.push(b));
  advance(steps);
  return { trades, books };
}

describe('MarketEngine determinism', () => {
  it('replays the same trades and books for the same seed and steps', () => {
    const a = record(20260302, 1_000);
    const b = record(20260302, 1_000);
    expect(a.trades.length).toBeGreaterThan(1_000);
    // Serialised comparison: a deep toEqual over tens of thousands of books costs seconds.
    expect(JSON.stringify(b.trades)).toBe(JSON.stringify(a.trades));
    expect(JSON.stringify(b.books)).toBe(JSON.stringify(a.books));
  });

  it('takes a different path for a different seed', () => {
    const a = record(1, 1_000);
    const b = record(2, 1_000);
    const prints = (r: { trades: EngineTrade[] }) => r.trades.map((t) => `${t.symbol}@${t.price}x${t.qty}`);
    expect(prints(b)).not.toEqual(prints(a));
  });

  it('gives a symbol the same path whether or not other symbols are simulated', () => {
    const start = kst('2026-03-02T10:00:00');
    const alone = fakeClockEngine({ seed: 9, alwaysOpen: true, start, symbols: ['KRX:005930'] });
    const crowd = fakeClockEngine({ seed: 9, alwaysOpen: true, start, symbols: ['KRX:000660', 'UPBIT:KRW-BTC', 'KRX:005930'] });
    const samsung = (engine: MarketEngine) => {
      const prints: string[] = [];
      engine.on('trade', (t) => t.symbol === 'KRX:005930' && prints.push(`${t.price}x${t.qty}`));
      return prints;
    };
    const a = samsung(alone.engine);
    const b = samsung(crowd.engine);
    alone.advance(1_000);
    crowd.advance(1_000);
    expect(a.length).toBeGreaterThan(50);
    expect(b).toEqual(a);
  });
});

describe('MarketEngine sessions', () => {
  it('emits KRX open at 09:00 and close at 15:30 KST, and KRX only trades in between', () => {
    const { engine, clock, advance } = fakeClockEngine({
      seed: 4,
      alwaysOpen: false,
      start: kst('2026-03-02T08:59:59.000'),
      symbols: ['KRX:005930', 'UPBIT:KRW-BTC'],
      activity: 5,
    });
    const sessions: MarketSession[] = [];
    const krxTradeTimes: number[] = [];
    let upbitTrades = 0;
    engine.on('session', (s) => sessions.push(s));
    engine.on('trade', (t) => (t.symbol.startsWith('KRX:') ? krxTradeTimes.push(t.ts) : upbitTrades++));

    expect(engine.isOpen('KRX:005930')).toBe(false);
    advance(19); // 08:59:59.950
    expect(sessions).toEqual([]);
    expect(krxTradeTimes).toEqual([]);
    expect(upbitTrades).toBeGreaterThan(0);
    advance(1); // 09:00:00.000
    expect(sessions).toEqual([{ market: 'KRX', open: true, ts: kst('2026-03-02T09:00:00') }]);
    advance(200);
    expect(krxTradeTimes.length).toBeGreaterThan(0);

    clock.now = kst('2026-03-02T15:29:59.900');
    advance(1);
    expect(sessions).toHaveLength(1);
    advance(1); // 15:30:00.000
    expect(sessions[1]).toEqual({ market: 'KRX', open: false, ts: kst('2026-03-02T15:30:00') });
    const before = krxTradeTimes.length;
    advance(200);
    expect(krxTradeTimes.length).toBe(before);
    expect(Math.max(...krxTradeTimes)).toBeLessThan(kst('2026-03-02T15:30:00'));
  });

  it('keeps KRX trading around the clock with alwaysOpen and never emits a session change', () => {
    const { engine, advance } = fakeClockEngine({
      seed: 4,
      alwaysOpen: true,
      start: kst('2026-03-07T03:00:00'), // Saturday night
      symbols: ['KRX:005930'],
    });
    const sessions: MarketSession[] = [];
    let trades = 0;
    engine.on('session', (s) => sessions.push(s));
    engine.on('trade', () => trades++);
    advance(400);
    expect(engine.isOpen('KRX:005930')).toBe(true);
    expect(trades).toBeGreaterThan(0);
    expect(sessions).toEqual([]);
  });

  it('reports Upbit open at any hour and unknown symbols never open', () => {
    const { engine } = fakeClockEngine({ seed: 1, alwaysOpen: false, start: kst('2026-03-08T03:00:00') });
    expect(engine.isOpen('UPBIT:KRW-BTC')).toBe(true);
    expect(engine.isOpen('KRX:005930')).toBe(false);
    expect(engine.isOpen('KRX:005930', kst('2026-03-09T09:00:00'))).toBe(true);
    expect(engine.isOpen('KRX:999999')).toBe(false);
  });

  it('rolls the trading day: yesterday’s last price becomes prevClose and the limits move with it', () => {
    const { engine, clock, advance } = fakeClockEngine({
      seed: 8,
      alwaysOpen: true,
      start: kst('2026-03-02T23:59:00'),
      symbols: ['KRX:005930'],
    });
    advance(1_000, 50);
    const before = engine.state('KRX:005930')!;
    const lastPrice = before.lastTrade!.price;
    expect(before.instrument.prevClose).toBe(97_900);
    const trades: EngineTrade[] = [];
    engine.on('trade', (t) => trades.push(t));
    clock.now = kst('2026-03-03T00:00:01');
    advance(200);
    const after = engine.state('KRX:005930')!;
    expect(after.instrument.prevClose).toBe(lastPrice);
    expect(engine.instrument('KRX:005930')!.prevClose).toBe(lastPrice);
    expect(trades[0]!.prevClose).toBe(lastPrice);
    expect(trades[0]!.open).toBe(trades[0]!.price);
    expect(trades[0]!.cumVolume).toBe(trades[0]!.qty);
    expect(after.upperLimit).not.toBe(before.upperLimit);
  });
});

describe('MarketEngine surface', () => {
  it('lists instruments and gives state snapshots with limits and tick sizes', () => {
    const { engine, advance } = fakeClockEngine({ seed: 1, alwaysOpen: true, start: kst('2026-03-02T10:00:00') });
    const instruments = engine.instruments();
    expect(instruments.length).toBeGreaterThanOrEqual(36);
    expect(engine.instrument('KRX:005930')?.name).toBe('삼성전자');
    expect(engine.instrument('UPBIT:KRW-BTC')?.name).toBe('비트코인');
    expect(engine.instrument('KRX:999999')).toBeUndefined();
    expect(engine.state('KRX:999999')).toBeUndefined();

    const samsung = engine.state('KRX:005930')!;
    expect(samsung.lastTrade).toBeNull();
    expect(samsung.upperLimit).toBe(127_200);
    expect(samsung.lowerLimit).toBe(68_600);
    expect(samsung.tickSizeAt(97_900)).toBe(100);
    expect(samsung.tickSizeAt(4_990)).toBe(5);
    expect(samsung.book.asks).toHaveLength(10);
    expect(samsung.book.bids).toHaveLength(10);
    expect(samsung.book.bids[0]!.price).toBeLessThan(samsung.book.asks[0]!.price);
    expect(isOnKrxGrid(samsung.book.bids[0]!.price)).toBe(true);

    const btc = engine.state('UPBIT:KRW-BTC')!;
    expect(btc.upperLimit).toBeNull();
    expect(btc.lowerLimit).toBeNull();
    expect(btc.book.asks).toHaveLength(15);
    expect(btc.tickSizeAt(137_500_000)).toBe(1_000);

    advance(100);
    const later = engine.state('KRX:005930')!;
    expect(later.lastTrade?.symbol).toBe('KRX:005930');
    // Snapshots are copies: scribbling on one does not reach the engine.
    later.book.asks.length = 0;
    expect(engine.state('KRX:005930')!.book.asks.length).toBeGreaterThan(0);
  });

  it('emits a book for every step in which a symbol traded', () => {
    const { engine, clock, advance } = fakeClockEngine({ seed: 2, alwaysOpen: true, start: kst('2026-03-02T10:00:00') });
    const tradedAt = new Set<string>();
    const bookAt = new Set<string>();
    engine.on('trade', (t) => tradedAt.add(`${t.symbol}@${t.ts}`));
    engine.on('book', (b) => bookAt.add(`${b.symbol}@${b.ts}`));
    advance(500);
    expect(tradedAt.size).toBeGreaterThan(500);
    for (const key of tradedAt) expect(bookAt.has(key), key).toBe(true);
    expect(clock.now).toBe(kst('2026-03-02T10:00:25'));
  });

  it('off() stops delivery', () => {
    const { engine, advance } = fakeClockEngine({ seed: 2, alwaysOpen: true, start: kst('2026-03-02T10:00:00') });
    let count = 0;
    const listener = () => count++;
    engine.on('trade', listener);
    advance(50);
    const seen = count;
    expect(seen).toBeGreaterThan(0);
    engine.off('trade', listener);
    advance(50);
    expect(count).toBe(seen);
  });

  it('start() steps on a timer that does not hold the process open, stop() halts it', async () => {
    const engine = new MarketEngine({ seed: 1, alwaysOpen: true, stepMs: 10, activity: 20, symbols: ['KRX:005930'] });
    let trades = 0;
    engine.on('trade', () => trades++);
    engine.start();
    engine.start(); // idempotent
    expect(engine.running).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 300));
    engine.stop();
    expect(engine.running).toBe(false);
    expect(trades).toBeGreaterThan(0);
    const stopped = trades;
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(trades).toBe(stopped);
  });

  it('refuses nonsense options and unknown symbols', () => {
    expect(() => new MarketEngine({ seed: 1, alwaysOpen: true, stepMs: 0 })).toThrow(RangeError);
    expect(() => new MarketEngine({ seed: 1, alwaysOpen: true, activity: -1 })).toThrow(RangeError);
    expect(() => new MarketEngine({ seed: Number.NaN, alwaysOpen: true })).toThrow(RangeError);
    expect(() => new MarketEngine({ seed: 1, alwaysOpen: true, symbols: ['KRX:999999'] })).toThrow(/no listing/);
    const engine = new MarketEngine({ seed: 1, alwaysOpen: true, symbols: ['KRX:005930'] });
    expect(() => engine.step(0)).toThrow(RangeError);
  });
});

describe('a failing listener', () => {
  it('is reported and does not stop the market for the other listeners', () => {
    const errors: string[] = [];
    const engine = new MarketEngine({ seed: 5, alwaysOpen: true, activity: 5, onListenerError: (_e, event) => errors.push(event) });
    let delivered = 0;
    engine.on('trade', () => {
      throw new Error('a broken simulator');
    });
    engine.on('trade', () => delivered++);
    for (let i = 0; i < 100; i++) engine.step(50);
    expect(delivered).toBeGreaterThan(0);
    expect(errors.length).toBe(delivered);
  });
});
