import { describe, expect, it } from 'vitest';
import { hogaSchema, tickSchema, type SymbolId } from '../../../lib/contracts';
import { MarketEngine } from '../../market/market-engine';
import type { FeedSink } from '../../relay/feed';
import { SimFeed } from './sim-feed';

function recordingSink() {
  const events: Array<{ kind: string; symbol: string; event: unknown }> = [];
  const sink: FeedSink = {
    tick: (event) => events.push({ kind: 'tick', symbol: event.symbol, event }),
    hoga: (event) => events.push({ kind: 'hoga', symbol: event.symbol, event }),
    order: () => {},
    balance: () => {},
    condition: () => {},
    state: () => {},
  };
  return { sink, events };
}

const SAMSUNG: SymbolId = 'KRX:005930';
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('the in-process sim feed', () => {
  it('relays only subscribed symbols, as events that satisfy the contract schemas', async () => {
    const engine = new MarketEngine({ seed: 3, alwaysOpen: true, activity: 5 });
    const feed = new SimFeed(engine);
    const { sink, events } = recordingSink();
    await feed.start(sink);
    await feed.subscribe(SAMSUNG);
    for (let i = 0; i < 200; i++) engine.step(50);
    await nextTurn();

    expect(events.length).toBeGreaterThan(10);
    expect(new Set(events.map((e) => e.symbol))).toEqual(new Set([SAMSUNG]));
    for (const { kind, event } of events) {
      const schema = kind === 'tick' ? tickSchema : hogaSchema;
      expect(schema.safeParse({ ...(event as object), seq: 1 }).success).toBe(true);
    }
  });

  it('answers a new subscription with the current book and last trade, without waiting for the next trade', async () => {
    const engine = new MarketEngine({ seed: 3, alwaysOpen: true });
    for (let i = 0; i < 400; i++) engine.step(50);
    const feed = new SimFeed(engine);
    const { sink, events } = recordingSink();
    await feed.start(sink);
    await feed.subscribe(SAMSUNG);
    await nextTurn();
    expect(events.map((e) => e.kind)).toEqual(['hoga', 'tick']);
    expect((events[0]!.event as { asks: unknown[] }).asks).toHaveLength(10);
  });

  it('knows the engine universe and nothing else', () => {
    const feed = new SimFeed(new MarketEngine({ seed: 1, alwaysOpen: true }));
    expect(feed.knows(SAMSUNG)).toBe(true);
    expect(feed.knows('UPBIT:KRW-BTC')).toBe(true);
    expect(feed.knows('KRX:999999')).toBe(false);
  });
});
