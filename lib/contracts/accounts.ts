/**
 * Broker accounts over the HTTP API (`/api/accounts`, `/api/orders`) and the services bridge: what a user sees of
 * an account, its snapshots, the day's fills, and the order request. Snapshots carry `seq`, the account stream's
 * last seq when the snapshot was taken, so a client can lay the live `order`/`balance` events that came after it
 * on top and ask again when it finds a gap.
 */
import { z } from 'zod';
import type { SessionUser } from './auth';
import type { BrokerId } from './brokers';
import type { BalanceEvent, OrderEvent, OrderSide, OrderType } from './events';
import { orderSideSchema, orderTypeSchema, symbolSchema } from './events';
import type { Market, SymbolId } from './symbol';

export interface AccountSummary {
  /** `<brokerId>:<the broker's account number>`, e.g. `kis:50012345-01`. */
  id: string;
  broker: BrokerId;
  label: string;
  /** The market whose instruments this account trades. */
  market: Market;
  capabilities: { cancel: boolean; modify: boolean };
  /** A real-money account; simulator and mock (모의) accounts are paper. */
  realMoney: boolean;
  /** False for a real-money account while the server runs without ALLOW_REAL_ORDERS=true. */
  ordersAllowed: boolean;
  /** Why orders are refused, in words for the person at the ticket; null when they are allowed. */
  ordersRefusedReason: string | null;
  /** Linked by this user (true), by someone else and shared (false), or configured by environment (null owner). */
  owned: boolean;
  /** Whether this user may share the account with others: its owner, or an admin for environment accounts. */
  canShare: boolean;
}

type Snapshot<T> = { accountId: string; seq: number } & T;

export type BalanceSnapshot = Snapshot<{ balance: Omit<BalanceEvent, 'seq'> }>;
export type OpenOrdersSnapshot = Snapshot<{ orders: Array<Omit<OrderEvent, 'seq'>> }>;

/** One execution of one order, from the journal. */
export interface Fill {
  accountId: string;
  orderId: string;
  symbol: SymbolId;
  side: OrderSide;
  type: OrderType;
  orderQty: number;
  orderPrice: number | null;
  qty: number;
  price: number;
  /** The order's cumulative filled quantity after this fill: with orderId it names the fill. */
  filledQty: number;
  /** Exchange time, epoch ms. */
  ts: number;
}

/** Fills since 00:00 KST today, oldest first. */
export type FillsSnapshot = Snapshot<{ fills: Fill[]; since: number }>;

export interface AccountShare {
  userId: string;
  email: string;
  createdAt: number;
}

/** Quantities and prices are numbers: whole shares on KRX, up to 8 decimals on Upbit. */
export const placeOrderSchema = z
  .object({
    accountId: z.string().min(1).max(120),
    symbol: symbolSchema,
    side: orderSideSchema,
    type: orderTypeSchema,
    qty: z.number().positive().finite(),
    price: z.number().positive().finite().optional(),
  })
  .strict()
  .superRefine((order, context) => {
    if (order.type === 'limit' && order.price === undefined) context.addIssue({ code: 'custom', path: ['price'], message: 'a limit order needs a price' });
    if (order.type === 'market' && order.price !== undefined) context.addIssue({ code: 'custom', path: ['price'], message: 'a market order takes no price' });
  });
export type PlaceOrderRequest = z.infer<typeof placeOrderSchema>;

/** PATCH /api/orders/:accountId/:orderId — 정정: a new limit price, and optionally fewer shares. */
export const modifyOrderSchema = z
  .object({
    price: z.number().positive().finite(),
    qty: z.number().positive().finite().optional(),
  })
  .strict();
export type ModifyOrderRequest = z.infer<typeof modifyOrderSchema>;

export const shareRequestSchema = z.object({ email: z.string().trim().min(3).max(320) }).strict();

/** What route handlers reach through the services bridge; every call checks the user's access first. */
export interface AccountsService {
  list(user: SessionUser): Promise<AccountSummary[]>;
  /** Throws FORBIDDEN for an account the user may not see, whether or not it exists. */
  assertAccess(user: SessionUser, accountId: string): Promise<void>;
  visibleAccountIds(user: SessionUser): Promise<string[]>;
  balance(user: SessionUser, accountId: string): Promise<BalanceSnapshot>;
  openOrders(user: SessionUser, accountId: string): Promise<OpenOrdersSnapshot>;
  fillsToday(user: SessionUser, accountId: string): Promise<FillsSnapshot>;
  /** `body` is the request's JSON as sent: validated here (schema, tick grid, real-money rule). */
  placeOrder(user: SessionUser, body: unknown): Promise<{ orderId: string }>;
  cancelOrder(user: SessionUser, accountId: string, orderId: string): Promise<void>;
  /** `body` is `{ price, qty? }` as sent; resolves with the id of the order that now stands for the old one. */
  modifyOrder(user: SessionUser, accountId: string, orderId: string, body: unknown): Promise<{ orderId: string }>;
  shares(user: SessionUser, accountId: string): Promise<AccountShare[]>;
  share(user: SessionUser, accountId: string, body: unknown): Promise<AccountShare>;
  unshare(user: SessionUser, accountId: string, userId: string): Promise<void>;
}
