import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decode, type TransactionMessage } from './codec';
import { TX } from './enums';
import { OrderTracker } from './order-tracker';

const base = decode(Buffer.from(readFileSync(new URL('./fixtures/v14-order-new-250.hex', import.meta.url), 'utf8').trim(), 'hex')) as TransactionMessage;

function reply(fields: Partial<TransactionMessage>): TransactionMessage {
  return { ...base, orderId: 7n, side: 1, orderQty: 1, price: 50_000, sendingTime: 1_700_000_000_000_000_000n, ...fields };
}

function tracker(): OrderTracker {
  const t = new OrderTracker({ accountId: 'bo:100700', symbolOf: (_e, name) => `BO:${name}` as const });
  t.expect({ orderId: 7n, origOrderId: null, symbol: 'BO:BTCUSD', side: 'buy', type: 'limit', qty: 1, price: 50_000 });
  return t;
}

describe('OrderTracker', () => {
  it('counts fills by cumulative quantity: a replayed execution report or a stale status moves nothing', () => {
    const t = tracker();
    expect(t.apply(reply({ messageType: TX.ORDER_ACK }), 1).map((e) => e.status)).toEqual(['accepted']);
    const first = reply({ messageType: TX.EXECUTION_PARTIAL, execId: 1n, execShares: 0.4, execPrice: 50_000, remainingQuantity: 0.6 });
    expect(t.apply(first, 2)).toEqual([expect.objectContaining({ status: 'partially_filled', filledQty: 0.4, lastFill: { qty: 0.4, price: 50_000 }, ts: 1_700_000_000_000 })]);
    expect(t.apply(first, 3)).toEqual([]);
    expect(t.apply(reply({ messageType: TX.ORDER_STATUS, execShares: 0.4, remainingQuantity: 0.6 }), 4)).toEqual([]);
  });

  it('a fill missed while disconnected appears once from the open-order status, and its late report is not doubled', () => {
    const t = tracker();
    t.apply(reply({ messageType: TX.ORDER_ACK }), 1);
    const status = t.apply(reply({ messageType: TX.ORDER_STATUS, execShares: 0.7, execPrice: 49_999.5, remainingQuantity: 0.3 }), 2);
    expect(status).toEqual([expect.objectContaining({ status: 'partially_filled', filledQty: 0.7, lastFill: { qty: 0.7, price: 49_999.5 } })]);
    expect(status[0]!.reason).toMatch(/open-order check/);
    expect(t.apply(reply({ messageType: TX.EXECUTION_PARTIAL, execId: 9n, execShares: 0.7, remainingQuantity: 0.3 }), 3)).toEqual([]);
    const last = t.apply(reply({ messageType: TX.EXECUTION, execId: 10n, execShares: 0.3, execPrice: 50_000, remainingQuantity: 0 }), 4);
    expect(last).toEqual([expect.objectContaining({ status: 'filled', filledQty: 1, remainingQty: 0, lastFill: { qty: 0.3, price: 50_000 } })]);
    expect(t.working()).toEqual([]);
  });

  it('adopts a working order it did not place from an open-order status; ignores other unknown replies', () => {
    const t = tracker();
    expect(t.apply(reply({ orderId: 99n, messageType: TX.ORDER_ACK }), 1)).toEqual([]);
    t.apply(reply({ orderId: 100n, messageType: TX.ORDER_STATUS, remainingQuantity: 1 }), 2);
    expect(t.working().map((o) => o.orderId)).toEqual([7n, 100n]);
  });

  it('a refused cancel leaves the order working; a refused new order is rejected with the reason name', () => {
    const t = tracker();
    t.apply(reply({ messageType: TX.EXECUTION_PARTIAL, execId: 1n, remainingQuantity: 0.5, execPrice: 50_000 }), 1);
    expect(t.apply(reply({ messageType: TX.REJECT, rejectReason: 54 }), 2)).toEqual([]);
    const fresh = tracker();
    expect(fresh.apply(reply({ messageType: TX.REJECT, rejectReason: 47 }), 1)).toEqual([
      expect.objectContaining({ status: 'rejected', reason: 'NOT_ENOUGH_EQUITY_TO_COMPLETE (47)' }),
    ]);
  });
});
