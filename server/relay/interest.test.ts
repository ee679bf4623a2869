/**
 * Interest counting and fail-over, with feeds that refuse or go down on command. These fakes stand for the
 * broker adapters' contract (subscribe resolves or refuses), not for any broker's protocol.
 */
import { describe, expect, it } from 'vitest';
import type { BrokerId, FeedState, Market, SymbolId } from '../../lib/contracts';
import { silentLogger } from '../logger';
import { FeedError, type Feed } from './feed';
import { FeedRouter } from './feed-router';
import { InterestCounter } from './interest';

class ScriptedFeed implements Feed {
  readonly markets: readonly Market[] = ['KRX'];
  readonly calls: string[] = [];
  current: FeedState = 'connected';
  refuse: FeedError | null = null;
  constructor(readonly id: BrokerId, private readonly listed: SymbolId[]) {}
  async start() {}
  async stop() {}
  state() { return this.current; }
  knows(symbol: SymbolId) { return this.listed.includes(symbol); }
  async subscribe(symbol: SymbolId) {
    this.calls.push(`+${symbol}`);
    if (this.refuse) throw this.refuse;
  }
  async unsubscribe(symbol: SymbolId) { this.calls.push(`-${symbol}`); }
}

const A: SymbolId = 'KRX:005930';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function setup() {
  const kis = new ScriptedFeed('kis', [A]);
  const kiwoom = new ScriptedFeed('kiwoom', [A]);
  const router = new FeedRouter(new Map([['KRX', [kis, kiwoom]]]));
  const interest = new InterestCounter(router, silentLogger, 50);
  return { kis, kiwoom, router, interest };
}

describe('interest counting', () => {
  it('subscribes on the first viewer only and unsubscribes after the last one leaves and the linger passes', async () => {
    const { kis, interest } = setup();
    await Promise.all([interest.acquire(A), interest.acquire(A)]);
    expect(kis.calls).toEqual([`+${A}`]);
    interest.release(A);
    interest.release(A);
    expect(kis.calls).toEqual([`+${A}`]);
    await sleep(80);
    expect(kis.calls).toEqual([`+${A}`, `-${A}`]);
    expect(interest.activeSymbols()).toBe(0);
  });

  it('keeps the registration when a viewer comes back within the linger', async () => {
    const { kis, interest } = setup();
    await interest.acquire(A);
    interest.release(A);
    await sleep(10);
    await interest.acquire(A);
    await sleep(80);
    expect(kis.calls).toEqual([`+${A}`]);
  });

  it('passes a refusal to the viewer and retries for the next one', async () => {
    const { kis, interest } = setup();
    kis.refuse = new FeedError('UNKNOWN_SYMBOL', 'KIS does not list this code');
    await expect(interest.acquire(A)).rejects.toThrow(/does not list/);
    interest.release(A);
    kis.refuse = null;
    await interest.acquire(A);
    expect(kis.calls).toEqual([`+${A}`, `+${A}`]);
  });

  it('moves symbols to the next feed when the preferred one goes down, and back when it returns', async () => {
    const { kis, kiwoom, router, interest } = setup();
    await interest.acquire(A);
    expect(interest.feedOf(A)).toBe('kis');

    kis.current = 'down';
    interest.rebalance();
    expect(interest.feedOf(A)).toBe('kiwoom');
    expect(kiwoom.calls).toEqual([`+${A}`]);
    expect(router.statuses().find((s) => s.broker === 'kiwoom')?.serving).toEqual(['KRX']);

    kis.current = 'connected';
    interest.rebalance();
    expect(interest.feedOf(A)).toBe('kis');
    expect(kiwoom.calls).toEqual([`+${A}`, `-${A}`]);
  });

  it('serves a symbol from the next feed when the preferred one has no room left, and keeps it there', async () => {
    const { kis, kiwoom, interest } = setup();
    kis.refuse = new FeedError('LIMIT_REACHED', 'KIS allows 41 registrations per session');
    await interest.acquire(A);
    expect(interest.feedOf(A)).toBe('kiwoom');
    expect(kiwoom.calls).toEqual([`+${A}`]);
    interest.rebalance(); // a later state change does not push it back onto the full feed
    expect(interest.feedOf(A)).toBe('kiwoom');
  });

  it('passes the limit on when no other feed can take the symbol', async () => {
    const { kis, kiwoom, interest } = setup();
    kis.refuse = new FeedError('LIMIT_REACHED', 'KIS allows 41 registrations per session');
    kiwoom.refuse = new FeedError('LIMIT_REACHED', 'Kiwoom allows 200 items per socket');
    await expect(interest.acquire(A)).rejects.toMatchObject({ code: 'LIMIT_REACHED', message: expect.stringMatching(/Kiwoom allows 200/) });
  });

  it('says why a symbol cannot be routed', () => {
    const { kis, kiwoom, router } = setup();
    expect(router.route('KRX:000660')).toMatchObject({ ok: false, error: { code: 'UNKNOWN_SYMBOL' } });
    expect(router.route('UPBIT:KRW-BTC')).toMatchObject({ ok: false, error: { code: 'NO_FEED' } });
    kis.current = 'down';
    kiwoom.current = 'down';
    expect(router.route(A)).toMatchObject({ ok: false, error: { code: 'UPSTREAM_UNAVAILABLE' } });
  });
});
