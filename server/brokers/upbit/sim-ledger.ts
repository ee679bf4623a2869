/**
 * The Upbit simulator's books of account: per account and currency, `balance` (available) and `locked` (held by
 * open orders) as exact decimal text, plus the average buy price, updated from the market engine's paper-order
 * events. No fees: Upbit charges 0.05 %, which would only add noise to what the simulator is for.
 */
import type { PaperOrder, PaperOrderUpdate } from '../../market/engine-types';
import type { AccountRow, AssetRow } from './codec';
import { numberToDecimal } from './codec';
import { addDecimal, compareDecimal, divDecimal, mulDecimal, normalizeDecimal, subDecimal } from './decimal';

const CASH = 'KRW';
/** Upbit shows average buy prices with up to 8 decimals. */
const AVG_PRICE_DECIMALS = 8;

interface Asset {
  balance: string;
  locked: string;
  avgBuyPrice: string;
}

export class SimLedger {
  private readonly assets = new Map<string, Asset>();
  /** What each working order still holds: KRW for limit buys, coins for sells. */
  private readonly holds = new Map<string, { currency: string; amount: string }>();

  constructor(initialKrw: string) {
    this.assets.set(CASH, { balance: normalizeDecimal(initialKrw), locked: '0', avgBuyPrice: '0' });
  }

  available(currency: string): string {
    return this.assets.get(currency)?.balance ?? '0';
  }

  /** `GET /v1/accounts`: every currency with anything in it. */
  rows(): AccountRow[] {
    return [...this.assets.entries()]
      .filter(([currency, a]) => currency === CASH || compareDecimal(addDecimal(a.balance, a.locked), '0') > 0)
      .map(([currency, a]) => ({
        currency,
        balance: a.balance,
        locked: a.locked,
        avg_buy_price: a.avgBuyPrice,
        avg_buy_price_modified: false,
        unit_currency: CASH,
      }));
  }

  asset(currency: string): AssetRow {
    const a = this.assets.get(currency) ?? { balance: '0', locked: '0', avgBuyPrice: '0' };
    return { currency, balance: a.balance, locked: a.locked };
  }

  /** How much the order still holds, for the myOrder `locked` field. */
  heldBy(orderId: string): string {
    return this.holds.get(orderId)?.amount ?? '0';
  }

  /** Applies one engine update; returns the currencies whose amounts changed (for a myAsset frame). */
  apply(update: PaperOrderUpdate): string[] {
    const { order, fill } = update;
    const coin = order.symbol.slice(order.symbol.indexOf('-') + 1);
    const changed = new Set<string>();
    if (order.status === 'rejected') return [];
    if (order.status === 'accepted' && !fill) {
      this.hold(order, coin, changed);
    } else if (fill) {
      this.settle(order, coin, fill, changed);
    }
    if (order.status === 'filled' || order.status === 'cancelled') this.release(order.orderId, changed);
    return [...changed];
  }

  private hold(order: PaperOrder, coin: string, changed: Set<string>): void {
    if (order.side === 'buy' && order.type === 'limit' && order.price !== null) {
      this.move(CASH, mulDecimal(numberToDecimal(order.price), numberToDecimal(order.qty)), order.orderId, changed);
    } else if (order.side === 'sell') {
      this.move(coin, numberToDecimal(order.qty), order.orderId, changed);
    }
  }

  /** Moves `amount` of `currency` from available to locked, held for `orderId`. */
  private move(currency: string, amount: string, orderId: string, changed: Set<string>): void {
    const a = this.get(currency);
    a.balance = subDecimal(a.balance, amount);
    a.locked = addDecimal(a.locked, amount);
    this.holds.set(orderId, { currency, amount });
    changed.add(currency);
  }

  private settle(order: PaperOrder, coin: string, fill: { qty: number; price: number }, changed: Set<string>): void {
    const qty = numberToDecimal(fill.qty);
    const cost = mulDecimal(numberToDecimal(fill.price), qty);
    const cash = this.get(CASH);
    const asset = this.get(coin);
    if (order.side === 'buy') {
      if (order.type === 'limit' && order.price !== null) {
        // The hold was at the limit price; a better fill price returns the difference.
        const released = this.unhold(order.orderId, mulDecimal(numberToDecimal(order.price), qty));
        cash.locked = subDecimal(cash.locked, released);
        cash.balance = addDecimal(cash.balance, subDecimal(released, cost));
      } else {
        cash.balance = subDecimal(cash.balance, cost);
      }
      const held = addDecimal(asset.balance, asset.locked);
      const newQty = addDecimal(held, qty);
      asset.avgBuyPrice = divDecimal(addDecimal(mulDecimal(held, asset.avgBuyPrice), cost), newQty, AVG_PRICE_DECIMALS);
      asset.balance = addDecimal(asset.balance, qty);
    } else {
      asset.locked = subDecimal(asset.locked, this.unhold(order.orderId, qty));
      cash.balance = addDecimal(cash.balance, cost);
      if (compareDecimal(addDecimal(asset.balance, asset.locked), '0') <= 0) asset.avgBuyPrice = '0';
    }
    changed.add(CASH);
    changed.add(coin);
  }

  /** Takes up to `amount` off an order's hold; returns what was taken. */
  private unhold(orderId: string, amount: string): string {
    const hold = this.holds.get(orderId);
    if (!hold) return '0';
    const taken = compareDecimal(amount, hold.amount) > 0 ? hold.amount : amount;
    hold.amount = subDecimal(hold.amount, taken);
    return taken;
  }

  /** A finished order's leftover hold goes back to available. */
  private release(orderId: string, changed: Set<string>): void {
    const hold = this.holds.get(orderId);
    if (!hold) return;
    this.holds.delete(orderId);
    if (compareDecimal(hold.amount, '0') === 0) return;
    const a = this.get(hold.currency);
    a.locked = subDecimal(a.locked, hold.amount);
    a.balance = addDecimal(a.balance, hold.amount);
    changed.add(hold.currency);
  }

  private get(currency: string): Asset {
    let a = this.assets.get(currency);
    if (!a) {
      a = { balance: '0', locked: '0', avgBuyPrice: '0' };
      this.assets.set(currency, a);
    }
    return a;
  }
}
