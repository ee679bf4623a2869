/**
 * Upbit WebSocket and REST wire format, both directions, no I/O (protocols/upbit.md §3–§6, §10).
 *
 * Requests are text frames holding a JSON array `[{ticket}, {type…}…, {format}?]`; data arrives as binary frames
 * of UTF-8 JSON in one of four formats: DEFAULT (long keys), SIMPLE (short keys), and their list variants
 * JSON_LIST / SIMPLE_LIST (a JSON array of such objects). The adapter decodes with this file and the simulator
 * encodes with it, so both agree on one table of fields (FIELD SPECS below) holding both key sets.
 *
 * Exactness: `sequential_id` has 17 digits (> 2^53) and `myAsset` balances carry more digits than a double holds;
 * a plain JSON.parse corrupts both. Public frames go through the native JSON.parse after the id's literal has
 * been quoted (so it arrives as its own text; every other public number becomes a double anyway); private frames,
 * which are rare and carry money, go through lossless-json with every number kept as text.
 */
import { parse as losslessParse } from 'lossless-json';

export const UPBIT_FORMATS = ['DEFAULT', 'SIMPLE', 'JSON_LIST', 'SIMPLE_LIST'] as const;
export type UpbitFormat = (typeof UPBIT_FORMATS)[number];
export const QUOTE_TYPES = ['ticker', 'trade', 'orderbook'] as const;
export type QuoteType = (typeof QUOTE_TYPES)[number];
export const PRIVATE_TYPES = ['myOrder', 'myAsset'] as const;
export type PrivateType = (typeof PRIVATE_TYPES)[number];
export type StreamType = QuoteType | PrivateType;

/** The depths Upbit serves since 2025-07-02 (§3.2); anything else silently becomes the default. */
export const ORDERBOOK_DEPTHS = [1, 5, 15, 30] as const;
/** No `.N` suffix, or an unsupported one, means 30 pairs (§3.2, pitfall §8.8). */
export const DEFAULT_ORDERBOOK_DEPTH = 30;

/** Error names the server sends in `{"error":{"name",…}}` (§5), plus the simulator's rate-limit answer. */
export const UPBIT_ERROR_NAMES = ['INVALID_AUTH', 'WRONG_FORMAT', 'NO_TICKET', 'NO_TYPE', 'NO_CODES', 'INVALID_PARAM', 'TOO_MANY_REQUESTS'] as const;
export type UpbitErrorName = (typeof UPBIT_ERROR_NAMES)[number];

// ---------------------------------------------------------------------------------------------------------------
// Requests (client → server)
// ---------------------------------------------------------------------------------------------------------------

export interface TypeRequest {
  type: StreamType;
  /** Public types: required; orderbook codes may carry a depth suffix (`KRW-BTC.15`). myOrder: optional. myAsset: absent. */
  codes?: string[];
  /** Orderbook price grouping (KRW markets only). */
  level?: number;
  isOnlySnapshot?: boolean;
  isOnlyRealtime?: boolean;
}

export interface SubscribeRequest {
  ticket: string;
  types: TypeRequest[];
  /** null: no format object, which the server takes as DEFAULT. */
  format: UpbitFormat | null;
}

/**
 * The request text, in the documented key order and snake_case flags.
 * @example encodeRequest({ ticket: 't', types: [{ type: 'ticker', codes: ['KRW-BTC'] }], format: 'DEFAULT' })
 *   // '[{"ticket":"t"},{"type":"ticker","codes":["KRW-BTC"]},{"format":"DEFAULT"}]'
 */
export function encodeRequest(request: SubscribeRequest): string {
  const parts: string[] = [JSON.stringify({ ticket: request.ticket })];
  for (const t of request.types) {
    const o: Record<string, unknown> = { type: t.type };
    if (t.codes !== undefined) o.codes = t.codes;
    if (t.level !== undefined) o.level = t.level;
    if (t.isOnlySnapshot !== undefined) o.is_only_snapshot = t.isOnlySnapshot;
    if (t.isOnlyRealtime !== undefined) o.is_only_realtime = t.isOnlyRealtime;
    parts.push(JSON.stringify(o));
  }
  if (request.format !== null) parts.push(JSON.stringify({ format: request.format }));
  return `[${parts.join(',')}]`;
}

/** `[{"ticket":"…"},{"method":"LIST_SUBSCRIPTIONS"},{"format":"DEFAULT"}]` (§3.3). */
export function encodeListSubscriptions(ticket: string, format: UpbitFormat = 'DEFAULT'): string {
  return `[${JSON.stringify({ ticket })},{"method":"LIST_SUBSCRIPTIONS"},${JSON.stringify({ format })}]`;
}

/** `KRW-BTC` + 15 → `KRW-BTC.15`. */
export function orderbookCode(code: string, depth: number): string {
  return `${code}.${depth}`;
}

/** `KRW-BTC.5` → { code: 'KRW-BTC', depth: 5 }; unsupported or missing depth → 30, as the server does. */
export function parseOrderbookCode(text: string): { code: string; depth: number } {
  const dot = text.lastIndexOf('.');
  if (dot === -1) return { code: text, depth: DEFAULT_ORDERBOOK_DEPTH };
  const depth = Number(text.slice(dot + 1));
  return {
    code: text.slice(0, dot),
    depth: (ORDERBOOK_DEPTHS as readonly number[]).includes(depth) ? depth : DEFAULT_ORDERBOOK_DEPTH,
  };
}

/** What a client text frame means to the server. */
export type ClientMessage =
  | { kind: 'ping' }
  | { kind: 'subscribe'; request: SubscribeRequest }
  | { kind: 'list'; ticket: string; format: UpbitFormat | null }
  | { kind: 'invalid'; error: UpbitErrorName; message: string };

/** Uppercase quote-base pair (§8.2: lowercase codes are not supported). */
const CODE_PATTERN = /^[A-Z0-9]{2,10}-[A-Z0-9]{1,15}$/;

/**
 * Validates a client text frame the way the server does (§3, §5). Used by the simulator; pure.
 * @example decodeClientMessage('PING') // { kind: 'ping' }
 * @example decodeClientMessage('[{"type":"ticker","codes":["KRW-BTC"]}]') // { kind: 'invalid', error: 'NO_TICKET', … }
 */
export function decodeClientMessage(text: string): ClientMessage {
  if (text === 'PING') return { kind: 'ping' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return invalid('WRONG_FORMAT', 'the request is not JSON');
  }
  if (!Array.isArray(parsed) || parsed.length === 0) return invalid('WRONG_FORMAT', 'a request is a JSON array of objects');
  let ticket: string | null = null;
  let format: UpbitFormat | null = null;
  let listMethod = false;
  const types: TypeRequest[] = [];
  for (const item of parsed) {
    if (!isObject(item)) return invalid('WRONG_FORMAT', 'every element of a request is an object');
    if ('ticket' in item) {
      if (typeof item.ticket !== 'string' || item.ticket.length === 0) return invalid('INVALID_PARAM', 'ticket must be a non-empty string');
      ticket = item.ticket;
    } else if ('format' in item) {
      if (!(UPBIT_FORMATS as readonly unknown[]).includes(item.format)) return invalid('INVALID_PARAM', `unsupported format ${JSON.stringify(item.format)}`);
      format = item.format as UpbitFormat;
    } else if ('method' in item) {
      if (item.method !== 'LIST_SUBSCRIPTIONS') return invalid('INVALID_PARAM', `unsupported method ${JSON.stringify(item.method)}`);
      listMethod = true;
    } else {
      const type = decodeTypeObject(item);
      if ('error' in type) return invalid(type.error, type.message);
      types.push(type);
    }
  }
  if (ticket === null) return invalid('NO_TICKET', 'the request has no ticket object');
  if (listMethod) return { kind: 'list', ticket, format };
  if (types.length === 0) return invalid('NO_TYPE', 'the request has no type object');
  return { kind: 'subscribe', request: { ticket, types, format } };
}

function decodeTypeObject(item: Record<string, unknown>): TypeRequest | { error: UpbitErrorName; message: string } {
  if (!('type' in item)) return { error: 'NO_TYPE', message: 'a type object has no type field' };
  const type = item.type;
  if (!(QUOTE_TYPES as readonly unknown[]).includes(type) && !(PRIVATE_TYPES as readonly unknown[]).includes(type)) {
    return { error: 'INVALID_PARAM', message: `unsupported type ${JSON.stringify(type)}` };
  }
  const result: TypeRequest = { type: type as StreamType };
  if (type === 'myAsset') {
    if ('codes' in item) return { error: 'WRONG_FORMAT', message: 'myAsset takes no codes' };
  } else if ('codes' in item) {
    const codes = item.codes;
    if (!Array.isArray(codes)) return { error: 'INVALID_PARAM', message: 'codes must be a list' };
    for (const code of codes) {
      const bare = typeof code === 'string' && type === 'orderbook' ? parseOrderbookCode(code).code : code;
      if (typeof bare !== 'string' || !CODE_PATTERN.test(bare)) return { error: 'INVALID_PARAM', message: `bad code ${JSON.stringify(code)}` };
    }
    if (codes.length === 0 && type !== 'myOrder') return { error: 'NO_CODES', message: `${String(type)} needs codes` };
    result.codes = codes as string[];
  } else if (type !== 'myOrder') {
    return { error: 'NO_CODES', message: `${String(type)} needs codes` };
  }
  if ('level' in item) {
    const level = typeof item.level === 'string' ? Number(item.level) : item.level;
    if (typeof level !== 'number' || !Number.isFinite(level) || level < 0) return { error: 'INVALID_PARAM', message: 'level must be a number ≥ 0' };
    result.level = level;
  }
  // camelCase is the older spelling (seed 004); accepting both costs nothing (§3.2 UNCONFIRMED).
  for (const [snake, camel, key] of [
    ['is_only_snapshot', 'isOnlySnapshot', 'isOnlySnapshot'],
    ['is_only_realtime', 'isOnlyRealtime', 'isOnlyRealtime'],
  ] as const) {
    const value = snake in item ? item[snake] : item[camel];
    if (value === undefined) continue;
    if (typeof value !== 'boolean') return { error: 'INVALID_PARAM', message: `${snake} must be true or false` };
    result[key] = value;
  }
  return result;
}

function invalid(error: UpbitErrorName, message: string): ClientMessage {
  return { kind: 'invalid', error, message };
}

// ---------------------------------------------------------------------------------------------------------------
// Data frames (server → client): field specs shared by decoder and encoder
// ---------------------------------------------------------------------------------------------------------------

/**
 * n: number (a quoted long literal is accepted and converted); id: big integer kept as digits; x: exact decimal
 * text; s: string; b: boolean; a trailing `?` allows null or absence. Required fields missing → the frame is bad.
 */
type Kind = 'n' | 'n?' | 'id' | 'x' | 's' | 's?' | 'b?';
interface FieldSpec {
  d: string;
  s: string;
  k: Kind;
  /** Precomputed from the kind: this runs per field of every frame. */
  optional: boolean;
}
const f = (d: string, s: string, k: Kind): FieldSpec => ({ d, s, k, optional: k.endsWith('?') });

/** Order as in V3/V4 (the current capture); the encoder writes this order. */
const TICKER_FIELDS: readonly FieldSpec[] = [
  f('code', 'cd', 's'), f('opening_price', 'op', 'n'), f('high_price', 'hp', 'n'), f('low_price', 'lp', 'n'),
  f('trade_price', 'tp', 'n'), f('prev_closing_price', 'pcp', 'n'), f('acc_trade_price', 'atp', 'n'),
  f('change', 'c', 's'), f('change_price', 'cp', 'n'), f('signed_change_price', 'scp', 'n'), f('change_rate', 'cr', 'n'),
  f('signed_change_rate', 'scr', 'n'), f('ask_bid', 'ab', 's?'), f('trade_volume', 'tv', 'n'), f('acc_trade_volume', 'atv', 'n'),
  f('trade_date', 'tdt', 's?'), f('trade_time', 'ttm', 's?'), f('trade_timestamp', 'ttms', 'n'), f('acc_ask_volume', 'aav', 'n?'),
  f('acc_bid_volume', 'abv', 'n?'), f('highest_52_week_price', 'h52wp', 'n?'), f('highest_52_week_date', 'h52wdt', 's?'),
  f('lowest_52_week_price', 'l52wp', 'n?'), f('lowest_52_week_date', 'l52wdt', 's?'), f('market_state', 'ms', 's?'),
  f('is_trading_suspended', 'its', 'b?'), f('delisting_date', 'dd', 's?'), f('market_warning', 'mw', 's?'),
  f('timestamp', 'tms', 'n'), f('acc_trade_price_24h', 'atp24h', 'n?'), f('acc_trade_volume_24h', 'atv24h', 'n?'),
  f('stream_type', 'st', 's?'),
];

/** Order as in V5/V6. */
const TRADE_FIELDS: readonly FieldSpec[] = [
  f('code', 'cd', 's'), f('timestamp', 'tms', 'n'), f('trade_date', 'td', 's?'), f('trade_time', 'ttm', 's?'),
  f('trade_timestamp', 'ttms', 'n'), f('trade_price', 'tp', 'n'), f('trade_volume', 'tv', 'n'), f('ask_bid', 'ab', 's'),
  f('prev_closing_price', 'pcp', 'n'), f('change', 'c', 's?'), f('change_price', 'cp', 'n?'), f('sequential_id', 'sid', 'id'),
  f('best_ask_price', 'bap', 'n?'), f('best_ask_size', 'bas', 'n?'), f('best_bid_price', 'bbp', 'n?'),
  f('best_bid_size', 'bbs', 'n?'), f('stream_type', 'st', 's?'),
];

/** Order as in V7/V8; `orderbook_units` and `level` are handled beside the flat fields. */
const ORDERBOOK_HEAD: readonly FieldSpec[] = [f('code', 'cd', 's'), f('timestamp', 'tms', 'n'), f('total_ask_size', 'tas', 'n'), f('total_bid_size', 'tbs', 'n')];
const ORDERBOOK_TAIL: readonly FieldSpec[] = [f('level', 'lv', 'n?'), f('stream_type', 'st', 's?')];
const UNIT_FIELDS: readonly FieldSpec[] = [f('ask_price', 'ap', 'n'), f('bid_price', 'bp', 'n'), f('ask_size', 'as', 'n'), f('bid_size', 'bs', 'n')];
const DEFAULT_UNIT_KEYS = ['ask_price', 'bid_price', 'ask_size', 'bid_size'] as const;
const SIMPLE_UNIT_KEYS = ['ap', 'bp', 'as', 'bs'] as const;

/** Order as in V12. */
const MY_ORDER_FIELDS: readonly FieldSpec[] = [
  f('code', 'cd', 's'), f('uuid', 'uid', 's'), f('ask_bid', 'ab', 's'), f('order_type', 'ot', 's'), f('state', 's', 's'),
  f('trade_uuid', 'tuid', 's?'), f('price', 'p', 'n?'), f('avg_price', 'ap', 'n?'), f('volume', 'v', 'n?'),
  f('remaining_volume', 'rv', 'n?'), f('executed_volume', 'ev', 'n?'), f('trades_count', 'tc', 'n?'),
  f('reserved_fee', 'rsf', 'n?'), f('remaining_fee', 'rmf', 'n?'), f('paid_fee', 'pf', 'n?'), f('locked', 'l', 'n?'),
  f('executed_funds', 'ef', 'n?'), f('time_in_force', 'tif', 's?'), f('trade_fee', 'tf', 'n?'), f('is_maker', 'im', 'b?'),
  f('identifier', 'id', 's?'), f('smp_type', 'smpt', 's?'), f('prevented_volume', 'pv', 'n?'), f('prevented_locked', 'pl', 'n?'),
  f('trade_timestamp', 'ttms', 'n?'), f('order_timestamp', 'otms', 'n?'), f('timestamp', 'tms', 'n'), f('stream_type', 'st', 's?'),
];

/** Order as in V14; `assets` handled beside the flat fields. */
const MY_ASSET_HEAD: readonly FieldSpec[] = [f('asset_uuid', 'astuid', 's?')];
const MY_ASSET_TAIL: readonly FieldSpec[] = [f('asset_timestamp', 'asttms', 'n?'), f('timestamp', 'tms', 'n'), f('stream_type', 'st', 's?')];
const ASSET_FIELDS: readonly FieldSpec[] = [f('currency', 'cu', 's'), f('balance', 'b', 'x'), f('locked', 'l', 'x')];

type Row = Record<string, string | number | boolean | null | undefined>;

export type TickerFrame = Row & {
  type: 'ticker';
  code: string;
  opening_price: number;
  high_price: number;
  low_price: number;
  trade_price: number;
  prev_closing_price: number;
  acc_trade_price: number;
  change: string;
  acc_trade_volume: number;
  trade_volume: number;
  trade_timestamp: number;
  timestamp: number;
};
export type TradeFrame = Row & {
  type: 'trade';
  code: string;
  timestamp: number;
  trade_timestamp: number;
  trade_price: number;
  trade_volume: number;
  ask_bid: string;
  prev_closing_price: number;
  /** Digits, kept exact (17 digits exceed a double). */
  sequential_id: string;
};
export interface OrderbookUnit {
  ask_price: number;
  bid_price: number;
  ask_size: number;
  bid_size: number;
}
export type OrderbookFrame = {
  type: 'orderbook';
  code: string;
  timestamp: number;
  total_ask_size: number;
  total_bid_size: number;
  orderbook_units: OrderbookUnit[];
  level?: number | null;
  stream_type?: string | null;
};
export type MyOrderFrame = Row & {
  type: 'myOrder';
  code: string;
  uuid: string;
  ask_bid: string;
  order_type: string;
  state: string;
  timestamp: number;
};
export interface AssetRow {
  currency: string;
  /** Exact decimal text. */
  balance: string;
  locked: string;
}
export type MyAssetFrame = {
  type: 'myAsset';
  asset_uuid?: string | null;
  assets: AssetRow[];
  asset_timestamp?: number | null;
  timestamp: number;
  stream_type?: string | null;
};
export interface ErrorFrame {
  type: 'error';
  name: string;
  message: string;
}
export interface StatusFrame {
  type: 'status';
  status: string;
}
export interface ListSubscriptionsFrame {
  type: 'listSubscriptions';
  ticket: string | null;
  result: Array<{ type: string; codes?: string[]; level?: number }>;
}
/** A well-formed frame of a type Sise does not use (candles, indicators): tolerated, ignored. */
export interface UnknownFrame {
  type: 'unknown';
  name: string;
}

export type DataFrame = TickerFrame | TradeFrame | OrderbookFrame | MyOrderFrame | MyAssetFrame;
export type UpbitFrame = DataFrame | ErrorFrame | StatusFrame | ListSubscriptionsFrame | UnknownFrame;
export type DecodeResult = { ok: true; frames: UpbitFrame[] } | { ok: false; reason: string };

/** The one public field a double cannot hold (17 digits, §8.3), in either key set; quoted before JSON.parse. */
const SEQUENTIAL_ID = /"(sequential_id|sid)":\s*(-?\d+)/g;
const NUMERIC_TEXT = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;

/**
 * Decodes one frame's payload (Buffer from `ws`, or text). Never throws: bad input gives `{ ok: false, reason }`.
 * @example decodeFrame('{"status":"UP"}') // { ok: true, frames: [{ type: 'status', status: 'UP' }] }
 */
export function decodeFrame(payload: Buffer | Uint8Array | string): DecodeResult {
  let text: string;
  try {
    text = typeof payload === 'string' ? payload : Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString('utf8');
  } catch {
    return { ok: false, reason: 'the frame is not UTF-8 text' };
  }
  let parsed: unknown;
  try {
    // Only trade frames carry the id; the cheap includes() spares every other frame the regex scan.
    parsed = JSON.parse(text.includes('"s') && (text.includes('"sequential_id"') || text.includes('"sid"')) ? text.replace(SEQUENTIAL_ID, '"$1":"$2"') : text);
  } catch {
    return { ok: false, reason: `not JSON: ${preview(text)}` };
  }
  // Private frames carry balances and order sizes; re-read them with every number as its exact text.
  if (isPrivate(parsed)) {
    try {
      parsed = losslessParse(text, null, (raw: string) => raw);
    } catch {
      return { ok: false, reason: `not JSON: ${preview(text)}` };
    }
  }
  const items = Array.isArray(parsed) ? parsed : [parsed];
  const frames: UpbitFrame[] = [];
  for (const item of items) {
    const frame = decodeObject(item);
    if (typeof frame === 'string') return { ok: false, reason: `${frame}: ${preview(text)}` };
    frames.push(frame);
  }
  return { ok: true, frames };
}

function isPrivate(parsed: unknown): boolean {
  const first = Array.isArray(parsed) ? parsed[0] : parsed;
  if (!isObject(first)) return false;
  const type = first.type ?? first.ty;
  return type === 'myOrder' || type === 'myAsset';
}

function decodeObject(item: unknown): UpbitFrame | string {
  if (!isObject(item)) return 'a frame is a JSON object';
  const simple = !('type' in item) && 'ty' in item;
  const type = simple ? item.ty : item.type;
  if (type === undefined) {
    if (isObject(item.error)) {
      const { name, message } = item.error;
      if (typeof name !== 'string') return 'an error frame without a name';
      return { type: 'error', name, message: typeof message === 'string' ? message : '' };
    }
    if (typeof item.status === 'string') return { type: 'status', status: item.status };
    const method = item.method ?? item.mthd;
    if (method === 'LIST_SUBSCRIPTIONS') return decodeListResult(item, 'method' in item);
    return 'a frame without a type';
  }
  switch (type) {
    case 'ticker':
      return readFields(item, TICKER_FIELDS, simple, { type: 'ticker' }) as TickerFrame | string;
    case 'trade':
      return readFields(item, TRADE_FIELDS, simple, { type: 'trade' }) as TradeFrame | string;
    case 'myOrder':
      return readFields(item, MY_ORDER_FIELDS, simple, { type: 'myOrder' }) as MyOrderFrame | string;
    case 'orderbook':
      return decodeOrderbook(item, simple);
    case 'myAsset':
      return decodeMyAsset(item, simple);
    default:
      return typeof type === 'string' ? { type: 'unknown', name: type } : 'a frame whose type is not text';
  }
}

function decodeOrderbook(item: Record<string, unknown>, simple: boolean): OrderbookFrame | string {
  const head = readFields(item, ORDERBOOK_HEAD, simple, { type: 'orderbook' });
  if (typeof head === 'string') return head;
  const tail = readFields(item, ORDERBOOK_TAIL, simple, head);
  if (typeof tail === 'string') return tail;
  const rawUnits = item[simple ? 'obu' : 'orderbook_units'];
  if (!Array.isArray(rawUnits)) return 'orderbook_units is not a list';
  const units: OrderbookUnit[] = [];
  const [kAskPrice, kBidPrice, kAskSize, kBidSize] = simple ? SIMPLE_UNIT_KEYS : DEFAULT_UNIT_KEYS;
  for (const raw of rawUnits) {
    if (!isObject(raw)) return 'an orderbook unit is not an object';
    // 30 units × 4 numbers per frame: read plain numbers directly, and only fall back to the spec'd reader otherwise.
    const ask_price = raw[kAskPrice];
    const bid_price = raw[kBidPrice];
    const ask_size = raw[kAskSize];
    const bid_size = raw[kBidSize];
    if (isFiniteNumber(ask_price) && isFiniteNumber(bid_price) && isFiniteNumber(ask_size) && isFiniteNumber(bid_size)) {
      units.push({ ask_price, bid_price, ask_size, bid_size });
      continue;
    }
    const unit = readFields(raw, UNIT_FIELDS, simple, {});
    if (typeof unit === 'string') return unit;
    units.push(unit as unknown as OrderbookUnit);
  }
  return { ...(tail as object), orderbook_units: units } as OrderbookFrame;
}

function decodeMyAsset(item: Record<string, unknown>, simple: boolean): MyAssetFrame | string {
  const head = readFields(item, MY_ASSET_HEAD, simple, { type: 'myAsset' });
  if (typeof head === 'string') return head;
  const frame = readFields(item, MY_ASSET_TAIL, simple, head);
  if (typeof frame === 'string') return frame;
  const rawAssets = item[simple ? 'ast' : 'assets'];
  if (!Array.isArray(rawAssets)) return 'assets is not a list';
  const assets: AssetRow[] = [];
  for (const raw of rawAssets) {
    if (!isObject(raw)) return 'an asset is not an object';
    const asset = readFields(raw, ASSET_FIELDS, simple, {});
    if (typeof asset === 'string') return asset;
    assets.push(asset as unknown as AssetRow);
  }
  return { ...(frame as object), assets } as MyAssetFrame;
}

function decodeListResult(item: Record<string, unknown>, longKeys: boolean): ListSubscriptionsFrame | string {
  const result = item[longKeys ? 'result' : 'rslt'];
  if (!Array.isArray(result)) return 'LIST_SUBSCRIPTIONS without a result list';
  const ticket = item[longKeys ? 'ticket' : 'tckt'];
  const entries: ListSubscriptionsFrame['result'] = [];
  for (const raw of result) {
    if (!isObject(raw)) return 'a subscription entry is not an object';
    const type = raw[longKeys ? 'type' : 'ty'];
    if (typeof type !== 'string') return 'a subscription entry without a type';
    const entry: ListSubscriptionsFrame['result'][number] = { type };
    const codes = raw[longKeys ? 'codes' : 'cds'];
    if (Array.isArray(codes)) entry.codes = codes.filter((c): c is string => typeof c === 'string');
    const level = Number(raw[longKeys ? 'level' : 'lv']);
    if (Number.isFinite(level) && raw[longKeys ? 'level' : 'lv'] !== undefined) entry.level = level;
    entries.push(entry);
  }
  return { type: 'listSubscriptions', ticket: typeof ticket === 'string' ? ticket : null, result: entries };
}

/** Reads every spec'd field into `into` under its DEFAULT key; returns a reason string on the first bad field. */
function readFields(item: Record<string, unknown>, specs: readonly FieldSpec[], simple: boolean, into: Row): Row | string {
  for (const spec of specs) {
    const raw = item[simple ? spec.s : spec.d];
    // Fast path for the common case, a plain number where a number belongs.
    if (typeof raw === 'number' && (spec.k === 'n' || spec.k === 'n?') && Number.isFinite(raw)) {
      into[spec.d] = raw;
      continue;
    }
    const value = readValue(raw, spec.k, spec.optional);
    if (value === BAD) return `${spec.d} (${simple ? spec.s : spec.d}) is ${raw === undefined ? 'missing' : `not a valid ${KIND_NAMES[spec.k]}`}`;
    if (value !== undefined) into[spec.d] = value;
  }
  return into;
}

const BAD = Symbol('bad');
const KIND_NAMES: Record<Kind, string> = { n: 'number', 'n?': 'number', id: 'integer', x: 'decimal', s: 'string', 's?': 'string', 'b?': 'boolean' };

function readValue(raw: unknown, kind: Kind, optional: boolean): string | number | boolean | null | undefined | typeof BAD {
  if (raw === undefined || raw === null) return optional ? raw : BAD;
  switch (kind) {
    case 'n':
    case 'n?':
      if (typeof raw === 'number') return Number.isFinite(raw) ? raw : BAD;
      if (typeof raw === 'string' && NUMERIC_TEXT.test(raw)) {
        // 1e400 is valid JSON and Infinity as a double: no price or size is that.
        const value = Number(raw);
        return Number.isFinite(value) ? value : BAD;
      }
      return BAD;
    case 'id':
      if (typeof raw === 'number' && Number.isSafeInteger(raw)) return String(raw);
      if (typeof raw === 'string' && /^\d+$/.test(raw)) return raw;
      return BAD;
    case 'x':
      if (typeof raw === 'number' && Number.isFinite(raw)) return numberToDecimal(raw);
      if (typeof raw === 'string' && NUMERIC_TEXT.test(raw)) return toDecimalText(raw);
      return BAD;
    case 's':
    case 's?':
      return typeof raw === 'string' ? raw : BAD;
    case 'b?':
      return typeof raw === 'boolean' ? raw : BAD;
  }
}

/** `1e-8` → `0.00000001`; decimal text passes unchanged (trailing zeros included). */
export function toDecimalText(text: string): string {
  if (/^-?\d+(\.\d+)?$/.test(text)) return text;
  const match = /^(-?)(\d+)(?:\.(\d+))?[eE]([+-]?\d+)$/.exec(text);
  if (!match) return text;
  const [, sign, int, frac = '', exp] = match;
  const digits = `${int}${frac}`;
  const point = int!.length + Number(exp);
  let result: string;
  if (point <= 0) result = `0.${'0'.repeat(-point)}${digits}`;
  else if (point >= digits.length) result = `${digits}${'0'.repeat(point - digits.length)}`;
  else result = `${digits.slice(0, point)}.${digits.slice(point)}`;
  result = result.replace(/^0+(?=\d)/, '');
  if (result.includes('.')) result = result.replace(/0+$/, '').replace(/\.$/, '');
  return `${sign}${result}`;
}

export function numberToDecimal(value: number): string {
  return toDecimalText(String(value));
}

// ---------------------------------------------------------------------------------------------------------------
// Encoding (the simulator's side)
// ---------------------------------------------------------------------------------------------------------------

export function isSimpleFormat(format: UpbitFormat | null): boolean {
  return format === 'SIMPLE' || format === 'SIMPLE_LIST';
}

export function isListFormat(format: UpbitFormat | null): boolean {
  return format === 'JSON_LIST' || format === 'SIMPLE_LIST';
}

/**
 * A data frame's JSON text in the given format; list formats wrap the frames in one array, the others take
 * exactly one frame. Numbers kept as text (`sequential_id`, balances) are written verbatim.
 */
export function encodeFrames(frames: readonly DataFrame[], format: UpbitFormat | null): string {
  const simple = isSimpleFormat(format);
  const bodies = frames.map((frame) => encodeDataFrame(frame, simple));
  if (isListFormat(format)) return `[${bodies.join(',')}]`;
  if (bodies.length !== 1) throw new RangeError(`format ${format ?? 'DEFAULT'} carries one frame, got ${bodies.length}`);
  return bodies[0]!;
}

function encodeDataFrame(frame: DataFrame, simple: boolean): string {
  const type = `"${simple ? 'ty' : 'type'}":${JSON.stringify(frame.type)}`;
  const row = frame as unknown as Row;
  switch (frame.type) {
    case 'ticker':
      return `{${[type, ...writeFields(row, TICKER_FIELDS, simple)].join(',')}}`;
    case 'trade':
      return `{${[type, ...writeFields(row, TRADE_FIELDS, simple)].join(',')}}`;
    case 'myOrder':
      return `{${[type, ...writeFields(row, MY_ORDER_FIELDS, simple)].join(',')}}`;
    case 'orderbook': {
      const units = frame.orderbook_units.map((u) => `{${writeFields(u as unknown as Row, UNIT_FIELDS, simple).join(',')}}`);
      const parts = [type, ...writeFields(row, ORDERBOOK_HEAD, simple), `"${simple ? 'obu' : 'orderbook_units'}":[${units.join(',')}]`, ...writeFields(row, ORDERBOOK_TAIL, simple)];
      return `{${parts.join(',')}}`;
    }
    case 'myAsset': {
      const assets = frame.assets.map((a) => `{${writeFields(a as unknown as Row, ASSET_FIELDS, simple).join(',')}}`);
      const parts = [type, ...writeFields(row, MY_ASSET_HEAD, simple), `"${simple ? 'ast' : 'assets'}":[${assets.join(',')}]`, ...writeFields(row, MY_ASSET_TAIL, simple)];
      return `{${parts.join(',')}}`;
    }
  }
}

function writeFields(row: Row, specs: readonly FieldSpec[], simple: boolean): string[] {
  const out: string[] = [];
  for (const spec of specs) {
    const value = row[spec.d];
    if (value === undefined) continue;
    const key = simple ? spec.s : spec.d;
    if ((spec.k === 'id' || spec.k === 'x') && typeof value === 'string') {
      if (!NUMERIC_TEXT.test(value)) throw new RangeError(`${spec.d} must be numeric text, got ${JSON.stringify(value)}`);
      out.push(`"${key}":${value}`);
    } else {
      out.push(`"${key}":${JSON.stringify(value)}`);
    }
  }
  return out;
}

export function encodeError(name: string, message: string): string {
  return JSON.stringify({ error: { name, message } });
}

/** The reply to a text `PING` (V11). */
export const STATUS_UP = '{"status":"UP"}';

export function encodeListResult(ticket: string, result: ListSubscriptionsFrame['result'], format: UpbitFormat | null): string {
  if (!isSimpleFormat(format)) return JSON.stringify({ method: 'LIST_SUBSCRIPTIONS', result, ticket });
  const rslt = result.map((r) => ({ ty: r.type, ...(r.codes ? { cds: r.codes } : {}), ...(r.level !== undefined ? { lv: r.level } : {}) }));
  return JSON.stringify({ mthd: 'LIST_SUBSCRIPTIONS', rslt, tckt: ticket });
}

// ---------------------------------------------------------------------------------------------------------------
// REST bodies (§6)
// ---------------------------------------------------------------------------------------------------------------

/** One element of `GET /v1/accounts` (V16); amounts are decimal text on the wire and stay so. */
export interface AccountRow {
  currency: string;
  balance: string;
  locked: string;
  avg_buy_price: string;
  avg_buy_price_modified: boolean;
  unit_currency: string;
}

export function decodeAccounts(text: string): AccountRow[] | string {
  let parsed: unknown;
  try {
    parsed = losslessParse(text, null, (raw: string) => raw);
  } catch {
    return `not JSON: ${preview(text)}`;
  }
  if (!Array.isArray(parsed)) return 'accounts answer is not a list';
  const rows: AccountRow[] = [];
  for (const raw of parsed) {
    if (!isObject(raw) || typeof raw.currency !== 'string') return 'an account row without a currency';
    const decimals = ['balance', 'locked', 'avg_buy_price'].map((key) => raw[key]);
    if (!decimals.every((d) => typeof d === 'string' && NUMERIC_TEXT.test(d))) return `account ${raw.currency} has a non-decimal amount`;
    rows.push({
      currency: raw.currency,
      balance: toDecimalText(decimals[0] as string),
      locked: toDecimalText(decimals[1] as string),
      avg_buy_price: toDecimalText(decimals[2] as string),
      avg_buy_price_modified: raw.avg_buy_price_modified === true,
      unit_currency: typeof raw.unit_currency === 'string' ? raw.unit_currency : 'KRW',
    });
  }
  return rows;
}

/** An order as the REST order endpoints answer it (POST /v1/orders, GET /v1/orders/open, DELETE /v1/order). */
export interface RestOrder {
  uuid: string;
  side: 'bid' | 'ask';
  ord_type: 'limit' | 'price' | 'market' | 'best';
  price: string | null;
  state: 'wait' | 'watch' | 'done' | 'cancel';
  market: string;
  created_at: string;
  volume: string | null;
  remaining_volume: string | null;
  executed_volume: string;
  trades_count: number;
}

/** `{"error":{"name","message"}}`, the REST error body too (§6). */
export function decodeRestError(text: string): { name: string; message: string } | null {
  try {
    const parsed: unknown = JSON.parse(text);
    if (isObject(parsed) && isObject(parsed.error) && typeof parsed.error.name === 'string') {
      return { name: parsed.error.name, message: typeof parsed.error.message === 'string' ? parsed.error.message : '' };
    }
  } catch {
    // not JSON: the caller reports the status line instead
  }
  return null;
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Enough of a bad frame to recognise it in a log, never a whole payload. */
const PREVIEW_CHARS = 80;
function preview(text: string): string {
  return JSON.stringify(text.length > PREVIEW_CHARS ? `${text.slice(0, PREVIEW_CHARS)}…` : text);
}
