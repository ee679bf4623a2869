/**
 * Kiwoom REST bodies (reference §2, §7, §11.1): the OAuth token, account TRs (kt00018, kt00001, ka10075,
 * ka00001) and orders (kt10000–kt10003). Parsing for the adapter, building for the simulator. Pure.
 */
import type { Holding, OrderEvent, OrderStatus, SymbolId } from '../../../lib/contracts';
import type { Unstamped } from '../../relay/feed';
import { decimalText, kstDateTimeToEpoch, kstTimeToEpoch, magnitude, symbolFromCode } from './codec';

/** REST paths (all POST); the `api-id` header picks the TR within a path. */
export const PATHS = {
  token: '/oauth2/token',
  revoke: '/oauth2/revoke',
  account: '/api/dostk/acnt',
  order: '/api/dostk/ordr',
} as const;

/** The TRs this adapter calls and the path each lives on. */
export const TR_PATH: Record<string, string> = {
  ka00001: PATHS.account,
  kt00018: PATHS.account,
  kt00001: PATHS.account,
  ka10075: PATHS.account,
  kt10000: PATHS.order,
  kt10001: PATHS.order,
  kt10002: PATHS.order,
  kt10003: PATHS.order,
};

/** Codes after which the official client re-issues the token and retries once (§2.3). */
export const TOKEN_RENEW_CODES: ReadonlySet<number> = new Set([8005, 8031, 8103]);
/** Rate exceeded per API / total / group (§2.4): back off, then retry. */
export const RATE_LIMIT_CODES: ReadonlySet<number> = new Set([1700, 1701, 1702]);

/** A non-zero `return_code`, with the broker's words. */
export class KiwoomApiError extends Error {
  constructor(
    readonly returnCode: number,
    readonly returnMsg: string,
    readonly apiId: string,
  ) {
    super(`${apiId}: ${returnMsg.trim() || 'refused'} (return_code ${returnCode})`);
    this.name = 'KiwoomApiError';
  }
}

export type Body = Record<string, unknown>;

export function returnCodeOf(body: Body): number {
  const value = body.return_code;
  if (value === undefined || value === null || value === '') return 0;
  const n = typeof value === 'number' ? value : Number(String(value).trim());
  return Number.isInteger(n) ? n : -1;
}

export function returnMsgOf(body: Body): string {
  return typeof body.return_msg === 'string' ? body.return_msg.trim() : '';
}

function text(body: Body, key: string): string {
  const value = body[key];
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
}

// ---------------------------------------------------------------------------------------------------------
// au10001 / au10002

export interface IssuedToken {
  token: string;
  /** Epoch ms, from `expires_dt` read as KST. */
  expiresAt: number;
}

/** `{"expires_dt":"20241107083713","token_type":"bearer","token":"WQJ…","return_code":0,…}` → token + expiry. */
export function parseTokenResponse(body: Body): IssuedToken {
  const code = returnCodeOf(body);
  if (code !== 0) throw new KiwoomApiError(code, returnMsgOf(body), 'au10001');
  const token = text(body, 'token');
  const expiresAt = kstDateTimeToEpoch(text(body, 'expires_dt'));
  if (!token || expiresAt === null) throw new KiwoomApiError(-1, 'token response without token or expires_dt', 'au10001');
  return { token, expiresAt };
}

// ---------------------------------------------------------------------------------------------------------
// ka00001 계좌번호조회

/** `{"acctNo":"5012345678",…}`; several accounts come `;`-separated in the OpenAPI+ tradition. */
export function parseAccountNumbers(body: Body): string[] {
  return text(body, 'acctNo')
    .split(/[;,\s]+/)
    .map((s) => s.trim())
    .filter((s) => /^\d{8,12}$/.test(s));
}

// ---------------------------------------------------------------------------------------------------------
// kt00018 계좌평가잔고내역 / kt00001 예수금상세현황

/** One `acnt_evlt_remn_indv_tot` row → holding. Row sample: `{"stk_cd":"A005930","stk_nm":"삼성전자","rmnd_qty":"000000000000003",…}` */
export function holdingFromRow(row: Body): Holding | null {
  const symbol = symbolFromCode(text(row, 'stk_cd'));
  const qty = decimalText(text(row, 'rmnd_qty'));
  if (!symbol || qty === null) return null;
  return {
    symbol,
    name: text(row, 'stk_nm').trim(),
    qty,
    orderableQty: decimalText(text(row, 'trde_able_qty')) ?? qty,
    avgPrice: decimalText(text(row, 'pur_pric')) ?? '0',
    purchaseAmount: decimalText(text(row, 'pur_amt')) ?? '0',
  };
}

export const HOLDINGS_KEY = 'acnt_evlt_remn_indv_tot';
export const OPEN_ORDERS_KEY = 'oso';

export interface DepositSummary {
  deposit: string;
  orderable: string;
}

/** kt00001: `entr` 예수금, `ord_alow_amt` 주문가능금액 (15-digit padded). */
export function parseDeposit(body: Body): DepositSummary {
  return { deposit: decimalText(text(body, 'entr')) ?? '0', orderable: decimalText(text(body, 'ord_alow_amt')) ?? '0' };
}

// ---------------------------------------------------------------------------------------------------------
// ka10075 미체결

const STATUS_OF_OPEN: Record<string, OrderStatus> = { 접수: 'accepted', 확인: 'accepted', 체결: 'partially_filled' };

/**
 * One `oso` row → an order event. Row sample: `{"acnt_no":"1234567890","ord_no":"0000069","stk_cd":"005930",
 * "ord_stt":"접수","ord_qty":"1","ord_pric":"0","oso_qty":"1","orig_ord_no":"0000000","io_tp_nm":"+매수",
 * "trde_tp":"시장가","tm":"154113","cntr_pric":"0",…}`
 */
export function openOrderFromRow(row: Body, accountId: string, recvTs: number): Unstamped<OrderEvent> | null {
  const symbol: SymbolId | null = symbolFromCode(text(row, 'stk_cd'));
  const orderId = text(row, 'ord_no').trim();
  const qty = magnitude(text(row, 'ord_qty'));
  const remaining = magnitude(text(row, 'oso_qty')) ?? 0;
  const kind = text(row, 'io_tp_nm');
  const side = kind.includes('매도') ? 'sell' : kind.includes('매수') ? 'buy' : null;
  if (!symbol || !orderId || !qty || !side) return null;
  const filledQty = Math.max(0, qty - remaining);
  const type = text(row, 'trde_tp').includes('시장가') ? 'market' : 'limit';
  const price = magnitude(text(row, 'ord_pric'));
  const orig = text(row, 'orig_ord_no').trim();
  const fillPrice = magnitude(text(row, 'cntr_pric'));
  const fillQty = magnitude(text(row, 'cntr_qty'));
  return {
    accountId,
    orderId,
    origOrderId: /^0*$/.test(orig) ? null : orig,
    symbol,
    source: 'kiwoom',
    ts: kstTimeToEpoch(text(row, 'tm'), recvTs) ?? recvTs,
    recvTs,
    side,
    type,
    status: filledQty > 0 ? 'partially_filled' : (STATUS_OF_OPEN[text(row, 'ord_stt').trim()] ?? 'accepted'),
    qty,
    price: type === 'market' || !price ? null : price,
    filledQty,
    remainingQty: remaining,
    lastFill: fillQty && fillPrice ? { qty: fillQty, price: fillPrice } : null,
    reason: null,
  };
}

// ---------------------------------------------------------------------------------------------------------
// kt10000–kt10003 orders

/** `trde_tp` codes (§7.4) this adapter sends. */
export const TRADE_TYPE = { limit: '0', market: '3' } as const;

/** `{"ord_no":"0000138","dmst_stex_tp":"KRX","return_code":0,…}` → `0000138`. */
export function parseOrderNumber(body: Body, apiId: string): string {
  const code = returnCodeOf(body);
  if (code !== 0) throw new KiwoomApiError(code, returnMsgOf(body), apiId);
  const orderNo = text(body, 'ord_no').trim();
  if (!orderNo) throw new KiwoomApiError(-1, 'order accepted without ord_no', apiId);
  return orderNo;
}
