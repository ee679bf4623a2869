/**
 * The simulator's paper account: Kiwoom order numbers over the engine's paper orders, cash and holdings that
 * fills move, and the REST rows (kt00018, kt00001, ka10075) and REAL items (00 주문체결, 04 잔고) that describe
 * them. Commission and tax are zero so the numbers stay checkable by hand.
 */
import type { SymbolId } from '../../../lib/contracts';
import type { PaperOrder, PaperOrderUpdate } from '../../market/engine-types';
import type { MarketEngine } from '../../market/market-engine';
import { epochToKstTime, padded, prefixedCode, type RealItem } from './codec';
import { REAL_TYPE } from './normalize';
import { krxCode } from './real-encode';

/** The simulator's account number (10 digits, like Kiwoom's); accountId `kiwoom:5012345678`. */
export const SIM_ACCOUNT_NO = '5012345678';
/** Starting cash: ₩100 M buys a few lots of every name in the universe. */
export const SIM_START_DEPOSIT = 100_000_000;
/** REST amounts are 15-digit zero-padded, quantities too (§5.5, kt00018 example). */
const AMOUNT_WIDTH = 15;
/** Prices (`cur_prc`, `pred_close_pric`) are 12 digits in the kt00018 example. */
const PRICE_WIDTH = 12;

interface HoldingState {
  qty: number;
  purchase: number;
  name: string;
}

export interface OrderRecord {
  ordNo: string;
  engineId: string;
  symbol: SymbolId;
  /** Set on modify/cancel orders: the order they act on. */
  origOrdNo: string | null;
}

export class SimAccount {
  readonly accountNo: string;
  private cash = SIM_START_DEPOSIT;
  private readonly holdings = new Map<SymbolId, HoldingState>();
  private nextOrdNo = 1;
  private readonly byOrdNo = new Map<string, OrderRecord>();
  private readonly byEngineId = new Map<string, OrderRecord>();

  constructor(
    private readonly engine: MarketEngine,
    accountNo: string = SIM_ACCOUNT_NO,
  ) {
    this.accountNo = accountNo;
  }

  get owner(): string {
    return `kiwoom:${this.accountNo}`;
  }

  /** A fresh 7-digit order number (§4.5 9203). */
  allocateOrdNo(): string {
    return String(this.nextOrdNo++).padStart(7, '0');
  }

  track(ordNo: string, engineId: string, symbol: SymbolId, origOrdNo: string | null): OrderRecord {
    const record = { ordNo, engineId, symbol, origOrdNo };
    this.byOrdNo.set(ordNo, record);
    this.byEngineId.set(engineId, record);
    return record;
  }

  byOrderNo(ordNo: string): OrderRecord | undefined {
    return this.byOrdNo.get(ordNo.trim());
  }

  byEngine(engineId: string): OrderRecord | undefined {
    return this.byEngineId.get(engineId);
  }

  /** Moves cash and the holding for a fill; returns the 04 item describing the holding after it. */
  applyFill(order: PaperOrder, fill: { qty: number; price: number }): RealItem {
    const name = this.engine.instrument(order.symbol)?.name ?? '';
    const h = this.holdings.get(order.symbol) ?? { qty: 0, purchase: 0, name };
    if (order.side === 'buy') {
      h.qty += fill.qty;
      h.purchase += fill.qty * fill.price;
      this.cash -= fill.qty * fill.price;
    } else {
      const avg = h.qty > 0 ? h.purchase / h.qty : 0;
      h.qty = Math.max(0, h.qty - fill.qty);
      h.purchase = h.qty > 0 ? h.purchase - avg * fill.qty : 0;
      this.cash += fill.qty * fill.price;
    }
    if (h.qty > 0) this.holdings.set(order.symbol, h);
    else this.holdings.delete(order.symbol);
    return this.balanceItem(order.symbol, h);
  }

  /** Shares of a holding not already promised to working sell orders. */
  private orderable(symbol: SymbolId, qty: number): number {
    const selling = this.engine
      .openOrders(this.owner)
      .filter((o) => o.symbol === symbol && o.side === 'sell')
      .reduce((sum, o) => sum + o.remainingQty, 0);
    return Math.max(0, qty - selling);
  }

  private balanceItem(symbol: SymbolId, h: HoldingState): RealItem {
    const last = this.engine.state(symbol)?.lastTrade;
    const avg = h.qty > 0 ? Math.round(h.purchase / h.qty) : 0;
    return {
      type: REAL_TYPE.balance,
      name: '현물잔고',
      item: krxCode(symbol),
      values: {
        '9201': this.accountNo,
        '9001': krxCode(symbol),
        '302': h.name,
        '10': last ? String(last.price) : '',
        '930': String(h.qty),
        '931': String(avg),
        '932': String(Math.round(h.purchase)),
        '933': String(this.orderable(symbol, h.qty)),
      },
    };
  }

  /** The 00 item for an engine order update; `kind` overrides 913/905 for modify and cancel confirmations. */
  orderItem(record: OrderRecord, update: PaperOrderUpdate, kind?: { status: string; label: string }): RealItem {
    const o = update.order;
    const side = o.side === 'buy' ? '매수' : '매도';
    const status =
      kind?.status ??
      (update.fill ? '체결' : o.status === 'accepted' ? '접수' : o.status === 'rejected' ? '거부' : o.status === 'cancelled' ? '확인' : '접수');
    const label = kind?.label ?? (o.status === 'cancelled' ? `${side}취소` : side);
    const last = this.engine.state(o.symbol)?.lastTrade;
    return {
      type: REAL_TYPE.order,
      name: '주문체결',
      item: krxCode(o.symbol),
      values: {
        '9201': this.accountNo,
        '9203': record.ordNo,
        '9001': krxCode(o.symbol),
        '913': status,
        '302': this.engine.instrument(o.symbol)?.name ?? '',
        '900': String(o.qty),
        '901': String(o.price ?? 0),
        '902': String(o.status === 'cancelled' || o.status === 'rejected' ? 0 : o.remainingQty),
        '903': String(Math.round((o.avgFillPrice ?? 0) * o.filledQty)),
        '904': record.origOrdNo ?? '0000000',
        '905': `${o.side === 'buy' ? '+' : '-'}${label}`,
        '906': o.type === 'market' ? '시장가' : '보통',
        '907': o.side === 'buy' ? '2' : '1',
        '908': epochToKstTime(update.ts),
        '909': update.fill ? record.ordNo : '',
        '910': update.fill ? String(update.fill.price) : '',
        '911': update.fill ? String(o.filledQty) : '',
        '914': update.fill ? String(update.fill.price) : '',
        '915': update.fill ? String(update.fill.qty) : '',
        '10': last ? String(last.price) : '',
        '919': o.status === 'rejected' ? (o.reason ?? '거부') : '0',
        '2134': '1',
        '2135': 'KRX',
        '2136': 'N',
      },
    };
  }

  /** kt00018 body: summary plus one row per holding, valued at the last trade. */
  evaluation(): Record<string, unknown> {
    let totalPurchase = 0;
    let totalValue = 0;
    const rows = [...this.holdings].map(([symbol, h]) => {
      const state = this.engine.state(symbol);
      const price = state?.lastTrade?.price ?? state?.instrument.prevClose ?? 0;
      const value = price * h.qty;
      totalPurchase += h.purchase;
      totalValue += value;
      return {
        stk_cd: prefixedCode(symbol),
        stk_nm: h.name,
        evltv_prft: padded(value - h.purchase, AMOUNT_WIDTH),
        prft_rt: h.purchase > 0 ? (((value - h.purchase) / h.purchase) * 100).toFixed(2) : '0.00',
        pur_pric: padded(Math.round(h.purchase / h.qty), AMOUNT_WIDTH),
        pred_close_pric: padded(state?.instrument.prevClose ?? 0, PRICE_WIDTH),
        rmnd_qty: padded(h.qty, AMOUNT_WIDTH),
        trde_able_qty: padded(this.orderable(symbol, h.qty), AMOUNT_WIDTH),
        cur_prc: padded(price, PRICE_WIDTH),
        pur_amt: padded(Math.round(h.purchase), AMOUNT_WIDTH),
        evlt_amt: padded(value, AMOUNT_WIDTH),
        crd_tp: '00',
      };
    });
    return {
      tot_pur_amt: padded(Math.round(totalPurchase), AMOUNT_WIDTH),
      tot_evlt_amt: padded(totalValue, AMOUNT_WIDTH),
      tot_evlt_pl: padded(totalValue - totalPurchase, AMOUNT_WIDTH),
      tot_prft_rt: totalPurchase > 0 ? (((totalValue - totalPurchase) / totalPurchase) * 100).toFixed(2) : '0.00',
      prsm_dpst_aset_amt: padded(this.cash + totalValue, AMOUNT_WIDTH),
      acnt_evlt_remn_indv_tot: rows,
    };
  }

  /** kt00001 body: 예수금 and 주문가능금액 (cash less what working limit buys have reserved). */
  deposit(): Record<string, unknown> {
    const reserved = this.engine
      .openOrders(this.owner)
      .filter((o) => o.side === 'buy' && o.price !== null)
      .reduce((sum, o) => sum + o.remainingQty * (o.price ?? 0), 0);
    return {
      entr: padded(this.cash, AMOUNT_WIDTH),
      ord_alow_amt: padded(Math.max(0, this.cash - reserved), AMOUNT_WIDTH),
      pymn_alow_amt: padded(Math.max(0, this.cash - reserved), AMOUNT_WIDTH),
      d2_entra: padded(this.cash, AMOUNT_WIDTH),
      stk_entr_prst: [],
    };
  }

  /** ka10075 `oso` rows for the working orders, oldest first. */
  openOrderRows(): Array<Record<string, string>> {
    return this.engine.openOrders(this.owner).flatMap((o) => {
      const record = this.byEngineId.get(o.orderId);
      if (!record) return [];
      return [
        {
          acnt_no: this.accountNo,
          ord_no: record.ordNo,
          stk_cd: krxCode(o.symbol),
          ord_stt: o.filledQty > 0 ? '체결' : '접수',
          stk_nm: this.engine.instrument(o.symbol)?.name ?? '',
          ord_qty: String(o.qty),
          ord_pric: String(o.price ?? 0),
          oso_qty: String(o.remainingQty),
          cntr_tot_amt: String(Math.round((o.avgFillPrice ?? 0) * o.filledQty)),
          orig_ord_no: record.origOrdNo ?? '0000000',
          io_tp_nm: o.side === 'buy' ? '+매수' : '-매도',
          trde_tp: o.type === 'market' ? '시장가' : '보통',
          tm: epochToKstTime(o.createdTs),
          cntr_pric: String(o.avgFillPrice ?? 0),
          cntr_qty: String(o.filledQty),
          stex_tp: '1',
          stex_tp_txt: 'KRX',
          sor_yn: 'N',
        },
      ];
    });
  }
}
