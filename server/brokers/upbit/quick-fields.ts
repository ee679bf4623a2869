/**
 * The hot path for the public frames: a ticker and a trade are read by picking the handful of fields a tick needs
 * straight out of the frame's text (`indexOf` of `"key":`, then the literal), instead of building a 30-key object
 * with JSON.parse; an orderbook's units are read in one pass over their fixed layout. At Upbit's rates this is most
 * of the decoding time (bench/upbit.ts).
 *
 * Only frames that are safe to read this way take it; anything else returns null and goes through the full
 * decoder (codec.decodeFrame), which also handles SIMPLE keys' list formats, errors, private frames and junk:
 *  - one object whose first member is the type (`{"type":"trade",` or `{"ty":"trade",`), ending in `}`;
 *  - no backslash anywhere, so no string can hide a quote and every `"key":` found is a real key;
 *  - every needed field present, numbers strictly JSON numbers and finite, strings plain.
 * Equivalence with the full decoder on valid frames is a property test (quick-fields.test.ts).
 */

/** The ticker fields a tick merges in (codec.TickerFrame has them all, so either decoder feeds the merger). */
export interface TickerState {
  code: string;
  opening_price: number;
  high_price: number;
  low_price: number;
  acc_trade_volume: number;
  acc_trade_price: number;
  trade_timestamp: number;
}

/** The trade fields a tick needs. */
export interface TradeState {
  code: string;
  trade_price: number;
  trade_volume: number;
  ask_bid: string;
  prev_closing_price: number;
  trade_timestamp: number;
}

/** An orderbook's fields a hoga needs; the same shape as codec.OrderbookFrame without `level` and `stream_type`. */
export interface BookState {
  code: string;
  timestamp: number;
  total_ask_size: number;
  total_bid_size: number;
  orderbook_units: Array<{ ask_price: number; bid_price: number; ask_size: number; bid_size: number }>;
}

export type QuickFrame = ({ type: 'ticker' } & TickerState) | ({ type: 'trade' } & TradeState) | ({ type: 'orderbook' } & BookState);

const KEYS = {
  default: {
    code: '"code":',
    opening_price: '"opening_price":',
    high_price: '"high_price":',
    low_price: '"low_price":',
    acc_trade_volume: '"acc_trade_volume":',
    acc_trade_price: '"acc_trade_price":',
    trade_timestamp: '"trade_timestamp":',
    trade_price: '"trade_price":',
    trade_volume: '"trade_volume":',
    ask_bid: '"ask_bid":',
    prev_closing_price: '"prev_closing_price":',
    timestamp: '"timestamp":',
    total_ask_size: '"total_ask_size":',
    total_bid_size: '"total_bid_size":',
    units: '"orderbook_units":[',
    unit: ['{"ask_price":', ',"bid_price":', ',"ask_size":', ',"bid_size":'],
  },
  simple: {
    code: '"cd":',
    opening_price: '"op":',
    high_price: '"hp":',
    low_price: '"lp":',
    acc_trade_volume: '"atv":',
    acc_trade_price: '"atp":',
    trade_timestamp: '"ttms":',
    trade_price: '"tp":',
    trade_volume: '"tv":',
    ask_bid: '"ab":',
    prev_closing_price: '"pcp":',
    timestamp: '"tms":',
    total_ask_size: '"tas":',
    total_bid_size: '"tbs":',
    units: '"obu":[',
    unit: ['{"ap":', ',"bp":', ',"as":', ',"bs":'],
  },
} as const;
type KeySet = (typeof KEYS)['default'] | (typeof KEYS)['simple'];

/** Exact powers of ten: a mantissa under 2^53 divided by one of these is correctly rounded (Clinger's fast path). */
const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];
/** 15 digits always fit the fast path's mantissa (< 2^53). */
const FAST_DIGITS = 15;

const NO = Symbol('no');

/**
 * Reads a ticker or trade frame's tick fields, or returns null when the frame is not one this path can read
 * safely (then the full decoder decides).
 * @example quickFrame('{"type":"trade","code":"KRW-BTC",…}') // { type: 'trade', code: 'KRW-BTC', trade_price: … }
 */
export function quickFrame(text: string): QuickFrame | null {
  let keys: KeySet;
  let type: 'ticker' | 'trade' | 'orderbook';
  if (text.startsWith('{"type":"trade",')) [keys, type] = [KEYS.default, 'trade'];
  else if (text.startsWith('{"type":"ticker",')) [keys, type] = [KEYS.default, 'ticker'];
  else if (text.startsWith('{"type":"orderbook",')) [keys, type] = [KEYS.default, 'orderbook'];
  else if (text.startsWith('{"ty":"trade",')) [keys, type] = [KEYS.simple, 'trade'];
  else if (text.startsWith('{"ty":"ticker",')) [keys, type] = [KEYS.simple, 'ticker'];
  else if (text.startsWith('{"ty":"orderbook",')) [keys, type] = [KEYS.simple, 'orderbook'];
  else return null;
  if (text.charCodeAt(text.length - 1) !== 125 /* } */ || text.includes('\\')) return null;
  if (type === 'orderbook') return quickBook(text, keys);
  const code = stringAt(text, keys.code);
  const tradeTimestamp = numberAt(text, keys.trade_timestamp);
  if (code === NO || tradeTimestamp === NO) return null;
  if (type === 'ticker') {
    const open = numberAt(text, keys.opening_price);
    const high = numberAt(text, keys.high_price);
    const low = numberAt(text, keys.low_price);
    const volume = numberAt(text, keys.acc_trade_volume);
    const value = numberAt(text, keys.acc_trade_price);
    if (open === NO || high === NO || low === NO || volume === NO || value === NO) return null;
    return { type, code, opening_price: open, high_price: high, low_price: low, acc_trade_volume: volume, acc_trade_price: value, trade_timestamp: tradeTimestamp };
  }
  const price = numberAt(text, keys.trade_price);
  const qty = numberAt(text, keys.trade_volume);
  const prevClose = numberAt(text, keys.prev_closing_price);
  const askBid = stringAt(text, keys.ask_bid);
  if (price === NO || qty === NO || prevClose === NO || askBid === NO) return null;
  return { type, code, trade_price: price, trade_volume: qty, ask_bid: askBid, prev_closing_price: prevClose, trade_timestamp: tradeTimestamp };
}

/**
 * An orderbook: the flat fields by key, then the units in one pass over their fixed layout
 * `{"ask_price":n,"bid_price":n,"ask_size":n,"bid_size":n}` (SIMPLE: ap/bp/as/bs). Another key order → null.
 */
function quickBook(text: string, keys: KeySet): QuickFrame | null {
  const code = stringAt(text, keys.code);
  const timestamp = numberAt(text, keys.timestamp);
  const totalAsk = numberAt(text, keys.total_ask_size);
  const totalBid = numberAt(text, keys.total_bid_size);
  if (code === NO || timestamp === NO || totalAsk === NO || totalBid === NO) return null;
  const at = text.indexOf(keys.units);
  if (at === -1 || !isMemberStart(text, at)) return null;
  const units: BookState['orderbook_units'] = [];
  const [kAskPrice, kBidPrice, kAskSize, kBidSize] = keys.unit;
  cursor = at + keys.units.length;
  if (text.charCodeAt(cursor) !== 93 /* ] */) {
    for (;;) {
      const askPrice = literalAfter(text, kAskPrice);
      const bidPrice = askPrice === NO ? NO : literalAfter(text, kBidPrice);
      const askSize = bidPrice === NO ? NO : literalAfter(text, kAskSize);
      const bidSize = askSize === NO ? NO : literalAfter(text, kBidSize);
      if (bidSize === NO || text.charCodeAt(cursor) !== 125 /* } */) return null;
      units.push({ ask_price: askPrice as number, bid_price: bidPrice as number, ask_size: askSize as number, bid_size: bidSize });
      const next = text.charCodeAt(++cursor);
      if (next === 93 /* ] */) break;
      if (next !== 44 /* , */) return null;
      cursor++;
    }
  }
  if (!isMemberEnd(text, cursor + 1)) return null;
  return { type: 'orderbook', code, timestamp, total_ask_size: totalAsk, total_bid_size: totalBid, orderbook_units: units };
}

/** Where the unit reader is; module state keeps the per-number call free of allocations. */
let cursor = 0;

/** `key` must sit exactly at the cursor; reads the number after it and leaves the cursor on its end. */
function literalAfter(text: string, key: string): number | typeof NO {
  if (!text.startsWith(key, cursor)) return NO;
  return scanNumber(text, cursor + key.length);
}

function stringAt(text: string, key: string): string | typeof NO {
  const at = text.indexOf(key);
  if (at === -1 || !isMemberStart(text, at)) return NO;
  const start = at + key.length;
  if (text.charCodeAt(start) !== 34 /* " */) return NO;
  const end = text.indexOf('"', start + 1);
  if (end === -1 || !isMemberEnd(text, end + 1)) return NO;
  return text.slice(start + 1, end);
}

/**
 * A JSON number literal at the key's value, strictly (`-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?`), followed by `,` or
 * `}`. Up to 15 significant digits without exponent are computed directly; longer ones go through Number().
 */
function numberAt(text: string, key: string): number | typeof NO {
  const at = text.indexOf(key);
  if (at === -1 || !isMemberStart(text, at)) return NO;
  const value = scanNumber(text, at + key.length);
  if (value === NO || !isMemberEnd(text, cursor)) return NO;
  return value;
}

/** The number literal starting at `from`; sets `cursor` to the first character after it. */
function scanNumber(text: string, from: number): number | typeof NO {
  let i = from;
  const start = i;
  let ch = text.charCodeAt(i);
  const negative = ch === 45; /* - */
  if (negative) ch = text.charCodeAt(++i);
  if (!(ch >= 48 && ch <= 57)) return NO;
  const leadingZero = ch === 48;
  let mantissa = 0;
  let digits = 0;
  while (ch >= 48 && ch <= 57) {
    mantissa = mantissa * 10 + (ch - 48);
    digits++;
    ch = text.charCodeAt(++i);
  }
  if (leadingZero && digits > 1) return NO;
  let fraction = 0;
  if (ch === 46 /* . */) {
    ch = text.charCodeAt(++i);
    if (!(ch >= 48 && ch <= 57)) return NO;
    while (ch >= 48 && ch <= 57) {
      mantissa = mantissa * 10 + (ch - 48);
      digits++;
      fraction++;
      ch = text.charCodeAt(++i);
    }
  }
  let slow = digits > FAST_DIGITS;
  if (ch === 101 || ch === 69 /* e E */) {
    slow = true;
    ch = text.charCodeAt(++i);
    if (ch === 43 || ch === 45) ch = text.charCodeAt(++i);
    if (!(ch >= 48 && ch <= 57)) return NO;
    while (ch >= 48 && ch <= 57) ch = text.charCodeAt(++i);
  }
  cursor = i;
  if (slow) {
    const value = Number(text.slice(start, i));
    return Number.isFinite(value) ? value : NO;
  }
  const value = mantissa / POW10[fraction]!;
  return negative ? -value : value;
}

/** A key starts right after `{` or `,`: anything else would be inside another token. */
function isMemberStart(text: string, at: number): boolean {
  const before = text.charCodeAt(at - 1);
  return before === 44 /* , */ || before === 123; /* { */
}

function isMemberEnd(text: string, at: number): boolean {
  const next = text.charCodeAt(at);
  return next === 44 /* , */ || next === 125; /* } */
}
