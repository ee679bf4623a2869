/**
 * Notices → order events: running fill totals, refusals, cancels that name the original order, amendments.
 */
import { describe, expect, it } from 'vitest';
import type { KisNotice } from './normalize';
import { KisOrderTracker } from './order-tracker';

const base: KisNotice = {
  htsId: 'SISEDEMO01', account: '50012345-01', orderNo: '0000000001', origOrderNo: null, side: 'buy', amend: 'none',
  type: 'limit', symbol: 'KRX:005930', isFill: false, refused: false, exchangeCancelled: false, qty: 10, fillPrice: 70000,
  orderQty: 10, orderPrice: 70000, name: '삼성전자', ts: 1,
};

describe('KisOrderTracker', () => {
  it('accumulates partial fills into filledQty and ends filled', () => {
    const t = new KisOrderTracker();
    expect(t.apply(base, 2)).toMatchObject({ accountId: 'kis:50012345-01', status: 'accepted', qty: 10, filledQty: 0, remainingQty: 10, recvTs: 2 });
    expect(t.apply({ ...base, isFill: true, qty: 4, fillPrice: 69900 }, 3)).toMatchObject({ status: 'partially_filled', filledQty: 4, remainingQty: 6, lastFill: { qty: 4, price: 69900 }, price: 70000 });
    expect(t.apply({ ...base, isFill: true, qty: 6 }, 4)).toMatchObject({ status: 'filled', filledQty: 10, remainingQty: 0 });
  });

  it('reports a fill for an order it never saw accepted, from the notice order quantity', () => {
    expect(new KisOrderTracker().apply({ ...base, orderNo: '0000000009', isFill: true, qty: 3, orderQty: 5 }, 1)).toMatchObject({ orderId: '0000000009', status: 'partially_filled', qty: 5, filledQty: 3, remainingQty: 2 });
  });

  it('a cancel notice ends the original order, keeping what was filled', () => {
    const t = new KisOrderTracker();
    t.apply(base, 1);
    t.apply({ ...base, isFill: true, qty: 2 }, 2);
    const cancelled = t.apply({ ...base, orderNo: '0000000002', origOrderNo: '0000000001', amend: 'cancel', qty: 8, orderQty: 8 }, 3);
    expect(cancelled).toMatchObject({ orderId: '0000000001', status: 'cancelled', qty: 10, filledQty: 2, remainingQty: 0, origOrderId: null });
    expect(cancelled.reason).toContain('0000000002');
  });

  it('maps refusals, exchange cancels, amendments and market orders', () => {
    const t = new KisOrderTracker();
    expect(t.apply({ ...base, refused: true }, 1)).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/RFUS_YN/) });
    expect(t.apply({ ...base, orderNo: '0000000003', exchangeCancelled: true }, 1)).toMatchObject({ status: 'cancelled', orderId: '0000000003' });
    expect(t.apply({ ...base, orderNo: '0000000005', origOrderNo: '0000000004', amend: 'amend', orderPrice: 71000 }, 1)).toMatchObject({ status: 'replaced', origOrderId: '0000000004', price: 71000 });
    expect(t.apply({ ...base, orderNo: '0000000006', type: 'market', orderPrice: null }, 1)).toMatchObject({ status: 'accepted', price: null, type: 'market' });
  });
});
