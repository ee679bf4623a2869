/**
 * Sise's account snapshots → the bridge's TR rows (§8.1): OPW00018 (a SUMMARY row, then one row per holding),
 * OPW00001 (one deposit row), OPT10075 (working orders), and the `/api/dashboard` AccountSnapshot. Values are
 * strings, as the bridge forwards OpenAPI+ output; a value Sise does not know (no price seen yet) is `""`.
 */
import type { BalanceEvent, OrderEvent, SymbolId } from '../../lib/contracts';
import type { Unstamped } from '../relay/feed';
import { ROW } from '../brokers/kiwoom-bridge/normalize';
import { accountNoOf, bridgeCode } from './frames';

export type Row = Record<string, string>;
export type PriceOf = (symbol: SymbolId) => number | undefined;

/** Decimal text → number (crypto quantities lose digits beyond a double only in the totals). */
const num = (text: string) => Number(text) || 0;
const fmt = (n: number) => String(Math.round(n * 100) / 100);

export function balanceRows(balance: Unstamped<BalanceEvent>, priceOf: PriceOf): Row[] {
  let totalPurchase = 0;
  let totalEvaluation = 0;
  let priced = true;
  const rows: Row[] = balance.holdings.map((h) => {
    const purchase = num(h.purchaseAmount);
    const price = priceOf(h.symbol);
    totalPurchase += purchase;
    const row: Row = {
      [ROW.name]: h.name,
      [ROW.code]: h.symbol.startsWith('KRX:') ? `A${bridgeCode(h.symbol)}` : h.symbol,
      [ROW.current]: price === undefined ? '' : String(price),
      [ROW.qty]: h.qty,
      [ROW.orderable]: h.orderableQty,
      [ROW.avgPrice]: h.avgPrice,
      매입단가: h.avgPrice,
      [ROW.purchase]: h.purchaseAmount,
      [ROW.evaluation]: '',
      [ROW.pnl]: '',
      '수익률(%)': '',
    };
    if (price === undefined) {
      priced = false;
      return row;
    }
    const evaluation = num(h.qty) * price;
    totalEvaluation += evaluation;
    row[ROW.evaluation] = fmt(evaluation);
    row[ROW.pnl] = fmt(evaluation - purchase);
    row['수익률(%)'] = purchase > 0 ? fmt(((evaluation - purchase) / purchase) * 100) : '0';
    return row;
  });
  const deposit = balance.cash?.deposit ?? '';
  const summary: Row = {
    [ROW.rowType]: ROW.summary,
    [ROW.totalPurchase]: fmt(totalPurchase),
    [ROW.totalEvaluation]: priced ? fmt(totalEvaluation) : '',
    [ROW.totalPnl]: priced ? fmt(totalEvaluation - totalPurchase) : '',
    '총수익률(%)': priced && totalPurchase > 0 ? fmt(((totalEvaluation - totalPurchase) / totalPurchase) * 100) : priced ? '0' : '',
    [ROW.deposit]: deposit,
  };
  return [summary, ...rows];
}

export function depositRows(balance: Unstamped<BalanceEvent>): Row[] {
  const deposit = balance.cash?.deposit ?? '';
  const orderable = balance.cash?.orderable ?? '';
  return [{ [ROW.deposit]: deposit, [ROW.withdrawable]: orderable, [ROW.orderableCash]: orderable }];
}

export function outstandingRows(orders: ReadonlyArray<Unstamped<OrderEvent>>, code: string | null): Row[] {
  return orders
    .filter((o) => code === null || bridgeCode(o.symbol) === code || o.symbol === code)
    .map((o) => ({
      [ROW.orderNo]: o.orderId,
      [ROW.orderCode]: bridgeCode(o.symbol),
      [ROW.orderKind]: o.side === 'buy' ? '+매수' : '-매도',
      [ROW.orderPrice]: String(o.price ?? 0),
      [ROW.orderQty]: String(o.qty),
      [ROW.unfilled]: String(o.remainingQty),
      [ROW.orderState]: '접수',
    }));
}

/** The AccountSnapshot of `/api/dashboard` (§8.1). */
export function accountSnapshot(
  balance: Unstamped<BalanceEvent>,
  orders: ReadonlyArray<Unstamped<OrderEvent>>,
  priceOf: PriceOf,
  now: number,
): Record<string, unknown> {
  const [summary, ...holdings] = balanceRows(balance, priceOf);
  const deposit = depositRows(balance);
  const outstanding = outstandingRows(orders, null);
  const totalPurchase = num(summary![ROW.totalPurchase]!);
  const totalPnl = num(summary![ROW.totalPnl]!);
  return {
    AccountNo: accountNoOf(balance.accountId),
    FetchedAt: new Date(now).toISOString(),
    TotalPurchase: totalPurchase,
    TotalEvaluation: num(summary![ROW.totalEvaluation]!),
    TotalPnL: totalPnl,
    TotalPnLRate: totalPurchase > 0 ? Math.round((totalPnl / totalPurchase) * 10_000) / 100 : 0,
    RealizedPnL: 0,
    DepositAvailable: num(balance.cash?.orderable ?? '0'),
    DepositWithdrawable: num(balance.cash?.orderable ?? '0'),
    Holdings: holdings,
    Outstanding: outstanding,
    RawBalance: [summary, ...holdings],
    RawDeposit: deposit,
    RawOutstanding: outstanding,
  };
}
