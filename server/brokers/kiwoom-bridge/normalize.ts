/**
 * Bridge frames and REST rows → normalized events. The bridge forwards OpenAPI+ values almost raw: chejan FIDs as
 * trimmed strings, TR rows keyed by Korean output names (§8.1), so the FID numbers and row keys live here, shared
 * with the simulator that writes them.
 */
import type { BalanceEvent, ConditionEvent, HogaEvent, Holding, OrderEvent, OrderStatus, PriceLevel, SymbolId, TickEvent } from '../../../lib/contracts';
import { signOf } from '../../../lib/format/price-colour';
import type { Unstamped } from '../../relay/feed';
import { BALANCE_FID, ORDER_FID } from '../openapi-fids';
import { kstStampToEpoch, plainCode, rawNumber, type ChejanData, type ConditionData, type HogaData, type TickData } from './codec';

export const BROKER_ID = 'kiwoom-bridge' as const;

export { BALANCE_FID, ORDER_FID } from '../openapi-fids';

/** `913` values: 접수 accepted, 체결 a fill, 확인 a cancel/modify confirmation. */
export const ORDER_STATE = { accepted: '접수', filled: '체결', confirmed: '확인' } as const;

/** OPW00018 / OPW00001 / OPT10075 row keys (§8.1). */
export const ROW = {
  rowType: 'ROW_TYPE',
  summary: 'SUMMARY',
  code: '종목번호',
  name: '종목명',
  current: '현재가',
  qty: '보유수량',
  orderable: '주문가능수량',
  avgPrice: '매입가',
  purchase: '매입금액',
  evaluation: '평가금액',
  pnl: '평가손익',
  deposit: '예수금',
  withdrawable: '출금가능금액',
  orderableCash: '주문가능금액',
  totalPurchase: '총매입금액',
  totalEvaluation: '총평가금액',
  totalPnl: '총평가손익금액',
  orderNo: '주문번호',
  orderCode: '종목코드',
  orderKind: '주문구분',
  orderPrice: '주문가격',
  orderQty: '주문수량',
  unfilled: '미체결수량',
  orderState: '주문상태',
} as const;

/** The bridge only maps FIDs 41–45 / 51–55, so its hoga carries five levels a side (§8.2). */
export const HOGA_LEVELS = 5;

/**
 * The bridge's hoga `data` for a book: five levels a side (FIDs 41–45/51–55), the totals, and `current_price`
 * as the bridge fills it (the best bid, else the best ask). The simulator and Sise's bridge API both send this.
 */
export function hogaData(asks: readonly PriceLevel[], bids: readonly PriceLevel[], totalAskQty: number, totalBidQty: number): HogaData {
  const data: HogaData = { total_ask_vol: totalAskQty, total_bid_vol: totalBidQty };
  for (let i = 0; i < HOGA_LEVELS; i++) {
    const ask = asks[i];
    const bid = bids[i];
    if (ask) {
      data[`ask_price_${i + 1}`] = ask.price;
      data[`ask_vol_${i + 1}`] = ask.qty;
    }
    if (bid) {
      data[`bid_price_${i + 1}`] = bid.price;
      data[`bid_vol_${i + 1}`] = bid.qty;
    }
  }
  const current = bids[0]?.price ?? asks[0]?.price;
  if (current !== undefined) data.current_price = current;
  return data;
}

export function krxSymbol(code: string): SymbolId {
  return `KRX:${code}` as SymbolId;
}

export function tickFromFrame(code: string, timestamp: string, data: TickData, recvTs: number): Unstamped<TickEvent> | null {
  const price = data.current_price === undefined ? null : Math.abs(data.current_price);
  const qty = data.volume === undefined ? null : Math.abs(data.volume);
  if (!price || !qty) return null;
  const change = data.diff ?? 0;
  const prevClose = price - change;
  if (prevClose <= 0) return null;
  return {
    symbol: krxSymbol(code),
    source: BROKER_ID,
    ts: kstStampToEpoch(timestamp) ?? recvTs,
    recvTs,
    price,
    sign: signOf(price, prevClose, null, null),
    change,
    changeRate: data.rate ?? Math.round((change / prevClose) * 10_000) / 100,
    prevClose,
    qty,
    // The bridge sends `volume` unsigned, so the aggressor side is lost (§8.2).
    side: null,
    cumVolume: Math.abs(data.cum_volume ?? 0),
    cumValue: Math.abs(data.cum_turnover_million ?? 0) * 1_000_000,
    open: Math.abs(data.open ?? 0) || price,
    high: Math.abs(data.high ?? 0) || price,
    low: Math.abs(data.low ?? 0) || price,
  };
}

export function hogaFromFrame(code: string, timestamp: string, data: HogaData, recvTs: number): Unstamped<HogaEvent> {
  const side = (price: string, vol: string): PriceLevel[] => {
    const levels: PriceLevel[] = [];
    for (let i = 1; i <= HOGA_LEVELS; i++) {
      const p = Math.abs(Number(data[`${price}${i}`] ?? 0));
      if (!p) continue;
      levels.push({ price: p, qty: Math.abs(Number(data[`${vol}${i}`] ?? 0)) });
    }
    return levels;
  };
  return {
    symbol: krxSymbol(code),
    source: BROKER_ID,
    ts: kstStampToEpoch(timestamp) ?? recvTs,
    recvTs,
    asks: side('ask_price_', 'ask_vol_'),
    bids: side('bid_price_', 'bid_vol_'),
    totalAskQty: Math.abs(data.total_ask_vol ?? 0),
    totalBidQty: Math.abs(data.total_bid_vol ?? 0),
  };
}

export function conditionFromFrame(code: string, timestamp: string, data: ConditionData, recvTs: number): Unstamped<ConditionEvent> {
  return {
    conditionKey: `${BROKER_ID}:${data.condition_index}`,
    symbol: krxSymbol(code),
    source: BROKER_ID,
    ts: kstStampToEpoch(timestamp) ?? recvTs,
    recvTs,
    action: data.state === 'enter' ? 'insert' : 'delete',
    name: null,
  };
}

/** `905` `+매수` / `-매도` / `매수취소`…: the side is whichever word it holds. */
function sideOf(kind: string): 'buy' | 'sell' | null {
  if (kind.includes('매수')) return 'buy';
  if (kind.includes('매도')) return 'sell';
  return null;
}

/**
 * An order frame → OrderEvent. `previousFilled` is the cumulative quantity this adapter saw before, since the
 * bridge forwards only the cumulative 911, not the fill's own quantity.
 */
export function orderFromChejan(data: ChejanData, timestamp: string, recvTs: number, previousFilled: number): Unstamped<OrderEvent> | null {
  const code = plainCode(data[ORDER_FID.code] ?? '');
  const orderId = (data[ORDER_FID.orderNo] ?? '').trim();
  const qty = rawNumber(data[ORDER_FID.qty]);
  const side = sideOf(data[ORDER_FID.orderKind] ?? '');
  const account = (data[ORDER_FID.account] ?? '').trim();
  if (!code || !orderId || !qty || !side || !account) return null;
  const price = Math.abs(rawNumber(data[ORDER_FID.price]) ?? 0);
  const filledQty = Math.abs(rawNumber(data[ORDER_FID.fillQty]) ?? 0);
  const state = (data[ORDER_FID.status] ?? '').trim();
  const kind = data[ORDER_FID.orderKind] ?? '';
  let status: OrderStatus;
  if (state === ORDER_STATE.confirmed) status = kind.includes('정정') ? 'replaced' : 'cancelled';
  else if (state === ORDER_STATE.filled) status = filledQty >= qty ? 'filled' : 'partially_filled';
  else status = filledQty > 0 ? 'partially_filled' : 'accepted';
  const fillQty = filledQty - previousFilled;
  const fillPrice = Math.abs(rawNumber(data[ORDER_FID.current]) ?? 0);
  return {
    accountId: `${BROKER_ID}:${account}`,
    orderId,
    origOrderId: null,
    symbol: krxSymbol(code),
    source: BROKER_ID,
    ts: kstStampToEpoch(timestamp) ?? recvTs,
    recvTs,
    side,
    type: price === 0 ? 'market' : 'limit',
    status,
    qty,
    price: price === 0 ? null : price,
    filledQty,
    remainingQty: status === 'cancelled' ? 0 : Math.max(0, qty - filledQty),
    lastFill: state === ORDER_STATE.filled && fillQty > 0 && fillPrice > 0 ? { qty: fillQty, price: fillPrice } : null,
    reason: null,
  };
}

export function balanceFromChejan(data: ChejanData, timestamp: string, recvTs: number): Unstamped<BalanceEvent> | null {
  const code = plainCode(data[BALANCE_FID.code] ?? '');
  const account = (data[BALANCE_FID.account] ?? '').trim();
  if (!code || !account) return null;
  const num = (fid: string) => String(Math.abs(rawNumber(data[fid]) ?? 0));
  return {
    accountId: `${BROKER_ID}:${account}`,
    source: BROKER_ID,
    ts: kstStampToEpoch(timestamp) ?? recvTs,
    recvTs,
    full: false,
    cash: null,
    holdings: [
      {
        symbol: krxSymbol(code),
        name: (data[BALANCE_FID.name] ?? '').trim(),
        qty: num(BALANCE_FID.qty),
        orderableQty: num(BALANCE_FID.orderableQty),
        avgPrice: num(BALANCE_FID.avgPrice),
        purchaseAmount: num(BALANCE_FID.purchaseAmount),
      },
    ],
  };
}

type Row = Record<string, unknown>;
const text = (row: Row, key: string) => (typeof row[key] === 'string' ? (row[key] as string) : String(row[key] ?? ''));
const amount = (row: Row, key: string) => String(Math.abs(rawNumber(text(row, key)) ?? 0));

/** OPW00018 rows (one SUMMARY row, then holdings) and OPW00001 deposit rows → a full balance snapshot. */
export function balanceFromRows(accountNo: string, balanceRows: Row[], depositRows: Row[], now: number): Unstamped<BalanceEvent> {
  const holdings: Holding[] = [];
  for (const row of balanceRows) {
    if (text(row, ROW.rowType) === ROW.summary) continue;
    const code = plainCode(text(row, ROW.code));
    if (!code) continue;
    holdings.push({
      symbol: krxSymbol(code),
      name: text(row, ROW.name).trim(),
      qty: amount(row, ROW.qty),
      orderableQty: amount(row, ROW.orderable),
      avgPrice: amount(row, ROW.avgPrice),
      purchaseAmount: amount(row, ROW.purchase),
    });
  }
  const deposit = depositRows[0];
  return {
    accountId: `${BROKER_ID}:${accountNo}`,
    source: BROKER_ID,
    ts: now,
    recvTs: now,
    full: true,
    cash: deposit ? { currency: 'KRW', deposit: amount(deposit, ROW.deposit), orderable: amount(deposit, ROW.orderableCash) } : null,
    holdings,
  };
}

/** OPT10075 outstanding rows → working orders. */
export function ordersFromRows(accountNo: string, rows: Row[], now: number): Unstamped<OrderEvent>[] {
  const orders: Unstamped<OrderEvent>[] = [];
  for (const row of rows) {
    const code = plainCode(text(row, ROW.orderCode));
    const side = sideOf(text(row, ROW.orderKind));
    const qty = Math.abs(rawNumber(text(row, ROW.orderQty)) ?? 0);
    const orderId = text(row, ROW.orderNo).trim();
    if (!code || !side || !qty || !orderId) continue;
    const remainingQty = Math.abs(rawNumber(text(row, ROW.unfilled)) ?? 0);
    const price = Math.abs(rawNumber(text(row, ROW.orderPrice)) ?? 0);
    const filledQty = Math.max(0, qty - remainingQty);
    orders.push({
      accountId: `${BROKER_ID}:${accountNo}`,
      orderId,
      origOrderId: null,
      symbol: krxSymbol(code),
      source: BROKER_ID,
      ts: now,
      recvTs: now,
      side,
      type: price === 0 ? 'market' : 'limit',
      status: filledQty > 0 ? 'partially_filled' : 'accepted',
      qty,
      price: price === 0 ? null : price,
      filledQty,
      remainingQty,
      lastFill: null,
      reason: null,
    });
  }
  return orders;
}
