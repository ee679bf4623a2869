/**
 * KIS real-time record layouts (protocols/kis.md §5): the documented column order of each TR, as 0-based indexes.
 * Records on the wire may be wider than documented (H0STASP0 arrives with 62 of 59, §7.2); the codec takes a
 * record's width from the frame, so only the documented prefix is named here and the rest is kept as `extra`.
 */

/** Real-time TR ids this adapter speaks. Anything else in a data frame is an UNKNOWN_TR error. */
export const TR_TICK = 'H0STCNT0';
/** 통합 (KRX+NXT) trades: the H0STCNT0 layout, index 21 named CNTG_CLS_CODE. */
export const TR_TICK_UNIFIED = 'H0UNCNT0';
export const TR_HOGA = 'H0STASP0';
/** 체결통보 on the real (실전) service. */
export const TR_NOTICE = 'H0STCNI0';
/** 체결통보 on the paper (모의) service: same layout, different id (§1). */
export const TR_NOTICE_PAPER = 'H0STCNI9';
export const TR_PINGPONG = 'PINGPONG';

export const DATA_TR_IDS = [TR_TICK, TR_TICK_UNIFIED, TR_HOGA, TR_NOTICE, TR_NOTICE_PAPER] as const;
export type KisDataTrId = (typeof DATA_TR_IDS)[number];

export function isDataTrId(text: string): text is KisDataTrId {
  return (DATA_TR_IDS as readonly string[]).includes(text);
}

/** Notice TRs arrive AES-encrypted and are keyed by HTS ID rather than stock code. */
export function isNoticeTr(trId: string): boolean {
  return trId === TR_NOTICE || trId === TR_NOTICE_PAPER;
}

/** §5.1 H0STCNT0 / §5.2 H0UNCNT0, 46 fields. */
export const TICK_COLUMNS = [
  'MKSC_SHRN_ISCD', 'STCK_CNTG_HOUR', 'STCK_PRPR', 'PRDY_VRSS_SIGN', 'PRDY_VRSS', 'PRDY_CTRT', 'WGHN_AVRG_STCK_PRC',
  'STCK_OPRC', 'STCK_HGPR', 'STCK_LWPR', 'ASKP1', 'BIDP1', 'CNTG_VOL', 'ACML_VOL', 'ACML_TR_PBMN', 'SELN_CNTG_CSNU',
  'SHNU_CNTG_CSNU', 'NTBY_CNTG_CSNU', 'CTTR', 'SELN_CNTG_SMTN', 'SHNU_CNTG_SMTN', 'CCLD_DVSN', 'SHNU_RATE',
  'PRDY_VOL_VRSS_ACML_VOL_RATE', 'OPRC_HOUR', 'OPRC_VRSS_PRPR_SIGN', 'OPRC_VRSS_PRPR', 'HGPR_HOUR',
  'HGPR_VRSS_PRPR_SIGN', 'HGPR_VRSS_PRPR', 'LWPR_HOUR', 'LWPR_VRSS_PRPR_SIGN', 'LWPR_VRSS_PRPR', 'BSOP_DATE',
  'NEW_MKOP_CLS_CODE', 'TRHT_YN', 'ASKP_RSQN1', 'BIDP_RSQN1', 'TOTAL_ASKP_RSQN', 'TOTAL_BIDP_RSQN', 'VOL_TNRT',
  'PRDY_SMNS_HOUR_ACML_VOL', 'PRDY_SMNS_HOUR_ACML_VOL_RATE', 'HOUR_CLS_CODE', 'MRKT_TRTM_CLS_CODE', 'VI_STND_PRC',
] as const;

export const TICK = {
  CODE: 0, HOUR: 1, PRICE: 2, SIGN: 3, CHANGE: 4, RATE: 5, WEIGHTED_AVG: 6, OPEN: 7, HIGH: 8, LOW: 9, ASK1: 10,
  BID1: 11, QTY: 12, CUM_VOLUME: 13, CUM_VALUE: 14, SELL_COUNT: 15, BUY_COUNT: 16, NET_BUY_COUNT: 17, STRENGTH: 18,
  SELL_QTY: 19, BUY_QTY: 20, SIDE: 21, BUY_RATE: 22, VOLUME_RATE: 23, OPEN_HOUR: 24, OPEN_VS_SIGN: 25, OPEN_VS: 26,
  HIGH_HOUR: 27, HIGH_VS_SIGN: 28, HIGH_VS: 29, LOW_HOUR: 30, LOW_VS_SIGN: 31, LOW_VS: 32, DATE: 33, MKOP: 34,
  HALTED: 35, ASK1_QTY: 36, BID1_QTY: 37, TOTAL_ASK_QTY: 38, TOTAL_BID_QTY: 39, TURNOVER: 40, PREV_SAME_VOL: 41,
  PREV_SAME_RATE: 42, HOUR_CLS: 43, TERMINATION: 44, VI_PRICE: 45,
} as const;

/** §5.3 H0STASP0: 59 documented; the wire adds 3 (best read as KMID_PRC, KMID_TOTAL_RSQN, KMID_CLS_CODE). */
export const HOGA_COLUMNS = [
  'MKSC_SHRN_ISCD', 'BSOP_HOUR', 'HOUR_CLS_CODE',
  ...range(1, 10).map((i) => `ASKP${i}`),
  ...range(1, 10).map((i) => `BIDP${i}`),
  ...range(1, 10).map((i) => `ASKP_RSQN${i}`),
  ...range(1, 10).map((i) => `BIDP_RSQN${i}`),
  'TOTAL_ASKP_RSQN', 'TOTAL_BIDP_RSQN', 'OVTM_TOTAL_ASKP_RSQN', 'OVTM_TOTAL_BIDP_RSQN', 'ANTC_CNPR', 'ANTC_CNQN',
  'ANTC_VOL', 'ANTC_CNTG_VRSS', 'ANTC_CNTG_VRSS_SIGN', 'ANTC_CNTG_PRDY_CTRT', 'ACML_VOL', 'TOTAL_ASKP_RSQN_ICDC',
  'TOTAL_BIDP_RSQN_ICDC', 'OVTM_TOTAL_ASKP_ICDC', 'OVTM_TOTAL_BIDP_ICDC', 'STCK_DEAL_CLS_CODE',
];

/** The KRX book depth KIS sends. */
export const HOGA_LEVELS = 10;
export const HOGA = {
  CODE: 0, HOUR: 1, HOUR_CLS: 2, ASK_PRICE: 3, BID_PRICE: 13, ASK_QTY: 23, BID_QTY: 33, TOTAL_ASK_QTY: 43,
  TOTAL_BID_QTY: 44, ACML_VOL: 53, DEAL_CLS: 58,
} as const;

/** What the real service sends beyond the 59 documented H0STASP0 fields (§10.3). The simulator sends them too. */
export const HOGA_WIRE_WIDTH = 62;

/** §5.5 H0STCNI0/H0STCNI9, 26 fields (layout after the 2026-02-12 fix). */
export const NOTICE_COLUMNS = [
  'CUST_ID', 'ACNT_NO', 'ODER_NO', 'OODER_NO', 'SELN_BYOV_CLS', 'RCTF_CLS', 'ODER_KIND', 'ODER_COND', 'STCK_SHRN_ISCD',
  'CNTG_QTY', 'CNTG_UNPR', 'STCK_CNTG_HOUR', 'RFUS_YN', 'CNTG_YN', 'ACPT_YN', 'BRNC_NO', 'ODER_QTY', 'ACNT_NAME',
  'ORD_COND_PRC', 'ORD_EXG_GB', 'POPUP_YN', 'FILLER', 'CRDT_CLS', 'CRDT_LOAN_DATE', 'CNTG_ISNM40', 'ODER_PRC',
] as const;

export const NOTICE = {
  HTS_ID: 0, ACCOUNT: 1, ORDER_NO: 2, ORIG_ORDER_NO: 3, SIDE: 4, AMEND: 5, KIND: 6, COND: 7, CODE: 8, FILL_QTY: 9,
  FILL_PRICE: 10, HOUR: 11, REFUSED: 12, IS_FILL: 13, ACCEPT: 14, BRANCH: 15, ORDER_QTY: 16, ACCOUNT_NAME: 17,
  COND_PRICE: 18, EXCHANGE: 19, POPUP: 20, FILLER: 21, CREDIT: 22, LOAN_DATE: 23, NAME: 24, ORDER_PRICE: 25,
} as const;

/** Documented width per TR: a record narrower than this is a layout error, never silently padded. */
export const DOCUMENTED_WIDTH: Record<KisDataTrId, number> = {
  [TR_TICK]: TICK_COLUMNS.length,
  [TR_TICK_UNIFIED]: TICK_COLUMNS.length,
  [TR_HOGA]: HOGA_COLUMNS.length,
  [TR_NOTICE]: NOTICE_COLUMNS.length,
  [TR_NOTICE_PAPER]: NOTICE_COLUMNS.length,
};

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = from; i <= to; i++) out.push(i);
  return out;
}
