/**
 * 체결통보 notices → `order` events. A notice says what happened now (accepted, a fill of N at P, cancelled)
 * but not the running total, so the tracker keeps each working order's filled quantity. An order it never saw
 * accepted (placed from another app, or before a restart) starts from the notice's own order quantity.
 */
import type { OrderEvent, OrderStatus } from '../../../lib/contracts';
import type { Unstamped } from '../../relay/feed';
import { KisCodecError } from './codec';
import type { KisNotice } from './normalize';

interface Tracked {
  qty: number;
  filledQty: number;
  price: number | null;
}

/** Working orders remembered; far above what one account works at once, so only a leak would reach it. */
const MAX_TRACKED_ORDERS = 10_000;

export class KisOrderTracker {
  private readonly orders = new Map<string, Tracked>();

  /** Maps one notice; the account id is `kis:<8-2 account>` from the notice itself. */
  apply(notice: KisNotice, recvTs: number): Unstamped<OrderEvent> {
    const accountId = `kis:${notice.account}`;
    const base = { accountId, source: 'kis' as const, ts: notice.ts, recvTs, symbol: notice.symbol, side: notice.side, type: notice.type };

    if (notice.amend === 'cancel' && !notice.isFill) {
      // The cancel is its own order (ODER_NO) pointing at the original (OODER_NO); the original is what ends.
      const orderId = notice.origOrderNo ?? notice.orderNo;
      const known = this.orders.get(orderId);
      this.orders.delete(orderId);
      const filled = known?.filledQty ?? 0;
      const qty = known?.qty ?? filled + notice.qty;
      return this.event(base, orderId, null, 'cancelled', qty, known?.price ?? notice.orderPrice, filled, 0, null, notice.refused ? `cancel ${notice.orderNo} refused` : `cancelled by cancel order ${notice.orderNo}`);
    }

    const qty = notice.orderQty > 0 ? notice.orderQty : (this.orders.get(notice.orderNo)?.qty ?? notice.qty);
    if (!(qty > 0)) throw new KisCodecError('BAD_RECORD', `notice for order ${notice.orderNo} has no quantity`);
    const known = this.orders.get(notice.orderNo) ?? { qty, filledQty: 0, price: notice.orderPrice };

    if (notice.refused) {
      this.orders.delete(notice.orderNo);
      return this.event(base, notice.orderNo, notice.origOrderNo, 'rejected', qty, notice.orderPrice, known.filledQty, 0, null, 'refused by KIS (RFUS_YN=1)');
    }
    if (notice.exchangeCancelled) {
      this.orders.delete(notice.orderNo);
      return this.event(base, notice.orderNo, null, 'cancelled', qty, notice.orderPrice, known.filledQty, 0, null, 'cancelled by the exchange (IOC/FOK remainder)');
    }
    if (notice.isFill) {
      known.filledQty += notice.qty;
      const remaining = Math.max(0, known.qty - known.filledQty);
      const status: OrderStatus = remaining === 0 ? 'filled' : 'partially_filled';
      if (remaining === 0) this.orders.delete(notice.orderNo);
      else this.remember(notice.orderNo, known);
      return this.event(base, notice.orderNo, notice.origOrderNo, status, known.qty, known.price, known.filledQty, remaining, { qty: notice.qty, price: notice.fillPrice }, null);
    }
    const replaced = notice.amend === 'amend';
    const fresh = { qty, filledQty: replaced ? (this.orders.get(notice.origOrderNo ?? '')?.filledQty ?? 0) : known.filledQty, price: notice.orderPrice };
    if (replaced && notice.origOrderNo) this.orders.delete(notice.origOrderNo);
    this.remember(notice.orderNo, fresh);
    return this.event(base, notice.orderNo, notice.origOrderNo, replaced ? 'replaced' : 'accepted', qty, notice.orderPrice, fresh.filledQty, Math.max(0, qty - fresh.filledQty), null, null);
  }

  /**
   * After a reconnect: working orders as inquire-psbl-rvsecncl lists them. Returns the ones whose state differs
   * from what the notices said (a fill or an order missed while the session was down), updated here too.
   */
  reconcile(open: Unstamped<OrderEvent>[]): Unstamped<OrderEvent>[] {
    const changed: Unstamped<OrderEvent>[] = [];
    for (const order of open) {
      const known = this.orders.get(order.orderId);
      if (known && known.filledQty === order.filledQty && known.qty === order.qty) continue;
      this.remember(order.orderId, { qty: order.qty, filledQty: order.filledQty, price: order.price });
      changed.push(order);
    }
    return changed;
  }

  private remember(orderNo: string, tracked: Tracked): void {
    if (!this.orders.has(orderNo) && this.orders.size >= MAX_TRACKED_ORDERS) {
      const oldest = this.orders.keys().next().value;
      if (oldest !== undefined) this.orders.delete(oldest);
    }
    this.orders.set(orderNo, tracked);
  }

  private event(
    base: Pick<OrderEvent, 'accountId' | 'source' | 'ts' | 'recvTs' | 'symbol' | 'side' | 'type'>,
    orderId: string,
    origOrderId: string | null,
    status: OrderStatus,
    qty: number,
    price: number | null,
    filledQty: number,
    remainingQty: number,
    lastFill: { qty: number; price: number } | null,
    reason: string | null,
  ): Unstamped<OrderEvent> {
    return { ...base, orderId, origOrderId, status, qty, price: base.type === 'market' ? null : price, filledQty, remainingQty, lastFill, reason };
  }
}
