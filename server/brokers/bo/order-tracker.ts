/**
 * What Sise knows about each order on the venue, and the one place that turns `T` replies into normalized
 * `order` events. Fills are counted by cumulative quantity (BOOrderQty − RemainingQuantity), never by adding
 * ExecShares, so a fill seen twice (a replay after reconnect, the ORDER_STATUS of the open-order answer, a
 * duplicated ExecID) moves nothing, and a fill missed while disconnected shows up once, as the difference.
 */
import type { OrderEvent, OrderStatus, SymbolId } from '../../../lib/contracts';
import type { Unstamped } from '../../relay/feed';
import { msFromNs, type TransactionMessage } from './codec';
import { rejectName, SIDE, TX, ORDER_TYPE } from './enums';

/** Quantities carry at most 5 decimals on this venue (MinSize 0.00001); 8 keeps float noise out of comparisons. */
const QTY_DECIMALS = 8;

export interface TrackedOrder {
  orderId: bigint;
  origOrderId: bigint | null;
  symbol: SymbolId;
  side: 'buy' | 'sell';
  type: 'limit' | 'market';
  qty: number;
  price: number | null;
  filledQty: number;
  status: OrderStatus;
  reason: string | null;
  /** Filled, cancelled, rejected, or replaced by another order: no longer working. */
  closed: boolean;
  /** ExecIDs already counted: a replayed execution report is recognised even before quantities are compared. */
  execIds: Set<bigint>;
}

export interface TrackerContext {
  accountId: string;
  symbolOf(symbolEnum: number, symbolName: string): SymbolId | null;
}

export class OrderTracker {
  private readonly orders = new Map<bigint, TrackedOrder>();

  constructor(private readonly context: TrackerContext) {}

  get(orderId: bigint): TrackedOrder | undefined {
    return this.orders.get(orderId);
  }

  /** Registers an order Sise is about to send, so its replies find it. */
  expect(order: Omit<TrackedOrder, 'filledQty' | 'status' | 'reason' | 'closed' | 'execIds'>): TrackedOrder {
    const tracked: TrackedOrder = { ...order, filledQty: 0, status: 'accepted', reason: null, closed: false, execIds: new Set() };
    this.orders.set(order.orderId, tracked);
    return tracked;
  }

  /** Orders still working (accepted, partially filled, or the new side of a replace), oldest first. */
  working(): TrackedOrder[] {
    return [...this.orders.values()].filter((o) => !o.closed);
  }

  /**
   * Applies one `T` reply and returns the events it causes (none for a duplicate).
   *   54 00 FA 00 0E 00 … ORDER_ACK · 09 00 EXECUTION_PARTIAL · 08 00 EXECUTION · 12/11 00 QUOTE_FILL[_PARTIAL]
   *   0F 00 CANCELLED · 10 00 REPLACED · 0C 00 REJECT (RejectReason at offset 132) · 05 00 ORDER_STATUS (open orders)
   */
  apply(message: TransactionMessage, recvTs: number): Array<Unstamped<OrderEvent>> {
    const ts = msFromNs(message.sendingTime) || recvTs;
    let order = this.orders.get(message.orderId);
    if (!order) {
      const symbol = this.context.symbolOf(message.symbolEnum, message.symbol);
      // Replies about orders Sise never placed (another client of the account, or before a restart) are adopted
      // when they describe a working order; anything else is not ours to report.
      if (!symbol || message.messageType !== TX.ORDER_STATUS) return [];
      order = this.expect({
        orderId: message.orderId,
        origOrderId: message.origOrderId === 0n ? null : message.origOrderId,
        symbol,
        side: message.side === SIDE.BUY ? 'buy' : 'sell',
        type: message.orderType === ORDER_TYPE.MKT ? 'market' : 'limit',
        qty: message.orderQty,
        price: message.orderType === ORDER_TYPE.MKT ? null : message.price,
      });
    }
    switch (message.messageType) {
      case TX.ORDER_ACK:
        return [this.event(order, 'accepted', ts, recvTs, null)];
      case TX.REPLACED: {
        const old = message.origOrderId === 0n ? undefined : this.orders.get(message.origOrderId);
        // The replaced order's fills stay with it; the new one starts from its own quantity.
        if (old) old.closed = true;
        return [this.event(order, 'replaced', ts, recvTs, null)];
      }
      case TX.EXECUTION:
      case TX.EXECUTION_PARTIAL:
      case TX.QUOTE_FILL:
      case TX.QUOTE_FILL_PARTIAL:
      case TX.ORDER_STATUS:
        return this.fill(order, message, ts, recvTs);
      case TX.CANCELLED:
        if (order.status === 'cancelled') return [];
        return [this.event(order, 'cancelled', ts, recvTs, null)];
      case TX.REJECT:
      case TX.ORDER_REJECT:
      case TX.CANCEL_REPLACE_REJECT:
      case TX.RISK_REJECT:
        // A refused cancel leaves the order as it was; only a refused new order is itself rejected.
        if (order.status === 'accepted' && order.filledQty === 0 && message.messageType !== TX.CANCEL_REPLACE_REJECT) {
          return [this.event(order, 'rejected', ts, recvTs, null, rejectName(message.rejectReason))];
        }
        return [];
      default:
        return [];
    }
  }

  private fill(order: TrackedOrder, message: TransactionMessage, ts: number, recvTs: number): Array<Unstamped<OrderEvent>> {
    if (message.execId !== 0n) {
      if (order.execIds.has(message.execId)) return [];
      order.execIds.add(message.execId);
    }
    const qty = message.orderQty > 0 ? message.orderQty : order.qty;
    const cumulative = round(qty - message.remainingQuantity);
    const delta = round(cumulative - order.filledQty);
    if (delta <= 0) return [];
    order.filledQty = cumulative;
    const done = round(order.qty - cumulative) <= 0;
    const price = message.execPrice > 0 ? message.execPrice : (order.price ?? message.price);
    const reason = message.messageType === TX.ORDER_STATUS ? 'fill found by the open-order check after a reconnect' : null;
    return [this.event(order, done ? 'filled' : 'partially_filled', ts, recvTs, { qty: delta, price }, reason)];
  }

  private event(
    order: TrackedOrder,
    status: OrderStatus,
    ts: number,
    recvTs: number,
    lastFill: { qty: number; price: number } | null,
    reason: string | null = null,
  ): Unstamped<OrderEvent> {
    order.status = status;
    order.reason = reason;
    order.closed = status === 'filled' || status === 'cancelled' || status === 'rejected';
    return snapshot(this.context.accountId, order, ts, recvTs, lastFill);
  }
}

export function snapshot(accountId: string, order: TrackedOrder, ts: number, recvTs: number, lastFill: { qty: number; price: number } | null = null): Unstamped<OrderEvent> {
  return {
    ts,
    recvTs,
    source: 'bo',
    accountId,
    orderId: order.orderId.toString(),
    origOrderId: order.origOrderId === null ? null : order.origOrderId.toString(),
    symbol: order.symbol,
    side: order.side,
    type: order.type,
    status: order.status,
    qty: order.qty,
    price: order.price,
    filledQty: order.filledQty,
    remainingQty: Math.max(0, round(order.qty - order.filledQty)),
    lastFill,
    reason: order.reason,
  };
}

function round(value: number): number {
  return Math.round(value * 10 ** QTY_DECIMALS) / 10 ** QTY_DECIMALS;
}
