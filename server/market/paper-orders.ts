/**
 * Paper orders against the simulated books: validation, immediate matching, resting, fills from later
 * prints, cancels. Broker simulators route their order entry here and encode the resulting updates.
 *
 * Model, deliberately simple and documented so nobody mistakes it for an exchange:
 *  - A market order, or the marketable part of a limit order, walks the opposite book level by level; each
 *    level is one fill at that level's price, and the quantity comes out of the simulated book.
 *  - A market order's unfillable rest is cancelled (there is no resting market order).
 *  - A limit order's rest is a shadow order: it is not shown in the book. It fills, at its own limit price,
 *    when a later engine print trades at or through that price, up to the print's quantity, best price
 *    first then oldest first. So a large resting order fills in several parts. Queue position is ignored.
 *  - Paper fills do not print on the tape (no `trade` events): the public market stays the simulated one.
 *  - KRX orders are day orders: whatever still rests when the KRX trading date rolls is cancelled.
 *    Upbit orders rest until filled or cancelled.
 */
import type { ErrorCode, OrderSide, OrderType, SymbolId } from '../../lib/contracts';
import type { EngineTrade, PaperOrder, PaperOrderRequest, PaperOrderUpdate } from './engine-types';
import { isValidQty, roundQty } from './price-grid';
import type { SymbolSimulator } from './price-process';

/** Finished orders kept for cancel/lookup answers ("already filled") before the oldest are forgotten. */
const MAX_FINISHED_ORDERS = 10_000;

export type PaperOrderErrorCode = 'UNKNOWN_ORDER' | 'NOT_OWNER' | 'ORDER_DONE';

/**
 * Why a cancel was refused. `code` is for programs; `apiCode` maps it onto the HTTP API's error codes.
 * NOT_OWNER maps to NOT_FOUND on purpose: telling a caller that someone else's order id exists leaks it.
 */
export class PaperOrderError extends Error {
  override readonly name = 'PaperOrderError';
  readonly apiCode: ErrorCode;

  constructor(
    readonly code: PaperOrderErrorCode,
    readonly orderId: string,
    message: string,
  ) {
    super(message);
    this.apiCode = code === 'ORDER_DONE' ? 'BAD_REQUEST' : 'NOT_FOUND';
  }
}

/** What the desk needs from the engine. */
export interface PaperVenue {
  now(): number;
  simulator(symbol: SymbolId): SymbolSimulator | undefined;
  isOpen(symbol: SymbolId, at: number): boolean;
  closedReason(symbol: SymbolId): string;
  emitOrder(update: PaperOrderUpdate): void;
  /** The book of this symbol changed because paper fills took liquidity. */
  bookChanged(simulator: SymbolSimulator, ts: number): void;
}

interface Ticket {
  order: PaperOrder;
  /** Σ price × qty of fills, for the average fill price. */
  filledValue: number;
}

/** PO00000001: fixed width so ids sort as text, and 10^8 orders outlast any engine run. */
const ID_WIDTH = 8;

export class PaperOrderDesk {
  private sequence = 0;
  /** Orders still working, by id. */
  private readonly working = new Map<string, Ticket>();
  /** Working orders per symbol, buys best (highest) first, sells best (lowest) first. */
  private readonly restingBuys = new Map<SymbolId, Ticket[]>();
  private readonly restingSells = new Map<SymbolId, Ticket[]>();
  private readonly finished = new Map<string, PaperOrder>();

  constructor(private readonly venue: PaperVenue) {}

  /** Validates, accepts, matches what is marketable and rests the rest. Never throws for a bad request. */
  place(request: PaperOrderRequest): PaperOrder {
    const ts = this.venue.now();
    const ticket = this.newTicket(request, ts);
    const order = ticket.order;
    const reason = this.validate(request, ts);
    if (reason !== null) {
      order.status = 'rejected';
      order.reason = reason;
      order.remainingQty = 0;
      this.finish(ticket);
      this.venue.emitOrder({ order: { ...order }, fill: null, ts });
      return { ...order };
    }
    this.venue.emitOrder({ order: { ...order }, fill: null, ts });

    const simulator = this.venue.simulator(order.symbol) as SymbolSimulator;
    const consumed = this.matchAgainstBook(ticket, simulator, ts);
    if (consumed) {
      simulator.book.refill(simulator.freshQty);
      this.venue.bookChanged(simulator, ts);
    }
    if (order.remainingQty > 0) {
      if (order.type === 'market') {
        this.close(ticket, 'cancelled', 'no more liquidity on the book for the rest of this market order', ts);
      } else {
        this.rest(ticket);
      }
    }
    return { ...order };
  }

  /**
   * Cancels a working order. Throws PaperOrderError when the id is unknown, belongs to another owner,
   * or the order is already filled, cancelled or rejected.
   */
  cancel(owner: string, orderId: string): PaperOrder {
    const ticket = this.working.get(orderId);
    const known = ticket?.order ?? this.finished.get(orderId);
    if (known === undefined) throw new PaperOrderError('UNKNOWN_ORDER', orderId, `no order ${orderId}`);
    if (known.owner !== owner) throw new PaperOrderError('NOT_OWNER', orderId, `order ${orderId} is not yours`);
    if (ticket === undefined) {
      throw new PaperOrderError('ORDER_DONE', orderId, `order ${orderId} is already ${known.status}`);
    }
    this.unrest(ticket);
    this.close(ticket, 'cancelled', 'cancelled by owner', this.venue.now());
    return { ...ticket.order };
  }

  /** Working orders of one owner, oldest first. */
  openOrders(owner: string): PaperOrder[] {
    const orders: PaperOrder[] = [];
    for (const ticket of this.working.values()) {
      if (ticket.order.owner === owner) orders.push({ ...ticket.order });
    }
    return orders;
  }

  /** Any order still known, working or recently finished. */
  get(orderId: string): PaperOrder | undefined {
    const order = this.working.get(orderId)?.order ?? this.finished.get(orderId);
    return order ? { ...order } : undefined;
  }

  /** A print happened: resting orders at or through its price fill, sharing the print's quantity. */
  onTrade(trade: EngineTrade): void {
    const buys = this.restingBuys.get(trade.symbol);
    const sells = this.restingSells.get(trade.symbol);
    if (!buys?.length && !sells?.length) return;
    const simulator = this.venue.simulator(trade.symbol);
    if (!simulator) return;
    let budget = trade.qty;
    // Resting buys fill when the market trades at or below their price; sells at or above.
    budget = this.fillResting(buys, budget, (price) => price >= trade.price, simulator, trade.ts);
    this.fillResting(sells, budget, (price) => price <= trade.price, simulator, trade.ts);
  }

  /** Cancels every working order on a symbol, e.g. KRX day orders when the trading date rolls. */
  expire(symbol: SymbolId, reason: string): void {
    const ts = this.venue.now();
    for (const book of [this.restingBuys, this.restingSells]) {
      const tickets = book.get(symbol);
      if (!tickets) continue;
      book.delete(symbol);
      for (const ticket of tickets) this.close(ticket, 'cancelled', reason, ts);
    }
  }

  private fillResting(
    tickets: Ticket[] | undefined,
    budget: number,
    reaches: (limit: number) => boolean,
    simulator: SymbolSimulator,
    ts: number,
  ): number {
    if (!tickets) return budget;
    while (budget > 0 && tickets.length > 0) {
      const ticket = tickets[0] as Ticket;
      const price = ticket.order.price as number;
      // Sorted best first: if the best does not reach, none behind it does.
      if (!reaches(price)) break;
      const qty = Math.min(budget, ticket.order.remainingQty);
      budget = roundQty(simulator.grid, budget - qty);
      this.applyFill(ticket, qty, price, simulator, ts);
      if (ticket.order.remainingQty <= 0) tickets.shift();
    }
    return budget;
  }

  private matchAgainstBook(ticket: Ticket, simulator: SymbolSimulator, ts: number): boolean {
    const order = ticket.order;
    const book = simulator.book;
    const levels = order.side === 'buy' ? book.asks : book.bids;
    let consumed = false;
    while (order.remainingQty > 0) {
      const best = levels[0];
      if (!best) break;
      if (order.type === 'limit') {
        const limit = order.price as number;
        if (order.side === 'buy' ? best.price > limit : best.price < limit) break;
      }
      const fill = book.take(order.side, order.remainingQty);
      if (!fill) break;
      consumed = true;
      this.applyFill(ticket, fill.qty, fill.price, simulator, ts);
    }
    return consumed;
  }

  private applyFill(ticket: Ticket, qty: number, price: number, simulator: SymbolSimulator, ts: number): void {
    const order = ticket.order;
    const grid = simulator.grid;
    order.filledQty = roundQty(grid, order.filledQty + qty);
    order.remainingQty = roundQty(grid, order.qty - order.filledQty);
    ticket.filledValue += price * qty;
    order.avgFillPrice = ticket.filledValue / order.filledQty;
    order.status = order.remainingQty > 0 ? 'partially_filled' : 'filled';
    order.updatedTs = ts;
    if (order.status === 'filled') this.finish(ticket);
    this.venue.emitOrder({ order: { ...order }, fill: { qty, price }, ts });
  }

  private close(ticket: Ticket, status: 'cancelled', reason: string, ts: number): void {
    const order = ticket.order;
    order.status = status;
    order.reason = reason;
    order.updatedTs = ts;
    this.finish(ticket);
    this.venue.emitOrder({ order: { ...order }, fill: null, ts });
  }

  private rest(ticket: Ticket): void {
    const { symbol, side } = ticket.order;
    const book = side === 'buy' ? this.restingBuys : this.restingSells;
    let tickets = book.get(symbol);
    if (!tickets) {
      tickets = [];
      book.set(symbol, tickets);
    }
    const better = (a: number, b: number) => (side === 'buy' ? a > b : a < b);
    const price = ticket.order.price as number;
    // Behind every order at a better or equal price: price, then time priority.
    let index = tickets.length;
    while (index > 0 && better(price, (tickets[index - 1] as Ticket).order.price as number)) index--;
    tickets.splice(index, 0, ticket);
  }

  private unrest(ticket: Ticket): void {
    const book = ticket.order.side === 'buy' ? this.restingBuys : this.restingSells;
    const tickets = book.get(ticket.order.symbol);
    const index = tickets?.indexOf(ticket) ?? -1;
    if (tickets && index >= 0) tickets.splice(index, 1);
  }

  private finish(ticket: Ticket): void {
    this.working.delete(ticket.order.orderId);
    this.finished.set(ticket.order.orderId, ticket.order);
    if (this.finished.size > MAX_FINISHED_ORDERS) {
      const oldest = this.finished.keys().next().value;
      if (oldest !== undefined) this.finished.delete(oldest);
    }
  }

  private newTicket(request: PaperOrderRequest, ts: number): Ticket {
    this.sequence++;
    const orderId = `PO${String(this.sequence).padStart(ID_WIDTH, '0')}`;
    // A malformed qty is rejected below; 0 keeps the rejected order's numbers serialisable.
    const qty = typeof request.qty === 'number' && Number.isFinite(request.qty) ? request.qty : 0;
    const order: PaperOrder = {
      orderId,
      owner: String(request.owner),
      symbol: request.symbol,
      side: request.side,
      type: request.type,
      qty,
      price: request.type === 'limit' && typeof request.price === 'number' ? request.price : null,
      status: 'accepted',
      filledQty: 0,
      remainingQty: qty,
      avgFillPrice: null,
      reason: null,
      createdTs: ts,
      updatedTs: ts,
    };
    const ticket: Ticket = { order, filledValue: 0 };
    this.working.set(orderId, ticket);
    return ticket;
  }

  /** A reason to reject, in words a person can act on, or null. */
  private validate(request: PaperOrderRequest, ts: number): string | null {
    if (typeof request.owner !== 'string' || request.owner.length === 0) return 'owner is required';
    const simulator = this.venue.simulator(request.symbol);
    if (!simulator) return `unknown symbol "${String(request.symbol)}"`;
    if (!isSide(request.side)) return 'side must be "buy" or "sell"';
    if (!isType(request.type)) return 'type must be "limit" or "market"';
    if (!this.venue.isOpen(request.symbol, ts)) return this.venue.closedReason(request.symbol);
    const grid = simulator.grid;
    const { qty } = request;
    if (typeof qty !== 'number' || !Number.isFinite(qty) || qty <= 0) return 'qty must be a positive number';
    if (!isValidQty(grid, qty)) {
      return grid.qtyDecimals === 0
        ? 'qty must be a whole number of shares on KRX'
        : `qty has more than ${grid.qtyDecimals} decimal places`;
    }
    if (request.type === 'market') return null;
    const { price } = request;
    if (price === undefined || price === null) return 'a limit order needs a price';
    if (typeof price !== 'number' || !Number.isFinite(price) || price <= 0) return 'price must be a positive number';
    if (!grid.isOnGrid(price)) {
      const tick = grid.tickSize(price);
      const below = grid.round(Math.max(price, grid.minPrice), 'down');
      const above = grid.round(price, 'up');
      return `price ${price} is off the tick grid (tick ${tick} at this price; nearest valid prices ${below} and ${above})`;
    }
    const limits = simulator.limits;
    if (limits && (price > limits.upper || price < limits.lower)) {
      return `price ${price} is outside today's price limits ${limits.lower}–${limits.upper}`;
    }
    return null;
  }
}

function isSide(side: unknown): side is OrderSide {
  return side === 'buy' || side === 'sell';
}

function isType(type: unknown): type is OrderType {
  return type === 'limit' || type === 'market';
}
