/**
 * KIS records → Sise's normalized events. Works on a frame's flat field array at a record offset, so a batch of
 * N records costs N small objects and nothing else. Throws KisCodecError('BAD_RECORD') for a record whose values
 * are not what the layout promises; the caller drops that one record and keeps the rest of the frame.
 */
import type { HogaEvent, OrderSide, PriceLevel, PriceSign, SymbolId, TickEvent } from '../../../lib/contracts';
import type { Unstamped } from '../../relay/feed';
import { KisCodecError, type KisDataFrame } from './codec';
import { HOGA, HOGA_COLUMNS, HOGA_LEVELS, NOTICE, TICK } from './layouts';

/** KST has no daylight saving: always UTC+9. */
const KST_OFFSET_MS = 9 * 3_600_000;
const KRX_CODE = /^[0-9][0-9A-Z]{5}$/;

/** `YYYYMMDD` of an epoch ms in KST. */
export function kstDate(epochMs: number): string {
  const d = new Date(epochMs + KST_OFFSET_MS);
  return `${d.getUTCFullYear()}${pad2(d.getUTCMonth() + 1)}${pad2(d.getUTCDate())}`;
}

/** `HHMMSS` of an epoch ms in KST. */
export function kstTime(epochMs: number): string {
  const d = new Date(epochMs + KST_OFFSET_MS);
  return `${pad2(d.getUTCHours())}${pad2(d.getUTCMinutes())}${pad2(d.getUTCSeconds())}`;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/**
 * `20230324` + `112616` (KST) → epoch ms. Returns NaN for text that is not a date and time.
 * @example kstToEpoch('20230324', '112616') // Date.UTC(2023, 2, 24, 2, 26, 16)
 */
export function kstToEpoch(yyyymmdd: string, hhmmss: string): number {
  const midnight = kstMidnight(yyyymmdd);
  const time = hhmmssToMs(hhmmss);
  return midnight + time;
}

// Every record of a day carries the same date: one remembered conversion saves a Date per record.
let cachedDate = '';
let cachedMidnight = Number.NaN;

/** `YYYYMMDD` → epoch ms of 00:00 KST that day, or NaN. */
function kstMidnight(yyyymmdd: string): number {
  if (yyyymmdd === cachedDate) return cachedMidnight;
  if (yyyymmdd.length !== 8 || !/^\d{8}$/.test(yyyymmdd)) return Number.NaN;
  const y = +yyyymmdd.slice(0, 4);
  const mo = +yyyymmdd.slice(4, 6);
  const d = +yyyymmdd.slice(6, 8);
  if (!(mo >= 1 && mo <= 12 && d >= 1 && d <= 31)) return Number.NaN;
  cachedDate = yyyymmdd;
  cachedMidnight = Date.UTC(y, mo - 1, d) - KST_OFFSET_MS;
  return cachedMidnight;
}

/** `HHMMSS` → ms since midnight, or NaN. */
function hhmmssToMs(hhmmss: string): number {
  if (hhmmss.length !== 6) return Number.NaN;
  let digits = 0;
  for (let i = 0; i < 6; i++) {
    const c = hhmmss.charCodeAt(i) - 0x30;
    if (c < 0 || c > 9) return Number.NaN;
    digits = digits * 10 + c;
  }
  const h = Math.floor(digits / 10_000);
  const mi = Math.floor(digits / 100) % 100;
  const s = digits % 100;
  if (h > 23 || mi > 59 || s > 59) return Number.NaN;
  return h * 3_600_000 + mi * 60_000 + s * 1000;
}

// Records of one frame share a receipt time: one remembered KST date saves a Date per record.
let cachedRecvDay = Number.NaN;
let cachedRecvDate = '';

/** `YYYYMMDD` (KST) of a receipt time, remembered per KST day. */
function kstDateOfReceipt(epochMs: number): string {
  const day = Math.floor((epochMs + KST_OFFSET_MS) / 86_400_000);
  if (day !== cachedRecvDay) {
    cachedRecvDay = day;
    cachedRecvDate = kstDate(epochMs);
  }
  return cachedRecvDate;
}

/** `PRDY_VRSS_SIGN`: 1 상한, 2 상승, 3 보합, 4 하한, 5 하락 (§5.1). */
const SIGNS: Record<string, PriceSign> = { '1': 'upper', '2': 'up', '3': 'flat', '4': 'lower', '5': 'down' };
export const SIGN_CODES: Record<PriceSign, string> = { upper: '1', up: '2', flat: '3', lower: '4', down: '5' };

function bad(trId: string, field: string, value: string | undefined): never {
  throw new KisCodecError('BAD_RECORD', `${trId}: ${field} ${JSON.stringify(value)} is not a valid value`);
}

/** Digits only (KRX prices and quantities) → the number, else NaN; a hand loop beats `+text` on fresh strings. */
function wholeNumber(text: string): number {
  const length = text.length;
  if (length === 0 || length > 15) return length === 0 ? Number.NaN : +text;
  let n = 0;
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i) - 0x30;
    if (c < 0 || c > 9) return Number.NaN;
    n = n * 10 + c;
  }
  return n;
}

/** A number that must be present; `''` is not zero here (Number('') would say 0). */
function num(value: string | undefined, trId: string, field: string): number {
  if (value === undefined || value === '') bad(trId, field, value);
  const n = +value;
  if (!Number.isFinite(n)) bad(trId, field, value);
  return n;
}

function positive(value: string | undefined, trId: string, field: string): number {
  const n = num(value, trId, field);
  if (!(n > 0)) bad(trId, field, value);
  return n;
}

function nonNegative(value: string | undefined, trId: string, field: string): number {
  const n = num(value, trId, field);
  if (n < 0) bad(trId, field, value);
  return n;
}

function krxSymbol(code: string | undefined, trId: string): SymbolId {
  if (code === undefined || !KRX_CODE.test(code)) bad(trId, 'stock code', code);
  return `KRX:${code}`;
}

/**
 * One H0STCNT0/H0UNCNT0 record → tick (H0UNCNT0's index 21, CNTG_CLS_CODE, has CCLD_DVSN's codes). prevClose is price − PRDY_VRSS (the change already carries its sign);
 * side from CCLD_DVSN (1 매수 → buy, 5 매도 → sell, 3 장전 → null).
 */
export function tickOf(frame: KisDataFrame, record: number, recvTs: number): Unstamped<TickEvent> {
  const f = frame.fields;
  const b = record * frame.width;
  const trId = frame.trId;
  const price = positive(f[b + TICK.PRICE], trId, 'STCK_PRPR');
  const change = num(f[b + TICK.CHANGE], trId, 'PRDY_VRSS');
  const prevClose = price - change;
  if (!(prevClose > 0)) bad(trId, 'PRDY_VRSS', f[b + TICK.CHANGE]);
  const sign = SIGNS[f[b + TICK.SIGN]!] ?? bad(trId, 'PRDY_VRSS_SIGN', f[b + TICK.SIGN]);
  const sideCode = f[b + TICK.SIDE];
  const side: OrderSide | null = sideCode === '1' ? 'buy' : sideCode === '5' ? 'sell' : null;
  const date = f[b + TICK.DATE] || kstDateOfReceipt(recvTs);
  const ts = kstToEpoch(date, f[b + TICK.HOUR] ?? '');
  if (Number.isNaN(ts)) bad(trId, 'BSOP_DATE/STCK_CNTG_HOUR', `${date} ${f[b + TICK.HOUR]}`);
  return {
    symbol: krxSymbol(f[b + TICK.CODE], trId),
    source: 'kis',
    ts,
    recvTs,
    price,
    sign,
    change,
    changeRate: num(f[b + TICK.RATE], trId, 'PRDY_CTRT'),
    prevClose,
    qty: positive(f[b + TICK.QTY], trId, 'CNTG_VOL'),
    side,
    cumVolume: nonNegative(f[b + TICK.CUM_VOLUME], trId, 'ACML_VOL'),
    cumValue: nonNegative(f[b + TICK.CUM_VALUE], trId, 'ACML_TR_PBMN'),
    open: positive(f[b + TICK.OPEN], trId, 'STCK_OPRC'),
    high: positive(f[b + TICK.HIGH], trId, 'STCK_HGPR'),
    low: positive(f[b + TICK.LOW], trId, 'STCK_LWPR'),
  };
}


/**
 * One H0STASP0 record → hoga, 10 levels a side, best first. An empty level is price 0 on the wire (a thin book,
 * or the far side at 상한가/하한가); it is left out, since a level without a price is not a level.
 * The record has a time but no date: the date is the receipt's, in KST.
 */
export function hogaOf(frame: KisDataFrame, record: number, recvTs: number): Unstamped<HogaEvent> {
  const f = frame.fields;
  const b = record * frame.width;
  const trId = frame.trId;
  const asks: PriceLevel[] = [];
  const bids: PriceLevel[] = [];
  // 40 numbers a record, checked once at the end (NaN fails `>= 0`); the culprit is looked up only on error.
  let valid = true;
  for (let i = 0; i < HOGA_LEVELS; i++) {
    const askPrice = wholeNumber(f[b + HOGA.ASK_PRICE + i] ?? '');
    const askQty = wholeNumber(f[b + HOGA.ASK_QTY + i] ?? '');
    const bidPrice = wholeNumber(f[b + HOGA.BID_PRICE + i] ?? '');
    const bidQty = wholeNumber(f[b + HOGA.BID_QTY + i] ?? '');
    valid = valid && askPrice >= 0 && askQty >= 0 && bidPrice >= 0 && bidQty >= 0;
    if (askPrice > 0) asks.push({ price: askPrice, qty: askQty });
    if (bidPrice > 0) bids.push({ price: bidPrice, qty: bidQty });
  }
  if (!valid) {
    for (let column = HOGA.ASK_PRICE; column < HOGA.TOTAL_ASK_QTY; column++) {
      if (!(wholeNumber(f[b + column] ?? '') >= 0)) bad(trId, HOGA_COLUMNS[column]!, f[b + column]);
    }
  }
  const ts = kstToEpoch(kstDateOfReceipt(recvTs), f[b + HOGA.HOUR] ?? '');
  if (Number.isNaN(ts)) bad(trId, 'BSOP_HOUR', f[b + HOGA.HOUR]);
  return {
    symbol: krxSymbol(f[b + HOGA.CODE], trId),
    source: 'kis',
    ts,
    recvTs,
    asks,
    bids,
    totalAskQty: nonNegative(f[b + HOGA.TOTAL_ASK_QTY], trId, 'TOTAL_ASKP_RSQN'),
    totalBidQty: nonNegative(f[b + HOGA.TOTAL_BID_QTY], trId, 'TOTAL_BIDP_RSQN'),
  };
}

/** What an execution notice says, typed; the adapter's order tracker turns it into an `order` event. */
export interface KisNotice {
  htsId: string;
  /** `50012345-01` (the wire has `5012345601`). */
  account: string;
  orderNo: string;
  /** The order a cancel or amendment refers to; '' or all zeros when none. */
  origOrderNo: string | null;
  side: OrderSide;
  /** RCTF_CLS: 0 normal, 1 amend (정정), 2 cancel (취소). */
  amend: 'none' | 'amend' | 'cancel';
  type: 'limit' | 'market';
  symbol: SymbolId;
  /** CNTG_YN 2: a fill; 1: an acceptance/amend/cancel/refusal notice. */
  isFill: boolean;
  refused: boolean;
  /** ACPT_YN 3: cancelled by the exchange (FOK/IOC). */
  exchangeCancelled: boolean;
  /** A fill's quantity, or the order quantity in an acceptance notice. */
  qty: number;
  fillPrice: number;
  orderQty: number;
  /** Null for market orders (ODER_PRC 0). */
  orderPrice: number | null;
  name: string;
  ts: number;
}

/** 10-digit account on the wire: 8-digit CANO + 2-digit product code. */
const WIRE_ACCOUNT = /^(\d{8})(\d{2})$/;
const NO_ORDER = /^0*$/;

/**
 * One H0STCNI0/H0STCNI9 record (decrypted):
 * `HTSUSER01^5012345601^0000012345^0000000000^02^0^00^0^005930^10^70000^093015^0^2^2^01234^10^TESTUSER^0^1^Y^^^^SAMSUNG ELEC^70000`
 */
export function noticeOf(frame: KisDataFrame, record: number, recvTs: number): KisNotice {
  const f = frame.fields;
  const b = record * frame.width;
  const trId = frame.trId;
  const at = (i: number) => f[b + i] ?? '';
  const account = WIRE_ACCOUNT.exec(at(NOTICE.ACCOUNT)) ?? bad(trId, 'ACNT_NO', at(NOTICE.ACCOUNT));
  const orderNo = at(NOTICE.ORDER_NO);
  if (NO_ORDER.test(orderNo)) bad(trId, 'ODER_NO', orderNo);
  const sideCode = at(NOTICE.SIDE);
  const side: OrderSide = sideCode === '01' ? 'sell' : sideCode === '02' ? 'buy' : bad(trId, 'SELN_BYOV_CLS', sideCode);
  const amendCode = at(NOTICE.AMEND);
  const amend = amendCode === '1' ? 'amend' : amendCode === '2' ? 'cancel' : 'none';
  const isFill = at(NOTICE.IS_FILL) === '2';
  if (!isFill && at(NOTICE.IS_FILL) !== '1') bad(trId, 'CNTG_YN', at(NOTICE.IS_FILL));
  const orderPrice = nonNegative(at(NOTICE.ORDER_PRICE) || '0', trId, 'ODER_PRC');
  const ts = kstToEpoch(kstDateOfReceipt(recvTs), at(NOTICE.HOUR));
  if (Number.isNaN(ts)) bad(trId, 'STCK_CNTG_HOUR', at(NOTICE.HOUR));
  const qty = nonNegative(at(NOTICE.FILL_QTY), trId, 'CNTG_QTY');
  if (isFill && qty <= 0) bad(trId, 'CNTG_QTY', at(NOTICE.FILL_QTY));
  const fillPrice = isFill ? positive(at(NOTICE.FILL_PRICE), trId, 'CNTG_UNPR') : nonNegative(at(NOTICE.FILL_PRICE) || '0', trId, 'CNTG_UNPR');
  const orig = at(NOTICE.ORIG_ORDER_NO);
  return {
    htsId: at(NOTICE.HTS_ID),
    account: `${account[1]}-${account[2]}`,
    orderNo,
    origOrderNo: NO_ORDER.test(orig) ? null : orig,
    side,
    amend,
    type: at(NOTICE.KIND) === '01' ? 'market' : 'limit',
    symbol: krxSymbol(at(NOTICE.CODE), trId),
    isFill,
    refused: at(NOTICE.REFUSED) === '1',
    exchangeCancelled: at(NOTICE.ACCEPT) === '3',
    qty,
    fillPrice,
    orderQty: nonNegative(at(NOTICE.ORDER_QTY), trId, 'ODER_QTY'),
    orderPrice: orderPrice > 0 ? orderPrice : null,
    name: at(NOTICE.NAME),
    ts,
  };
}
