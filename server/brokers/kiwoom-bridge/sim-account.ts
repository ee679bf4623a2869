/**
 * The bridge simulator's paper account: OpenAPI+ order numbers over the engine's paper orders, cash and holdings
 * that fills move, and the TR rows (OPW00018, OPW00001, OPT10075) and chejan data that describe them. Commission
 * and tax are zero so the numbers stay checkable by hand.
 */
import type { SymbolId } from '../../../lib/contracts';
import type { PaperOrder, PaperOrderUpdate } from '../../market/engine-types';
import type { MarketEngine } from '../../market/market-engine';
import { epochToKstTime, type ChejanData } from './codec';
import { BALANCE_FID, ORDER_FID, ORDER_STATE, ROW } from './normalize';

/** The simulator's account number (10 digits, like Kiwoom's); accountId `kiwoom-bridge:8012345611`. */
export const SIM_ACCOUNT_NO = '8012345611';
/** Starting cash: ₩100 M buys a few lots of every name in the universe. */
export const SIM_START_DEPOSIT = 100_000_000;
/** OpenAPI+ order numbers are 7 digits, zero-padded (§11.5 `9203`). */
const ORDER_NO_WIDTH = 7;

interface HoldingState {
  qty: number;
  purchase: number;
  name: string;
}

export class SimAccount {
  private cash = SIM_START_DEPOSIT;
  private readonly holdings = new Map<SymbolId, HoldingState>();
  private nextOrderNo = 1;
  private readonly orderNoByEngineId = new Map<string, string>();

  constructor(
    private readonly engine: MarketEngine,
    readonly accountNo: string = SIM_ACCOUNT_NO,
  ) {}

  /** The engine's owner tag for this account's paper orders: the adapter's accountId. */
  get owner(): string {
    return `kiwoom-bridge:${this.accountNo}`;
  }

  orderNoOf(engineId: string): string {
    let no = this.orderNoByEngineId.get(engineId);
    if (!no) {
      no = String(this.nextOrderNo++).padStart(ORDER_NO_WIDTH, '0');
      this.orderNoByEngineId.set(engineId, no);
    }
    return no;
  }

  /** The chejan order data for one engine update, and the balance data when it was a fill. */
  onUpdate(update: PaperOrderUpdate): { order: ChejanData | null; balance: ChejanData | null } {
    const o = update.order;
    if (o.status === 'rejected') return { order: null, balance: null };
    const state = update.fill ? ORDER_STATE.filled : o.status === 'cancelled' ? ORDER_STATE.confirmed : ORDER_STATE.accepted;
    const kind = o.status === 'cancelled' ? (o.side === 'buy' ? '매수취소' : '매도취소') : o.side === 'buy' ? '+매수' : '-매도';
    const order: ChejanData = {
      gubun: '0',
      [ORDER_FID.account]: this.accountNo,
      [ORDER_FID.orderNo]: this.orderNoOf(o.orderId),
      [ORDER_FID.code]: `A${codeOf(o.symbol)}`,
      [ORDER_FID.status]: state,
      [ORDER_FID.name]: this.engine.instrument(o.symbol)?.name ?? '',
      [ORDER_FID.qty]: String(o.qty),
      [ORDER_FID.price]: String(o.price ?? 0),
      [ORDER_FID.fillQty]: String(o.filledQty),
      [ORDER_FID.time]: epochToKstTime(update.ts),
      [ORDER_FID.orderKind]: kind,
    };
    if (update.fill) {
      order[ORDER_FID.current] = String(update.fill.price);
      order[ORDER_FID.fillNo] = String(this.nextOrderNo * 10 + o.filledQty).padStart(ORDER_NO_WIDTH, '0');
    }
    return { order, balance: update.fill ? this.applyFill(o, update.fill) : null };
  }

  private applyFill(order: PaperOrder, fill: { qty: number; price: number }): ChejanData {
    const name = this.engine.instrument(order.symbol)?.name ?? '';
    const h = this.holdings.get(order.symbol) ?? { qty: 0, purchase: 0, name };
    if (order.side === 'buy') {
      h.qty += fill.qty;
      h.purchase += fill.qty * fill.price;
      this.cash -= fill.qty * fill.price;
    } else {
      const avg = h.qty > 0 ? h.purchase / h.qty : 0;
      h.qty -= fill.qty;
      h.purchase = Math.max(0, h.purchase - avg * fill.qty);
      this.cash += fill.qty * fill.price;
    }
    if (h.qty <= 0) this.holdings.delete(order.symbol);
    else this.holdings.set(order.symbol, h);
    return {
      gubun: '1',
      [BALANCE_FID.account]: this.accountNo,
      [BALANCE_FID.code]: `A${codeOf(order.symbol)}`,
      [BALANCE_FID.name]: name,
      [BALANCE_FID.price]: String(fill.price),
      [BALANCE_FID.qty]: String(Math.max(0, h.qty)),
      [BALANCE_FID.avgPrice]: String(h.qty > 0 ? Math.round(h.purchase / h.qty) : 0),
      [BALANCE_FID.purchaseAmount]: String(Math.round(Math.max(0, h.purchase))),
      [BALANCE_FID.orderableQty]: String(Math.max(0, h.qty)),
    };
  }

  /** OPW00018: the SUMMARY row, then one row per holding (raw OpenAPI+ strings). */
  balanceRows(): Array<Record<string, string>> {
    let totalPurchase = 0;
    let totalEvaluation = 0;
    const rows: Array<Record<string, string>> = [];
    for (const [symbol, h] of this.holdings) {
      const last = this.engine.state(symbol)?.lastTrade?.price ?? this.engine.instrument(symbol)?.prevClose ?? 0;
      const evaluation = h.qty * last;
      totalPurchase += h.purchase;
      totalEvaluation += evaluation;
      rows.push({
        [ROW.name]: h.name,
        [ROW.code]: `A${codeOf(symbol)}`,
        [ROW.current]: String(last),
        [ROW.qty]: String(h.qty),
        [ROW.orderable]: String(h.qty),
        [ROW.avgPrice]: String(Math.round(h.purchase / h.qty)),
        [ROW.purchase]: String(Math.round(h.purchase)),
        [ROW.evaluation]: String(evaluation),
        [ROW.pnl]: String(Math.round(evaluation - h.purchase)),
      });
    }
    const summary = {
      [ROW.rowType]: ROW.summary,
      [ROW.totalPurchase]: String(Math.round(totalPurchase)),
      [ROW.totalEvaluation]: String(totalEvaluation),
      [ROW.totalPnl]: String(Math.round(totalEvaluation - totalPurchase)),
      [ROW.deposit]: String(this.cash),
    };
    return [summary, ...rows];
  }

  /** OPW00001: one row. */
  depositRows(): Array<Record<string, string>> {
    const cash = String(this.cash);
    return [{ [ROW.deposit]: cash, [ROW.withdrawable]: cash, [ROW.orderableCash]: cash }];
  }

  /** OPT10075: working orders, optionally for one code. */
  outstandingRows(code: string | null): Array<Record<string, string>> {
    return this.engine
      .openOrders(this.owner)
      .filter((o) => code === null || codeOf(o.symbol) === code)
      .map((o) => ({
        [ROW.orderNo]: this.orderNoOf(o.orderId),
        [ROW.orderCode]: codeOf(o.symbol),
        [ROW.orderKind]: o.side === 'buy' ? '+매수' : '-매도',
        [ROW.orderPrice]: String(o.price ?? 0),
        [ROW.orderQty]: String(o.qty),
        [ROW.unfilled]: String(o.remainingQty),
        [ROW.orderState]: ORDER_STATE.accepted,
      }));
  }

  /** The AccountSnapshot of `/api/dashboard` and the `dashboard` frame (§8.1, §8.2). */
  snapshot(now: number): Record<string, unknown> {
    const [summary, ...holdings] = this.balanceRows();
    const deposit = this.depositRows();
    const outstanding = this.outstandingRows(null);
    return {
      AccountNo: this.accountNo,
      FetchedAt: new Date(now).toISOString(),
      TotalPurchase: Number(summary![ROW.totalPurchase]),
      TotalEvaluation: Number(summary![ROW.totalEvaluation]),
      TotalPnL: Number(summary![ROW.totalPnl]),
      TotalPnLRate: 0,
      RealizedPnL: 0,
      DepositAvailable: this.cash,
      DepositWithdrawable: this.cash,
      Holdings: holdings,
      Outstanding: outstanding,
      RawBalance: [summary, ...holdings],
      RawDeposit: deposit,
      RawOutstanding: outstanding,
    };
  }
}

export function codeOf(symbol: SymbolId): string {
  return symbol.slice(symbol.indexOf(':') + 1);
}
