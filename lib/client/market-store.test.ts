import { describe, expect, it } from 'vitest';
import type { HogaEvent, TickEvent } from '../contracts';
import { MarketStore } from './market-store';

const tick = (seq: number, price: number): TickEvent => ({
  seq, ts: seq, recvTs: seq, source: 'sim', symbol: 'KRX:005930', price, sign: 'up', change: price - 70_000,
  changeRate: 0, prevClose: 70_000, qty: 1, side: 'buy', cumVolume: seq, cumValue: seq * price, open: 70_000, high: price, low: 70_000,
});
const hoga = (seq: number): HogaEvent => ({
  seq, ts: seq, recvTs: seq, source: 'sim', symbol: 'KRX:005930', asks: [{ price: 70_100, qty: 5 }], bids: [{ price: 70_000, qty: 7 }], totalAskQty: 5, totalBidQty: 7,
});
const frame = () => new Promise((resolve) => setTimeout(resolve, 40));

describe('market store', () => {
  it('tells listeners once per frame however many events arrived', async () => {
    const store = new MarketStore();
    let renders = 0;
    store.subscribe('KRX:005930', () => renders++);
    for (let seq = 1; seq <= 100; seq++) store.applyTick(tick(seq, 70_000 + seq * 100));
    expect(renders).toBe(0);
    await frame();
    expect(renders).toBe(1);
    const state = store.get('KRX:005930');
    expect(state.tick?.seq).toBe(100);
    expect(state.history).toHaveLength(100);
  });

  it('hands out a new snapshot object after each change so React re-renders', async () => {
    const store = new MarketStore();
    store.subscribe('KRX:005930', () => {});
    store.applyTick(tick(1, 70_100));
    await frame();
    const before = store.get('KRX:005930');
    store.applyHoga(hoga(2));
    await frame();
    expect(store.get('KRX:005930')).not.toBe(before);
    expect(store.get('KRX:005930').hoga?.seq).toBe(2);
  });

  it('drops a repeated snapshot and counts events that never arrived', async () => {
    const store = new MarketStore();
    store.applyTick(tick(5, 70_100));
    store.applyTick(tick(5, 70_100));
    store.applyTick(tick(9, 70_200));
    await frame();
    const state = store.get('KRX:005930');
    expect(state.history.map((p) => p.seq)).toEqual([5, 9]);
    expect(state.gaps).toBe(3);
  });

  it('starts a new run after a reset (a restarted server counts from 1 again)', () => {
    const store = new MarketStore();
    store.applyTick(tick(500, 70_100));
    store.resetSequence('KRX:005930');
    store.applyTick(tick(1, 70_200));
    expect(store.get('KRX:005930').tick?.seq).toBe(1);
  });
});
