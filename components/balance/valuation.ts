/**
 * What a holding and an account are worth at the live price: evaluation (평가금액), profit and loss (평가손익) and
 * its rate (수익률). Pure; amounts are numbers for display only (the exact decimal text stays in the balance).
 */
import type { Holding, SymbolId } from '@/lib/contracts';
import type { Balance } from '@/lib/client/account-view';

export interface HoldingValue {
  holding: Holding;
  qty: number;
  avgPrice: number;
  /** The live price; null until the first trade of the symbol reaches the page. */
  price: number | null;
  purchase: number;
  evaluation: number | null;
  /** Null while the price or the purchase amount is unknown (a broker that sends no average price). */
  pnl: number | null;
  /** Percent: 1.5 means +1.50 %. */
  pnlRate: number | null;
}

export function valueHolding(holding: Holding, price: number | undefined): HoldingValue {
  const qty = Number(holding.qty);
  const avgPrice = Number(holding.avgPrice);
  const purchase = Number(holding.purchaseAmount) || qty * avgPrice;
  const evaluation = price === undefined ? null : qty * price;
  const pnl = evaluation === null || purchase <= 0 ? null : evaluation - purchase;
  return { holding, qty, avgPrice, price: price ?? null, purchase, evaluation, pnl, pnlRate: pnl === null ? null : (pnl / purchase) * 100 };
}

export interface AccountTotals {
  currency: string;
  deposit: number;
  orderable: number;
  purchase: number;
  /** Holdings at the live price (at their purchase amount until a price arrives). */
  evaluation: number;
  pnl: number;
  /** The purchase amount of the holdings whose P&L is known: the base of pnlRate. */
  pricedPurchase: number;
  pnlRate: number | null;
  /** Deposit plus evaluation: what the account is worth. */
  total: number;
  /** False while some holding has no live price yet. */
  priced: boolean;
}

export function accountTotals(balance: Balance, values: readonly HoldingValue[]): AccountTotals {
  const deposit = Number(balance.cash?.deposit ?? 0);
  const orderable = Number(balance.cash?.orderable ?? 0);
  const purchase = values.reduce((sum, v) => sum + v.purchase, 0);
  const evaluation = values.reduce((sum, v) => sum + (v.evaluation ?? v.purchase), 0);
  const pnl = values.reduce((sum, v) => sum + (v.pnl ?? 0), 0);
  const pricedPurchase = values.reduce((sum, v) => sum + (v.pnl === null ? 0 : v.purchase), 0);
  return {
    currency: balance.cash?.currency ?? 'KRW',
    deposit,
    orderable,
    purchase,
    evaluation,
    pnl,
    pricedPurchase,
    pnlRate: pricedPurchase > 0 ? (pnl / pricedPurchase) * 100 : null,
    total: deposit + evaluation,
    priced: values.every((v) => v.price !== null),
  };
}

/** Totals of several accounts in one currency (KRW and USD accounts are not added together). */
export function sumTotals(currency: string, totals: readonly AccountTotals[]): AccountTotals {
  const same = totals.filter((t) => t.currency === currency);
  const add = (pick: (t: AccountTotals) => number) => same.reduce((sum, t) => sum + pick(t), 0);
  const pnl = add((t) => t.pnl);
  const pricedPurchase = add((t) => t.pricedPurchase);
  return {
    currency,
    deposit: add((t) => t.deposit),
    orderable: add((t) => t.orderable),
    purchase: add((t) => t.purchase),
    evaluation: add((t) => t.evaluation),
    pnl,
    pricedPurchase,
    pnlRate: pricedPurchase > 0 ? (pnl / pricedPurchase) * 100 : null,
    total: add((t) => t.total),
    priced: same.every((t) => t.priced),
  };
}

export function holdingSymbols(balance: Balance | null): SymbolId[] {
  return balance ? balance.holdings.map((h) => h.symbol) : [];
}
