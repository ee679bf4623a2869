/**
 * REAL items → normalized events: 0B → tick, 0D → hoga, 00 → order, 04 → balance, 02 → condition.
 * Each function returns null for an item it cannot turn into a valid event (unknown code, missing price), so
 * a bad item is skipped and counted by the adapter instead of crashing it or publishing nonsense.
 * FID meanings: ../shared/protocols/kiwoom-rest.md §4.
 */
import type {
  BalanceEvent,
  ConditionEvent,
  HogaEvent,
  OrderEvent,
  OrderStatus,
  PriceLevel,
  PriceSign,
  TickEvent,
} from '../../../lib/contracts';
import type { Unstamped } from '../../relay/feed';
import { BALANCE_FID, ORDER_FID } from '../openapi-fids';
import { decimalText, directionOf, kstTimeToEpoch, magnitude, signedNumber, symbolFromCode, type RealItem } from './codec';

/** REAL type codes this adapter maps (§3.6). */
export const REAL_TYPE = {
  trade: '0B',
  book: '0D',
  order: '00',
  balance: '04',
  condition: '02',
} as const;

/** 0B 주식체결 and 0D 주식호가잔량 FIDs. */
export const FID = {
  time: '20',
  price: '10',
  change: '11',
  changeRate: '12',
  bestAsk: '27',
  bestBid: '28',
  tradeQty: '15',
  cumVolume: '13',
  /** 누적거래대금 in 백만원 (millions of KRW). */
  cumValueMillions: '14',
  open: '16',
  high: '17',
  low: '18',
  signCode: '25',
  bookTime: '21',
  totalAskQty: '121',
  totalBidQty: '125',
} as const;

/** 0D: ask price of level n (1-based) is FID 40+n, bid 50+n, ask qty 60+n, bid qty 70+n (§4.2). */
export const BOOK_LEVELS = 10;
export const ASK_PRICE_BASE = 40;
export const BID_PRICE_BASE = 50;
export const ASK_QTY_BASE = 60;
export const BID_QTY_BASE = 70;

export { BALANCE_FID, ORDER_FID } from '../openapi-fids';

/** 02 조건검색 FIDs (§4.7). */
export const CONDITION_FID = { seq: '841', code: '9001', action: '843', time: '20' } as const;

/** FID 25 전일대비기호 (§4.1). */
const SIGN_CODES: Record<string, PriceSign> = { '1': 'upper', '2': 'up', '3': 'flat', '4': 'lower', '5': 'down' };

const MILLION = 1_000_000;
/** `000000` in 904 means "no original order". */
const NO_ORDER = /^0*$/;

/** A positive price FID, or `fallback` when empty or zero (OHLC arrive empty before the first trade). */
function positiveOr(raw: string | undefined, fallback: number): number {
  const n = magnitude(raw);
  return n !== null && n > 0 ? n : fallback;
}

function sum(side: PriceLevel[]): number {
  let total = 0;
  for (const level of side) total += level.qty;
  return total;
}

function signOf(values: Record<string, string>): PriceSign {
  const coded = SIGN_CODES[values[FID.signCode]?.trim() ?? ''];
  if (coded) return coded;
  return directionOf(values[FID.price]);
}

/**
 * 0B → tick. Sample: `{"type":"0B","item":"005930","values":{"20":"165208","10":"-20800","11":"-50","12":"-0.24",
 * "15":"+82","13":"30379732","14":"632640","16":"20850","17":"+21150","18":"-20450","25":"5",…}}`
 */
export function tickFromReal(item: RealItem, recvTs: number): Unstamped<TickEvent> | null {
  const v = item.values;
  const symbol = symbolFromCode(item.item);
  const price = magnitude(v[FID.price]);
  if (!symbol || price === null || price <= 0) return null;
  const change = signedNumber(v[FID.change]) ?? 0;
  const prevClose = price - change;
  if (!(prevClose > 0)) return null;
  const tradeQty = v[FID.tradeQty];
  const qty = magnitude(tradeQty);
  if (qty === null || qty <= 0) return null;
  const side = directionOf(tradeQty);
  return {
    symbol,
    source: 'kiwoom',
    ts: kstTimeToEpoch(v[FID.time], recvTs) ?? recvTs,
    recvTs,
    price,
    sign: signOf(v),
    change,
    changeRate: signedNumber(v[FID.changeRate]) ?? Math.round((change / prevClose) * 10_000) / 100,
    prevClose,
    qty,
    side: side === 'up' ? 'buy' : side === 'down' ? 'sell' : null,
    cumVolume: magnitude(v[FID.cumVolume]) ?? 0,
    cumValue: (magnitude(v[FID.cumValueMillions]) ?? 0) * MILLION,
    open: positiveOr(v[FID.open], price),
    high: positiveOr(v[FID.high], price),
    low: positiveOr(v[FID.low], price),
  };
}

/** FID keys of levels 1..10, built once: `['41', …, '50']`. */
const fidKeys = (base: number) => Array.from({ length: BOOK_LEVELS }, (_, i) => String(base + i + 1));
const ASK_PRICE_KEYS = fidKeys(ASK_PRICE_BASE);
const ASK_QTY_KEYS = fidKeys(ASK_QTY_BASE);
const BID_PRICE_KEYS = fidKeys(BID_PRICE_BASE);
const BID_QTY_KEYS = fidKeys(BID_QTY_BASE);

function levels(values: Record<string, string>, priceKeys: string[], qtyKeys: string[]): PriceLevel[] {
  const out: PriceLevel[] = [];
  for (let n = 0; n < BOOK_LEVELS; n++) {
    const price = magnitude(values[priceKeys[n]!]);
    // An empty level (no price, or 0) ends the side: KRX books thin out at the daily limits.
    if (price === null || price <= 0) break;
    out.push({ price, qty: magnitude(values[qtyKeys[n]!]) ?? 0 });
  }
  return out;
}

/**
 * 0D → hoga. Sample: `{"type":"0D","item":"005930","values":{"21":"165207","41":"-20800","61":"82","51":"-20700",
 * "71":"23847",…,"121":"12622527","125":"14453430"}}`
 */
export function hogaFromReal(item: RealItem, recvTs: number): Unstamped<HogaEvent> | null {
  const symbol = symbolFromCode(item.item);
  if (!symbol) return null;
  const v = item.values;
  const asks = levels(v, ASK_PRICE_KEYS, ASK_QTY_KEYS);
  const bids = levels(v, BID_PRICE_KEYS, BID_QTY_KEYS);
  return {
    symbol,
    source: 'kiwoom',
    ts: kstTimeToEpoch(v[FID.bookTime], recvTs) ?? recvTs,
    recvTs,
    asks,
    bids,
    totalAskQty: magnitude(v[FID.totalAskQty]) ?? sum(asks),
    totalBidQty: magnitude(v[FID.totalBidQty]) ?? sum(bids),
  };
}

function orderStatus(status: string, kind: string, remaining: number, filled: number): OrderStatus | null {
  switch (status) {
    case '접수':
      return 'accepted';
    case '체결':
      return remaining > 0 ? 'partially_filled' : 'filled';
    case '취소':
      return 'cancelled';
    case '거부':
      return 'rejected';
    case '확인':
      // 확인 confirms a modify or cancel; 905 says which (매수정정, 매도취소, …).
      if (kind.includes('취소')) return 'cancelled';
      if (kind.includes('정정')) return 'replaced';
      return filled > 0 ? 'partially_filled' : 'accepted';
    default:
      return null;
  }
}

/**
 * 00 → order. Sample: `{"type":"00","item":"005930","values":{"9201":"1111111111","9203":"0000018","9001":"005930",
 * "913":"접수","900":"1","901":"0","902":"1","904":"0000000","905":"+매수","906":"시장가","907":"2","908":"094022",
 * "909":"","910":"","911":"",…}}`. A fill: 913 `체결`, 910/911 set (914/915 the unit fill when present).
 */
export function orderFromReal(item: RealItem, recvTs: number): Unstamped<OrderEvent> | null {
  const v = item.values;
  const account = v[ORDER_FID.account]?.trim() ?? '';
  const orderId = v[ORDER_FID.orderNo]?.trim() ?? '';
  const symbol = symbolFromCode(v[ORDER_FID.code] || item.item);
  const qty = magnitude(v[ORDER_FID.qty]);
  if (!account || !orderId || !symbol || qty === null || qty <= 0) return null;
  const remaining = magnitude(v[ORDER_FID.remaining]) ?? 0;
  const filledQty = Math.max(0, qty - remaining);
  const kind = v[ORDER_FID.orderKind]?.trim() ?? '';
  const status = orderStatus(v[ORDER_FID.status]?.trim() ?? '', kind, remaining, filledQty);
  if (!status) return null;
  const sellBuy = v[ORDER_FID.sellBuy]?.trim();
  const side = sellBuy === '1' ? 'sell' : sellBuy === '2' ? 'buy' : kind.includes('매도') ? 'sell' : kind.includes('매수') ? 'buy' : null;
  if (!side) return null;
  const type = (v[ORDER_FID.priceType] ?? '').includes('시장가') ? 'market' : 'limit';
  const price = magnitude(v[ORDER_FID.price]);
  const unitQty = magnitude(v[ORDER_FID.unitFillQty]);
  const unitPrice = magnitude(v[ORDER_FID.unitFillPrice]);
  const fillQty = magnitude(v[ORDER_FID.fillQty]);
  const fillPrice = magnitude(v[ORDER_FID.fillPrice]);
  let lastFill: OrderEvent['lastFill'] = null;
  if (status === 'filled' || status === 'partially_filled') {
    if (unitQty && unitPrice) lastFill = { qty: unitQty, price: unitPrice };
    else if (fillQty && fillPrice) lastFill = { qty: fillQty, price: fillPrice };
  }
  const origRaw = v[ORDER_FID.origOrderNo]?.trim() ?? '';
  const rejectRaw = v[ORDER_FID.rejectReason]?.trim() ?? '';
  return {
    accountId: `kiwoom:${account}`,
    orderId,
    origOrderId: NO_ORDER.test(origRaw) ? null : origRaw,
    symbol,
    source: 'kiwoom',
    ts: kstTimeToEpoch(v[ORDER_FID.time], recvTs) ?? recvTs,
    recvTs,
    side,
    type,
    status,
    qty,
    price: type === 'market' || !price ? null : price,
    filledQty,
    remainingQty: status === 'cancelled' || status === 'rejected' ? 0 : remaining,
    lastFill,
    reason: rejectRaw && rejectRaw !== '0' ? rejectRaw : null,
  };
}

/**
 * 04 → balance (one changed holding). Sample: `{"type":"04","item":"005930","values":{"9201":"1111111111",
 * "9001":"005930","302":"삼성전자","10":"-60150","930":"102","931":"154116","932":"15719834","933":"102",…}}`
 */
export function balanceFromReal(item: RealItem, recvTs: number): Unstamped<BalanceEvent> | null {
  const v = item.values;
  const account = v[BALANCE_FID.account]?.trim() ?? '';
  const symbol = symbolFromCode(v[BALANCE_FID.code] || item.item);
  const qty = decimalText(v[BALANCE_FID.qty]);
  if (!account || !symbol || qty === null) return null;
  return {
    accountId: `kiwoom:${account}`,
    source: 'kiwoom',
    // 04 carries no time FID; the push follows the fill within milliseconds.
    ts: recvTs,
    recvTs,
    full: false,
    cash: null,
    holdings: [
      {
        symbol,
        name: v[BALANCE_FID.name]?.trim() ?? '',
        qty,
        orderableQty: decimalText(v[BALANCE_FID.orderableQty]) ?? qty,
        avgPrice: decimalText(v[BALANCE_FID.avgPrice]) ?? '0',
        purchaseAmount: decimalText(v[BALANCE_FID.purchaseAmount]) ?? '0',
      },
    ],
  };
}

/**
 * 02 → condition. Sample: `{"type":"02","name":"조건검색","item":"005930","values":{"841":"4","9001":"005930",
 * "843":"I","20":"152028","907":"2"}}`. The frame has no name; `nameOf` supplies one when the adapter knows it.
 */
export function conditionFromReal(
  item: RealItem,
  recvTs: number,
  nameOf: (symbol: string) => string | null = () => null,
): Unstamped<ConditionEvent> | null {
  const v = item.values;
  const seq = v[CONDITION_FID.seq]?.trim() ?? '';
  const symbol = symbolFromCode(v[CONDITION_FID.code] || item.item);
  const flag = v[CONDITION_FID.action]?.trim();
  const action = flag === 'I' ? 'insert' : flag === 'D' ? 'delete' : null;
  if (!seq || !symbol || !action) return null;
  return {
    conditionKey: `kiwoom:${seq}`,
    symbol,
    action,
    name: nameOf(symbol),
    source: 'kiwoom',
    ts: kstTimeToEpoch(v[CONDITION_FID.time], recvTs) ?? recvTs,
    recvTs,
  };
}
