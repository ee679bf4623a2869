/**
 * What an adapter with accounts offers besides quotes: the balance snapshot, open orders, and order entry.
 * The balances page, the HTTP API (`POST /api/orders`, `DELETE /api/orders/:accountId/:orderId`) and the
 * bridge-compatible API all go through this, whichever broker holds the account. Events (order fills,
 * balance changes) flow through the FeedSink, never through return values, so nothing is missed when a
 * fill arrives before the REST answer.
 */
import type { BalanceEvent, OrderEvent, OrderSide, OrderType, SymbolId } from '../../lib/contracts';
import type { Unstamped } from '../relay/feed';

export interface OrderRequest {
  symbol: SymbolId;
  side: OrderSide;
  type: OrderType;
  qty: number;
  /** Required for limit orders. */
  price?: number;
}

/** A working limit order's new terms (정정). */
export interface OrderChange {
  /** The new limit price, on the instrument's tick grid. */
  price: number;
  /** Fewer shares; left out, everything that remains stays on the order. */
  qty?: number;
}

export interface AccountCapabilities {
  /** The bridge cannot address an order after placing it (no order number comes back). */
  cancel: boolean;
  modify: boolean;
  /** Real money: orders are refused unless ALLOW_REAL_ORDERS=true. */
  realMoney: boolean;
}

export interface AccountSession {
  /** `<brokerId>:<the broker's account number>`, e.g. `kis:50012345-01`. */
  readonly accountId: string;
  readonly capabilities: AccountCapabilities;
  /** A full snapshot (`full: true`), fetched over REST with every page. */
  balance(): Promise<Unstamped<BalanceEvent>>;
  /** Working orders as the broker reports them now. */
  openOrders(): Promise<Unstamped<OrderEvent>[]>;
  /** Resolves with the broker's order id once accepted; rejects with a FeedError carrying the broker's reason. */
  placeOrder(request: OrderRequest): Promise<{ orderId: string }>;
  /** Rejects with FeedError('NOT_SUPPORTED') where the broker cannot cancel (capabilities.cancel false). */
  cancelOrder(orderId: string): Promise<void>;
  /**
   * Present exactly when capabilities.modify: new terms for a working limit order. Resolves with the id of the
   * order that now stands for it (brokers number the modified order anew); its events follow as `replaced`.
   */
  modifyOrder?(orderId: string, change: OrderChange): Promise<{ orderId: string }>;
}
