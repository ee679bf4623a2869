/**
 * An account as the balances page shows it: the REST snapshots with the live `order` and `balance` events that
 * came after them laid on top. Pure, so the same events always give the same view; applying an event twice changes
 * nothing (balance events carry absolute amounts, orders are keyed by id, fills by order id and filled quantity),
 * which is what lets a client re-apply its buffered events to a fresher snapshot safely.
 */
import type { AccountEvent, BalanceEvent, Holding, OrderEvent } from '../contracts';
import type { BalanceSnapshot, Fill, FillsSnapshot, OpenOrdersSnapshot } from '../contracts/accounts';

export type Balance = Omit<BalanceEvent, 'seq'>;
export type WorkingOrder = Omit<OrderEvent, 'seq'>;

const WORKING: ReadonlySet<OrderEvent['status']> = new Set(['accepted', 'partially_filled']);

/** A full event replaces everything; a partial one replaces the cash it carries and the holdings it lists (qty 0: sold out). */
export function applyBalanceEvent(balance: Balance, event: BalanceEvent): Balance {
  if (event.full) return withoutSeq(event);
  const holdings = new Map<string, Holding>(balance.holdings.map((h) => [h.symbol, h]));
  for (const holding of event.holdings) {
    if (Number(holding.qty) === 0) holdings.delete(holding.symbol);
    else holdings.set(holding.symbol, mergeHolding(holdings.get(holding.symbol), holding));
  }
  return { ...balance, ts: event.ts, recvTs: event.recvTs, cash: event.cash ?? balance.cash, holdings: [...holdings.values()] };
}

/**
 * Some brokers' change pushes leave the average price out (Upbit's myAsset sends 0 until its REST says more);
 * a known average is kept then, because a zero would show a 100 % gain.
 */
function mergeHolding(previous: Holding | undefined, next: Holding): Holding {
  if (previous && Number(next.avgPrice) === 0 && Number(previous.avgPrice) > 0) {
    return { ...next, avgPrice: previous.avgPrice, purchaseAmount: String(Number(previous.avgPrice) * Number(next.qty)) };
  }
  return next;
}

/**
 * Working orders after an order event: still working ones are upserted, finished ones leave. A `replaced` or
 * `cancelled` event may carry a number of its own with the order it ended in `origOrderId` (Kiwoom numbers its
 * cancel and modify orders anew), so that order leaves too.
 */
export function applyOrderEvent(orders: readonly WorkingOrder[], event: OrderEvent): WorkingOrder[] {
  const endsOrig = event.status === 'replaced' || event.status === 'cancelled';
  const rest = orders.filter((o) => o.orderId !== event.orderId && !(endsOrig && o.orderId === event.origOrderId));
  if (!WORKING.has(event.status)) return rest;
  const index = orders.findIndex((o) => o.orderId === event.orderId);
  const next = withoutSeq(event);
  if (index === -1) return [...rest, next];
  // Keep the order's place in the list, so a partial fill does not make the row jump.
  const kept = [...rest];
  kept.splice(Math.min(index, kept.length), 0, next);
  return kept;
}

/** The fill an order event reports, if any. */
export function fillOf(event: OrderEvent): Fill | null {
  if (!event.lastFill) return null;
  return {
    accountId: event.accountId,
    orderId: event.orderId,
    symbol: event.symbol,
    side: event.side,
    type: event.type,
    orderQty: event.qty,
    orderPrice: event.price,
    qty: event.lastFill.qty,
    price: event.lastFill.price,
    filledQty: event.filledQty,
    ts: event.ts,
  };
}

export function applyFill(fills: readonly Fill[], fill: Fill, since: number): Fill[] {
  if (fill.ts < since) return [...fills];
  if (fills.some((f) => f.orderId === fill.orderId && f.filledQty === fill.filledQty)) return [...fills];
  return [...fills, fill].sort((a, b) => a.ts - b.ts);
}

const isOrder = (event: AccountEvent): event is OrderEvent => 'orderId' in event;
const after = (events: readonly AccountEvent[], seq: number) => events.filter((e) => e.seq > seq).sort((a, b) => a.seq - b.seq);

export function liveBalance(snapshot: BalanceSnapshot, events: readonly AccountEvent[]): Balance {
  let balance = snapshot.balance;
  for (const event of after(events, snapshot.seq)) if (!isOrder(event)) balance = applyBalanceEvent(balance, event);
  return balance;
}

export function liveOrders(snapshot: OpenOrdersSnapshot, events: readonly AccountEvent[]): WorkingOrder[] {
  let orders: WorkingOrder[] = snapshot.orders;
  for (const event of after(events, snapshot.seq)) if (isOrder(event)) orders = applyOrderEvent(orders, event);
  return orders;
}

export function liveFills(snapshot: FillsSnapshot, events: readonly AccountEvent[]): Fill[] {
  let fills = snapshot.fills;
  for (const event of after(events, snapshot.seq)) {
    const fill = isOrder(event) ? fillOf(event) : null;
    if (fill) fills = applyFill(fills, fill, snapshot.since);
  }
  return fills;
}

function withoutSeq<E extends { seq: number }>(event: E): Omit<E, 'seq'> {
  const { seq: _seq, ...rest } = event;
  return rest;
}
