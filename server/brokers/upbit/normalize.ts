/**
 * Upbit frames → Sise's normalized events (lib/contracts/events.ts). Stateful only where Upbit splits one thing
 * over two streams: a `tick` is a trade print plus the day's state, which Upbit sends as `ticker`, so the last
 * ticker per code is merged into every trade.
 */
import type { BalanceEvent, Holding, HogaEvent, OrderEvent, OrderStatus, PriceLevel, SymbolId, TickEvent } from '../../../lib/contracts';
import { parseSymbol } from '../../../lib/contracts';
import { signOf } from '../../../lib/format/price-colour';
import type { Unstamped } from '../../relay/feed';
import type { AccountRow, MyAssetFrame, MyOrderFrame, OrderbookFrame, RestOrder } from './codec';
import type { BookState, TickerState, TradeState } from './quick-fields';
import { addDecimal, mulDecimal } from './decimal';

const SOURCE = 'upbit' as const;
/** Upbit's cash currency for the KRW market, the only market the simulator lists. */
export const CASH_CURRENCY = 'KRW';

/** Codes seen so far: every frame names its code, and parsing it each time is measurable at Upbit's rates. */
const symbolCache = new Map<string, SymbolId | null>();
/** Bounds the cache against a stream of junk codes; the real universe is a few hundred markets. */
const MAX_CACHED_CODES = 10_000;

/** `KRW-BTC` → `UPBIT:KRW-BTC`; null for a code that is not a well-formed Upbit market. */
export function symbolOfCode(code: string): SymbolId | null {
  const cached = symbolCache.get(code);
  if (cached !== undefined) return cached;
  const parsed = parseSymbol(`UPBIT:${code}`);
  const symbol = parsed.ok ? parsed.value.symbol : null;
  if (symbolCache.size >= MAX_CACHED_CODES) symbolCache.clear();
  symbolCache.set(code, symbol);
  return symbol;
}

/** Keeps the latest ticker per code and turns trades into ticks. */
export class TickMerger {
  private readonly tickers = new Map<string, TickerState>();
  private readonly lastPrices = new Map<string, number>();

  /**
   * Remembers the day's state. No event: the trade frame of the same print carries the tick (a ticker frame
   * emitted as well would count every print twice).
   */
  ticker(frame: TickerState): void {
    const previous = this.tickers.get(frame.code);
    if (previous && previous.trade_timestamp > frame.trade_timestamp) return;
    // Only the merged fields are kept, whichever decoder produced the frame.
    this.tickers.set(frame.code, {
      code: frame.code,
      opening_price: frame.opening_price,
      high_price: frame.high_price,
      low_price: frame.low_price,
      acc_trade_volume: frame.acc_trade_volume,
      acc_trade_price: frame.acc_trade_price,
      trade_timestamp: frame.trade_timestamp,
    });
  }

  forget(code: string): void {
    this.tickers.delete(code);
    this.lastPrices.delete(code);
  }

  /** The last trade price seen for a code, for sizing what is only known as an amount. */
  lastPrice(code: string): number | null {
    return this.lastPrices.get(code) ?? null;
  }

  /**
   * A trade print with the day's state after it. When the trade is newer than the last ticker (the trade frame
   * often arrives first) its volume and price extend the ticker's; without any ticker yet, the print itself is the
   * only state known and opens the day's figures.
   */
  tick(frame: TradeState, recvTs: number): Unstamped<TickEvent> | null {
    const symbol = symbolOfCode(frame.code);
    if (!symbol || !(frame.trade_price > 0) || !(frame.trade_volume > 0) || !(frame.prev_closing_price > 0) || !(frame.trade_timestamp >= 0)) return null;
    const price = frame.trade_price;
    const prevClose = frame.prev_closing_price;
    this.lastPrices.set(frame.code, price);
    const ticker = this.tickers.get(frame.code);
    let open = price;
    let high = price;
    let low = price;
    let cumVolume = frame.trade_volume;
    let cumValue = price * frame.trade_volume;
    if (ticker) {
      open = ticker.opening_price;
      high = ticker.high_price;
      low = ticker.low_price;
      cumVolume = ticker.acc_trade_volume;
      cumValue = ticker.acc_trade_price;
      if (frame.trade_timestamp > ticker.trade_timestamp) {
        high = Math.max(high, price);
        low = Math.min(low, price);
        cumVolume += frame.trade_volume;
        cumValue += price * frame.trade_volume;
      }
    }
    const change = price - prevClose;
    return {
      symbol,
      source: SOURCE,
      ts: frame.trade_timestamp,
      recvTs,
      price,
      // Crypto has no daily price limits.
      sign: signOf(price, prevClose, null, null),
      change,
      changeRate: Math.round((change / prevClose) * 10_000) / 100,
      prevClose,
      qty: frame.trade_volume,
      side: frame.ask_bid === 'BID' ? 'buy' : frame.ask_bid === 'ASK' ? 'sell' : null,
      cumVolume: Math.max(0, cumVolume),
      cumValue: Math.max(0, cumValue),
      open: open > 0 ? open : price,
      high: high > 0 ? high : price,
      low: low > 0 ? low : price,
    };
  }
}

/** Every orderbook frame is a full top-N book (§4.3), so it maps one to one; empty sides (price 0) are dropped. */
export function hogaOf(frame: OrderbookFrame | BookState, recvTs: number): Unstamped<HogaEvent> | null {
  const symbol = symbolOfCode(frame.code);
  // A book from before 1970 is junk, not a book.
  if (!symbol || !(frame.timestamp >= 0)) return null;
  const asks: PriceLevel[] = [];
  const bids: PriceLevel[] = [];
  for (const unit of frame.orderbook_units.slice(0, MAX_HOGA_LEVELS)) {
    if (unit.ask_price > 0 && unit.ask_size >= 0) asks.push({ price: unit.ask_price, qty: unit.ask_size });
    if (unit.bid_price > 0 && unit.bid_size >= 0) bids.push({ price: unit.bid_price, qty: unit.bid_size });
  }
  return {
    symbol,
    source: SOURCE,
    ts: frame.timestamp,
    recvTs,
    asks,
    bids,
    totalAskQty: Math.max(0, frame.total_ask_size),
    totalBidQty: Math.max(0, frame.total_bid_size),
  };
}

/** The contract's cap; Upbit serves at most 30 pairs. */
const MAX_HOGA_LEVELS = 30;

const num = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);

/**
 * A myOrder frame as an `order` event. On `state: trade` Upbit puts the fill's price and size in `price`/`volume`
 * (§4.5), so the order's own size is executed + remaining there, and its limit price is the one remembered from
 * the order's earlier frames (`knownLimitPrice`), null when this session never saw it.
 */
export function orderOfMyOrder(
  frame: MyOrderFrame,
  accountId: string,
  recvTs: number,
  knownLimitPrice: number | null,
  lastPrice: number | null = null,
): Unstamped<OrderEvent> | null {
  const symbol = symbolOfCode(frame.code);
  if (!symbol) return null;
  const executed = num(frame.executed_volume) ?? 0;
  const remaining = num(frame.remaining_volume);
  const volume = num(frame.volume);
  const price = num(frame.price);
  const isFill = frame.state === 'trade';
  let qty = remaining !== null && (isFill || volume === null) ? executed + remaining : (volume ?? executed);
  let reason: string | null = null;
  // A market buy by amount (`order_type: price`) has no size until it fills (V12: volume, remaining and executed
  // all null); its size is estimated from the amount and the last price so the event is not lost.
  if (!(qty > 0) && frame.order_type === 'price' && price !== null && price > 0 && lastPrice !== null && lastPrice > 0) {
    qty = Math.floor((price / lastPrice) * 1e8) / 1e8;
    reason = `market buy of ${price} ${symbol.slice(symbol.indexOf(':') + 1, symbol.indexOf('-'))}; size estimated from the last price`;
  }
  if (!(qty > 0)) return null;
  const market = frame.order_type !== 'limit';
  const orderPrice = isFill ? knownLimitPrice : price;
  return {
    accountId,
    orderId: frame.uuid,
    origOrderId: null,
    symbol,
    source: SOURCE,
    // Order events are never dropped: a nonsense time gives way to the time of receipt.
    ts: validTs(num(frame.trade_timestamp) ?? num(frame.order_timestamp) ?? frame.timestamp, recvTs),
    recvTs,
    side: frame.ask_bid === 'BID' ? 'buy' : 'sell',
    type: market ? 'market' : 'limit',
    status: statusOf(frame.state, executed, remaining ?? qty - executed),
    qty,
    price: !market && orderPrice !== null && orderPrice > 0 ? orderPrice : null,
    filledQty: executed,
    remainingQty: Math.max(0, remaining ?? qty - executed),
    lastFill: isFill && price !== null && price > 0 && volume !== null && volume > 0 ? { qty: volume, price } : null,
    reason: frame.state === 'cancel' ? 'cancelled' : frame.state === 'prevented' ? 'cancelled by self-match prevention' : reason,
  };
}

function validTs(ts: number, fallback: number): number {
  return Number.isFinite(ts) && ts >= 0 ? ts : fallback;
}

function statusOf(state: string, executed: number, remaining: number): OrderStatus {
  switch (state) {
    case 'done':
      return 'filled';
    case 'cancel':
    case 'prevented':
      return 'cancelled';
    case 'trade':
      return remaining > 0 ? 'partially_filled' : 'filled';
    default:
      // wait / watch
      return executed > 0 ? 'partially_filled' : 'accepted';
  }
}

/** An order from the REST order endpoints as an `order` event. */
export function orderOfRest(order: RestOrder, accountId: string, recvTs: number): Unstamped<OrderEvent> | null {
  const symbol = symbolOfCode(order.market);
  if (!symbol) return null;
  const executed = Number(order.executed_volume);
  const remaining = order.remaining_volume === null ? 0 : Number(order.remaining_volume);
  const qty = order.volume === null ? executed + remaining : Number(order.volume);
  if (!(qty > 0)) return null;
  const price = order.price === null ? null : Number(order.price);
  const status: OrderStatus =
    order.state === 'done' ? 'filled' : order.state === 'cancel' ? 'cancelled' : executed > 0 ? 'partially_filled' : 'accepted';
  const ts = Date.parse(order.created_at);
  return {
    accountId,
    orderId: order.uuid,
    origOrderId: null,
    symbol,
    source: SOURCE,
    ts: validTs(ts, recvTs),
    recvTs,
    side: order.side === 'bid' ? 'buy' : 'sell',
    type: order.ord_type === 'limit' ? 'limit' : 'market',
    status,
    qty,
    price: order.ord_type === 'limit' && price !== null && price > 0 ? price : null,
    filledQty: executed,
    remainingQty: remaining,
    lastFill: null,
    reason: order.state === 'cancel' ? 'cancelled' : null,
  };
}

/** What the adapter knows about holdings beyond myAsset, which carries no average price. */
export interface HoldingInfo {
  avgPrice: string;
  name: string;
}

function holdingOf(currency: string, balance: string, locked: string, info: HoldingInfo | undefined): Holding | null {
  const symbol = symbolOfCode(`${CASH_CURRENCY}-${currency}`);
  if (!symbol) return null;
  const qty = addDecimal(balance, locked);
  const avgPrice = info?.avgPrice ?? '0';
  return { symbol, name: info?.name ?? currency, qty, orderableQty: balance, avgPrice, purchaseAmount: mulDecimal(qty, avgPrice) };
}

/** myAsset lists the currencies that changed: a partial balance (`full: false`). */
export function balanceOfMyAsset(
  frame: MyAssetFrame,
  accountId: string,
  recvTs: number,
  info: (currency: string) => HoldingInfo | undefined,
): Unstamped<BalanceEvent> {
  let cash: BalanceEvent['cash'] = null;
  const holdings: Holding[] = [];
  for (const asset of frame.assets) {
    if (asset.currency === CASH_CURRENCY) {
      cash = { currency: CASH_CURRENCY, deposit: addDecimal(asset.balance, asset.locked), orderable: asset.balance };
    } else {
      const holding = holdingOf(asset.currency, asset.balance, asset.locked, info(asset.currency));
      if (holding) holdings.push(holding);
    }
  }
  return { accountId, source: SOURCE, ts: validTs(frame.timestamp, recvTs), recvTs, full: false, cash, holdings };
}

/** `GET /v1/accounts` is every currency the account holds: a full balance. */
export function balanceOfAccounts(rows: readonly AccountRow[], accountId: string, now: number, nameOf: (currency: string) => string): Unstamped<BalanceEvent> {
  let cash: BalanceEvent['cash'] = { currency: CASH_CURRENCY, deposit: '0', orderable: '0' };
  const holdings: Holding[] = [];
  for (const row of rows) {
    if (row.currency === CASH_CURRENCY) {
      cash = { currency: CASH_CURRENCY, deposit: addDecimal(row.balance, row.locked), orderable: row.balance };
    } else {
      const holding = holdingOf(row.currency, row.balance, row.locked, { avgPrice: row.avg_buy_price, name: nameOf(row.currency) });
      if (holding) holdings.push(holding);
    }
  }
  return { accountId, source: SOURCE, ts: now, recvTs: now, full: true, cash, holdings };
}
