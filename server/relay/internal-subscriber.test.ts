/**
 * In-process subscribers (the bridge-compatible API): `subscribeInternal` shares the relay's interest counting
 * and seq stamping, and `onAccountEvent` / `onConditionEvent` observe what the sink passes on.
 */
import { describe, expect, it } from 'vitest';
import type { BrokerId, HogaEvent, Market, SymbolId, TickEvent } from '../../lib/contracts';
import { silentLogger } from '../logger';
import type { Feed, Unstamped } from './feed';
import { FeedRouter } from './feed-router';
import { Relay } from './relay';

class CountingFeed implements Feed {
  readonly markets: readonly Market[] = ['KRX'];
  readonly calls: string[] = [];
  constructor(readonly id: BrokerId) {}
  async start() {}
  async stop() {}
  state() { return 'connected' as const; }
  knows(symbol: SymbolId) { return symbol === A; }
  async subscribe(symbol: SymbolId) { this.calls.push(`+${symbol}`); }
  async unsubscribe(symbol: SymbolId) { this.calls.push(`-${symbol}`); }
}

const A = 'KRX:005930' as SymbolId;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function tick(price: number): Unstamped<TickEvent> {
  return { symbol: A, source: 'kis', ts: 1, recvTs: 1, price, sign: 'up', change: 1, changeRate: 0.1, prevClose: price - 1, qty: 1, side: null, cumVolume: 1, cumValue: price, open: price, high: price, low: price };
}

function setup() {
  const feed = new CountingFeed('kis');
  const relay = new Relay({ router: new FeedRouter(new Map([['KRX', [feed]]])), logger: silentLogger, lingerMs: 30 });
  return { feed, relay };
}

describe('relay internal subscribers', () => {
  it('share one upstream registration, get stamped events with rising seq, and release it after the linger', async () => {
    const { feed, relay } = setup();
    const a: Array<TickEvent | HogaEvent> = [];
    const b: Array<TickEvent | HogaEvent> = [];
    const first = relay.subscribeInternal([A], (e) => a.push(e));
    const second = relay.subscribeInternal([A, 'KRX:000000', 'nonsense'], (e) => b.push(e));
    expect((await first.results).map((r) => r.ok)).toEqual([true]);
    const results = await second.results;
    expect(results.map((r) => r.ok)).toEqual([true, false, false]);
    expect(feed.calls).toEqual([`+${A}`]);

    relay.sink.tick(tick(100));
    relay.sink.tick(tick(101));
    expect(a.map((e) => e.seq)).toEqual([1, 2]);
    expect(b.map((e) => e.seq)).toEqual([1, 2]);

    // A late subscriber starts from the cached snapshot.
    const c: Array<TickEvent | HogaEvent> = [];
    const third = relay.subscribeInternal([A], (e) => c.push(e));
    expect(c.map((e) => e.seq)).toEqual([2]);

    first.release();
    first.release(); // twice is harmless
    second.release();
    relay.sink.tick(tick(102));
    expect(a).toHaveLength(2);
    expect(c.map((e) => e.seq)).toEqual([2, 3]);
    third.release();
    await sleep(60);
    expect(feed.calls).toEqual([`+${A}`, `-${A}`]);
    expect(relay.activeSymbols()).toBe(0);
  });

  it('lets account and condition observers see stamped events, and a throwing listener harms no one', async () => {
    const { relay } = setup();
    const seen: string[] = [];
    relay.onAccountEvent(() => {
      throw new Error('a broken listener');
    });
    const off = relay.onAccountEvent((e) => seen.push(`${'orderId' in e ? 'order' : 'balance'}#${e.seq}`));
    relay.onConditionEvent((e) => seen.push(`cond:${e.symbol}#${e.seq}`));
    relay.sink.order({ accountId: 'kis:1', source: 'kis', ts: 1, recvTs: 1, orderId: '1', origOrderId: null, symbol: A, side: 'buy', type: 'limit', status: 'accepted', qty: 1, price: 100, filledQty: 0, remainingQty: 1, lastFill: null, reason: null });
    relay.sink.balance({ accountId: 'kis:1', source: 'kis', ts: 1, recvTs: 1, full: false, cash: null, holdings: [] });
    relay.sink.condition({ conditionKey: 'kiwoom:1', symbol: A, action: 'insert', name: null, source: 'kiwoom', ts: 1, recvTs: 1 });
    off();
    relay.sink.balance({ accountId: 'kis:1', source: 'kis', ts: 1, recvTs: 1, full: false, cash: null, holdings: [] });
    expect(seen).toEqual(['order#1', 'balance#2', `cond:${A}#1`]);
  });
});
