/**
 * Normalized events: what every broker's frames become, and what browsers and bots receive.
 * The vocabulary (tick, hoga, order, balance) is the user's KiwoomServer's, so their tools feel at home.
 *
 * Streams and seq: `seq` rises by exactly 1 per stream, so a client can prove it missed nothing.
 *  - market data: one stream per symbol, shared by its `tick` and `hoga` events;
 *  - account data: one stream per account, shared by its `order` and `balance` events;
 *  - condition hits: one stream per live condition.
 */
import { z } from 'zod';
import { BROKER_IDS } from './brokers';
import { parseSymbol, type SymbolId } from './symbol';

export const symbolSchema = z
  .string()
  .refine((s) => parseSymbol(s).ok, { message: 'expected MARKET:CODE, e.g. KRX:005930' })
  .transform((s) => s as SymbolId);

/** Epoch milliseconds. */
const epochMs = z.number().nonnegative();

/** Decimal text, kept exact end to end: crypto balances carry more digits than a double holds. */
export const decimalSchema = z.string().regex(/^-?\d+(\.\d+)?$/, 'expected decimal text such as "0.12345678"');

const envelope = {
  seq: z.number().int().nonnegative(),
  /** When the exchange says the thing happened. */
  ts: epochMs,
  /** When Sise received it from the broker. */
  recvTs: epochMs,
  source: z.enum(BROKER_IDS),
};

/** Direction against the previous close; `upper`/`lower` mean at the daily price limit (상한가/하한가). */
export const priceSignSchema = z.enum(['upper', 'up', 'flat', 'down', 'lower']);
export type PriceSign = z.infer<typeof priceSignSchema>;

export const tickSchema = z.object({
  ...envelope,
  symbol: symbolSchema,
  price: z.number().positive(),
  sign: priceSignSchema,
  /** price − prevClose. */
  change: z.number(),
  /** Percent against prevClose: −1.23 means −1.23 %. */
  changeRate: z.number(),
  prevClose: z.number().positive(),
  qty: z.number().positive(),
  /** The aggressor: `buy` traded at the ask, `sell` at the bid, null when the broker does not say. */
  side: z.enum(['buy', 'sell']).nullable(),
  cumVolume: z.number().nonnegative(),
  cumValue: z.number().nonnegative(),
  open: z.number().positive(),
  high: z.number().positive(),
  low: z.number().positive(),
});
export type TickEvent = z.infer<typeof tickSchema>;

export const priceLevelSchema = z.object({ price: z.number().positive(), qty: z.number().nonnegative() });
export type PriceLevel = z.infer<typeof priceLevelSchema>;

export const hogaSchema = z.object({
  ...envelope,
  symbol: symbolSchema,
  /** Best first: asks[0] is the lowest ask, bids[0] the highest bid. 10 levels for KRX, up to 30 for Upbit. */
  asks: z.array(priceLevelSchema).max(30),
  bids: z.array(priceLevelSchema).max(30),
  totalAskQty: z.number().nonnegative(),
  totalBidQty: z.number().nonnegative(),
});
export type HogaEvent = z.infer<typeof hogaSchema>;

export const orderStatusSchema = z.enum([
  'accepted',
  'partially_filled',
  'filled',
  'cancelled',
  'replaced',
  'rejected',
]);
export type OrderStatus = z.infer<typeof orderStatusSchema>;

export const orderSideSchema = z.enum(['buy', 'sell']);
export type OrderSide = z.infer<typeof orderSideSchema>;
export const orderTypeSchema = z.enum(['limit', 'market']);
export type OrderType = z.infer<typeof orderTypeSchema>;

export const orderSchema = z.object({
  ...envelope,
  accountId: z.string().min(1),
  orderId: z.string().min(1),
  /** The order this one replaced or cancels, when the broker says. */
  origOrderId: z.string().nullable(),
  symbol: symbolSchema,
  side: orderSideSchema,
  type: orderTypeSchema,
  status: orderStatusSchema,
  qty: z.number().positive(),
  /** Null for market orders. */
  price: z.number().positive().nullable(),
  filledQty: z.number().nonnegative(),
  remainingQty: z.number().nonnegative(),
  lastFill: z.object({ qty: z.number().positive(), price: z.number().positive() }).nullable(),
  /** Why it was rejected or cancelled, in the broker's words when it gave any. */
  reason: z.string().nullable(),
});
export type OrderEvent = z.infer<typeof orderSchema>;

export const holdingSchema = z.object({
  symbol: symbolSchema,
  name: z.string(),
  qty: decimalSchema,
  orderableQty: decimalSchema,
  avgPrice: decimalSchema,
  /** qty × avgPrice as the broker reports it (brokers round differently; we keep theirs). */
  purchaseAmount: decimalSchema,
});
export type Holding = z.infer<typeof holdingSchema>;

export const balanceSchema = z.object({
  ...envelope,
  accountId: z.string().min(1),
  /** true: cash and every holding (absent holdings are gone); false: `holdings` lists only what changed. */
  full: z.boolean(),
  cash: z
    .object({ currency: z.string().min(1), deposit: decimalSchema, orderable: decimalSchema })
    .nullable(),
  holdings: z.array(holdingSchema),
});
export type BalanceEvent = z.infer<typeof balanceSchema>;

export const conditionSchema = z.object({
  ...envelope,
  /** `<brokerId>:<condition id>`, e.g. `kiwoom:001`. */
  conditionKey: z.string().min(1),
  symbol: symbolSchema,
  action: z.enum(['insert', 'delete']),
  /** The instrument's name when the broker sends it. */
  name: z.string().nullable(),
});
export type ConditionEvent = z.infer<typeof conditionSchema>;

export type MarketEvent = TickEvent | HogaEvent;
export type AccountEvent = OrderEvent | BalanceEvent;
