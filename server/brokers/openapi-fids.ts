/**
 * Kiwoom's chejan FID numbers (주문체결 and 잔고), one table for both places that carry them: Kiwoom's REST API
 * real-time types 00 and 04 (../shared/protocols/kiwoom-rest.md §4.5–4.6) and the KiwoomServer bridge's
 * `/ws/execution`, which forwards OpenAPI+'s own (§8.2). The numbering is OpenAPI+'s in both, so Kiwoom's adapter,
 * the bridge's adapter and simulator, and Sise's bridge-compatible API all read and write the same FIDs.
 */

/** Order (주문체결): Kiwoom REST type 00, bridge gubun 0. */
export const ORDER_FID = {
  account: '9201',
  orderNo: '9203',
  code: '9001',
  status: '913',
  name: '302',
  /** 현재가. The bridge carries neither 910 nor 915 (§8.2), so its simulator writes the fill price here. */
  current: '10',
  qty: '900',
  price: '901',
  remaining: '902',
  origOrderNo: '904',
  /** `+매수`, `-매도`, `매수취소`, `매도정정`… */
  orderKind: '905',
  priceType: '906',
  sellBuy: '907',
  time: '908',
  fillNo: '909',
  fillPrice: '910',
  /** Cumulative filled quantity. */
  fillQty: '911',
  unitFillPrice: '914',
  unitFillQty: '915',
  rejectReason: '919',
} as const;

/** Balance (잔고): Kiwoom REST type 04, bridge gubun 1. */
export const BALANCE_FID = {
  account: '9201',
  code: '9001',
  name: '302',
  price: '10',
  qty: '930',
  avgPrice: '931',
  purchaseAmount: '932',
  orderableQty: '933',
} as const;
