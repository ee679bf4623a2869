import { describe, expect, it } from 'vitest';
import type { BalanceEvent, OrderEvent } from '../contracts';
import type { BalanceSnapshot, FillsSnapshot, OpenOrdersSnapshot } from '../contracts/accounts';
import { applyBalanceEvent, liveBalance, liveFills, liveOrders } from './account-view';

const ACCOUNT = 'kis:50012345-01';
const base = { accountId: ACCOUNT, source: 'kis' as const, ts: 1_000, recvTs: 1_000 };
const samsung = { symbol: 'KRX:005930' as const, name: '삼성전자', qty: '2', orderableQty: '2', avgPrice: '70000', purchaseAmount: '140000' };
const hynix = { symbol: 'KRX:000660' as const, name: 'SK하이닉스', qty: '1', orderableQty: '1', avgPrice: '200000', purchaseAmount: '200000' };

const balanceSnapshot = (seq: number): BalanceSnapshot => ({
  accountId: ACCOUNT,
  seq,
  balance: { ...base, full: true, cash: { currency: 'KRW', deposit: '1000000', orderable: '1000000' }, holdings: [samsung, hynix] },
});

function order(seq: number, fields: Partial<OrderEvent>): OrderEvent {
  return {
    ...base, seq, orderId: '1', origOrderId: null, symbol: 'KRX:005930', side: 'buy', type: 'limit', status: 'accepted',
    qty: 3, price: 70_000, filledQty: 0, remainingQty: 3, lastFill: null, reason: null, ...fields,
  };
}

function balance(seq: number, fields: Partial<BalanceEvent>): BalanceEvent {
  return { ...base, seq, full: false, cash: null, holdings: [], ...fields };
}

describe('account view', () => {
  it('lays only the events after the snapshot on top of it', () => {
    const events = [
      balance(4, { cash: { currency: 'KRW', deposit: '1', orderable: '1' } }),
      balance(5, { cash: { currency: 'KRW', deposit: '930000', orderable: '930000' }, holdings: [{ ...samsung, qty: '3', orderableQty: '3', purchaseAmount: '210000' }] }),
    ];
    const view = liveBalance(balanceSnapshot(4), events);
    expect(view.cash).toEqual({ currency: 'KRW', deposit: '930000', orderable: '930000' });
    expect(view.holdings.map((h) => [h.symbol, h.qty])).toEqual([
      ['KRX:005930', '3'],
      ['KRX:000660', '1'],
    ]);
  });

  it('drops a holding sold out, replaces everything on a full event, and keeps a known average price', () => {
    const soldOut = applyBalanceEvent(balanceSnapshot(0).balance, balance(1, { holdings: [{ ...hynix, qty: '0', orderableQty: '0' }] }));
    expect(soldOut.holdings.map((h) => h.symbol)).toEqual(['KRX:005930']);
    const full = applyBalanceEvent(soldOut, balance(2, { full: true, cash: null, holdings: [] }));
    expect(full).toMatchObject({ cash: null, holdings: [] });
    const noAverage = applyBalanceEvent(balanceSnapshot(0).balance, balance(3, { holdings: [{ ...samsung, qty: '4', avgPrice: '0', purchaseAmount: '0' }] }));
    expect(noAverage.holdings[0]).toMatchObject({ qty: '4', avgPrice: '70000', purchaseAmount: '280000' });
  });

  it('is the same whether an event is applied once or twice', () => {
    const events = [balance(2, { holdings: [{ ...samsung, qty: '5' }] }), order(3, { status: 'partially_filled', filledQty: 1, remainingQty: 2, lastFill: { qty: 1, price: 70_000 } })];
    const twice = [...events, ...events];
    expect(liveBalance(balanceSnapshot(1), twice)).toEqual(liveBalance(balanceSnapshot(1), events));
    const orders: OpenOrdersSnapshot = { accountId: ACCOUNT, seq: 1, orders: [] };
    expect(liveOrders(orders, twice)).toEqual(liveOrders(orders, events));
    const fills: FillsSnapshot = { accountId: ACCOUNT, seq: 1, since: 0, fills: [] };
    expect(liveFills(fills, twice)).toHaveLength(1);
  });

  it('keeps working orders in place through partial fills and drops them when finished', () => {
    const snapshot: OpenOrdersSnapshot = { accountId: ACCOUNT, seq: 0, orders: [] };
    const events = [
      order(1, { orderId: 'A' }),
      order(2, { orderId: 'B', side: 'sell' }),
      order(3, { orderId: 'A', status: 'partially_filled', filledQty: 1, remainingQty: 2, lastFill: { qty: 1, price: 70_000 } }),
    ];
    expect(liveOrders(snapshot, events).map((o) => [o.orderId, o.status, o.remainingQty])).toEqual([
      ['A', 'partially_filled', 2],
      ['B', 'accepted', 3],
    ]);
    const finished = [...events, order(4, { orderId: 'A', status: 'filled', filledQty: 3, remainingQty: 0, lastFill: { qty: 2, price: 69_900 } }), order(5, { orderId: 'B', status: 'cancelled' })];
    expect(liveOrders(snapshot, finished)).toEqual([]);
    const fills = liveFills({ accountId: ACCOUNT, seq: 0, since: 0, fills: [] }, finished);
    expect(fills.map((f) => [f.orderId, f.qty, f.price, f.filledQty])).toEqual([
      ['A', 1, 70_000, 1],
      ['A', 2, 69_900, 3],
    ]);
  });

  it('follows a modify and a cancel that come under numbers of their own (Kiwoom numbers both anew)', () => {
    const snapshot: OpenOrdersSnapshot = { accountId: ACCOUNT, seq: 0, orders: [] };
    // The events the Kiwoom adapter publishes for place → modify to 69,900 → cancel.
    const events = [
      order(1, { orderId: '0000001' }),
      order(2, { orderId: '0000001', status: 'replaced', remainingQty: 0 }),
      order(3, { orderId: '0000002', origOrderId: '0000001', price: 69_900 }),
    ];
    expect(liveOrders(snapshot, events).map((o) => [o.orderId, o.price])).toEqual([['0000002', 69_900]]);
    const cancelled = [...events, order(4, { orderId: '0000003', origOrderId: '0000002', status: 'cancelled', remainingQty: 0 })];
    expect(liveOrders(snapshot, cancelled)).toEqual([]);
  });

  it("leaves out a fill from before today's start", () => {
    const fills = liveFills({ accountId: ACCOUNT, seq: 0, since: 5_000, fills: [] }, [order(1, { ts: 4_999, status: 'filled', filledQty: 3, remainingQty: 0, lastFill: { qty: 3, price: 70_000 } })]);
    expect(fills).toEqual([]);
  });
});
