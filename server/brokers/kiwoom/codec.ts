/**
 * Kiwoom REST API WebSocket frames (`/api/dostk/websocket`): text JSON with a `trnm` discriminator, both
 * directions, plus the value rules every FID and REST number follows (signed prices, zero padding, `A`-prefixed
 * and `_NX`/`_AL` codes, KST times). Pure: no I/O, no clocks except the ones passed in. The adapter decodes
 * server frames and encodes client frames; the simulator does the reverse with the same functions.
 *
 * Reference: ../shared/protocols/kiwoom-rest.md §3 (session), §4 (FIDs), §5 (value formats), §6 (conditions).
 */
import { formatSymbol, type SymbolId } from '../../../lib/contracts';

/** A frame the codec cannot accept; `frame` holds (a prefix of) the offending text for the log. */
export class KiwoomCodecError extends Error {
  constructor(
    message: string,
    readonly frame: string,
  ) {
    super(message);
    this.name = 'KiwoomCodecError';
  }
}

/** Longest frame prefix kept in an error: enough to recognise it in a log, not a megabyte of junk. */
const ERROR_FRAME_PREFIX = 200;

// ---------------------------------------------------------------------------------------------------------
// Frames

/** One entry of a REAL push; several arrive in one frame, of mixed types. */
export interface RealItem {
  /** `0B`, `0D`, `00`, `04`, `02`, … — case-sensitive, dispatch on this, never on `name`. */
  type: string;
  /** Informal label (`주식체결`, `현물잔고`); kept only for logs. */
  name: string;
  /** The code as the broker spells it: `005930`, sometimes empty for account pushes. */
  item: string;
  /** FID → value text; every value is a string, empty means "no value". */
  values: Record<string, string>;
}

export interface RegEntry {
  item: string[];
  type: string[];
}

export type ClientFrame =
  | { trnm: 'LOGIN'; token: string }
  /** The echo of a server PING: the exact text received. */
  | { trnm: 'PING'; text: string }
  | { trnm: 'REG'; grp_no: string; refresh: '0' | '1'; data: RegEntry[] }
  | { trnm: 'REMOVE'; grp_no: string; refresh?: string; data: RegEntry[] }
  | { trnm: 'CNSRLST' }
  | { trnm: 'CNSRREQ'; seq: string; search_type: '0' | '1'; stex_tp: string; cont_yn?: string; next_key?: string }
  | { trnm: 'CNSRCLR'; seq: string };

export type ServerFrame =
  | { trnm: 'LOGIN'; return_code: number; return_msg: string; sor_yn?: string }
  | { trnm: 'PING'; text: string }
  | { trnm: 'SYSTEM'; code: string; message: string }
  | { trnm: 'REG' | 'REMOVE'; return_code: number; return_msg: string }
  | { trnm: 'REAL'; data: RealItem[] }
  | { trnm: 'CNSRLST'; return_code: number; return_msg: string; data: Array<[string, string]> }
  | {
      trnm: 'CNSRREQ';
      /** Trimmed: the broker echoes it space-padded (`"2  "`). */
      seq: string;
      return_code: number;
      return_msg: string;
      cont_yn: string;
      next_key: string;
      /** One-shot: FID rows (9001, 302, 10, …); live: `{ jmcode }` rows. */
      data: Array<Record<string, string>>;
    }
  | { trnm: 'CNSRCLR'; seq: string; return_code: number; return_msg: string };

type Json = Record<string, unknown>;

function fail(message: string, text: string): never {
  throw new KiwoomCodecError(message, text.length > ERROR_FRAME_PREFIX ? `${text.slice(0, ERROR_FRAME_PREFIX)}…` : text);
}

function parseObject(text: string): Json {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // The official client also accepts a bare `PING` text frame (§3.2); treat it as a PING object.
    if (text.trim() === 'PING') return { trnm: 'PING' };
    fail('not JSON', text);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail('expected a JSON object', text);
  return value as Json;
}

function str(obj: Json, key: string, text: string, fallback?: string): string {
  const value = obj[key];
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if ((value === undefined || value === null) && fallback !== undefined) return fallback;
  return fail(`"${key}" must be a string`, text);
}

/** `return_code` is typed String in the spec and a number in the examples (§3.4): accept both. */
function returnCode(obj: Json, text: string): number {
  const value = obj.return_code;
  if (value === undefined || value === null || value === '') return 0;
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value.trim()) : NaN;
  if (!Number.isInteger(n)) fail('"return_code" must be a whole number', text);
  return n;
}

function stringRecord(value: unknown, what: string, text: string): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(`${what} must be an object`, text);
  const obj = value as Json;
  // Hot path (every REAL item): the broker sends strings only, so check the values in place (Object.values is
  // the fastest walk in V8, about twice for…in) and copy only when a number or null must become text.
  const values = Object.values(obj);
  let allStrings = true;
  for (let i = 0; i < values.length; i++) {
    if (typeof values[i] !== 'string') {
      allStrings = false;
      break;
    }
  }
  if (allStrings) return obj as Record<string, string>;
  const out: Record<string, string> = {};
  for (const [key, v] of Object.entries(obj)) {
    if (typeof v === 'string') out[key] = v;
    else if (typeof v === 'number' && Number.isFinite(v)) out[key] = String(v);
    else if (v === null) out[key] = '';
    else fail(`${what}.${key} must be a string`, text);
  }
  return out;
}

function stringArray(value: unknown, what: string, text: string): string[] {
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) fail(`${what} must be an array of strings`, text);
  return value as string[];
}

/**
 * Decodes one frame the broker sent.
 * @example decodeServerFrame('{"trnm":"REG","return_code":0,"return_msg":""}') // { trnm: 'REG', return_code: 0, return_msg: '' }
 * @throws KiwoomCodecError for anything that is not a well-formed frame of a known `trnm`.
 */
export function decodeServerFrame(text: string): ServerFrame {
  const obj = parseObject(text);
  const trnm = obj.trnm;
  switch (trnm) {
    case 'PING':
      // Echoed unchanged, so the text itself is the frame (§3.2).
      return { trnm, text };
    case 'LOGIN': {
      const frame: ServerFrame = { trnm, return_code: returnCode(obj, text), return_msg: str(obj, 'return_msg', text, '') };
      if (typeof obj.sor_yn === 'string') frame.sor_yn = obj.sor_yn;
      return frame;
    }
    case 'SYSTEM':
      return { trnm, code: str(obj, 'code', text, ''), message: str(obj, 'message', text, '') };
    case 'REG':
    case 'REMOVE':
      return { trnm, return_code: returnCode(obj, text), return_msg: str(obj, 'return_msg', text, '') };
    case 'REAL': {
      if (!Array.isArray(obj.data)) fail('REAL "data" must be an array', text);
      // A plain loop: this is the hottest path of the adapter, and a callback per frame costs measurably.
      const raw = obj.data as unknown[];
      const data: RealItem[] = new Array<RealItem>(raw.length);
      for (let i = 0; i < raw.length; i++) {
        const entry = raw[i];
        if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) fail(`REAL data[${i}] must be an object`, text);
        const e = entry as Json;
        data[i] = {
          type: str(e, 'type', text),
          name: str(e, 'name', text, ''),
          item: str(e, 'item', text, ''),
          values: stringRecord(e.values, 'REAL values', text),
        };
      }
      return { trnm, data };
    }
    case 'CNSRLST': {
      const code = returnCode(obj, text);
      const raw = obj.data ?? [];
      if (!Array.isArray(raw)) fail('CNSRLST "data" must be an array', text);
      const data = raw.map((row: unknown): [string, string] => {
        const pair = stringArray(row, 'CNSRLST row', text);
        if (pair.length < 2) fail('CNSRLST row must be [seq, name]', text);
        return [pair[0]!.trim(), pair[1]!];
      });
      return { trnm, return_code: code, return_msg: str(obj, 'return_msg', text, ''), data };
    }
    case 'CNSRREQ': {
      const raw = obj.data ?? [];
      if (!Array.isArray(raw)) fail('CNSRREQ "data" must be an array', text);
      return {
        trnm,
        seq: str(obj, 'seq', text, '').trim(),
        return_code: returnCode(obj, text),
        return_msg: str(obj, 'return_msg', text, ''),
        cont_yn: str(obj, 'cont_yn', text, 'N'),
        next_key: str(obj, 'next_key', text, ''),
        data: raw.map((row: unknown, i: number) => stringRecord(row, `CNSRREQ data[${i}]`, text)),
      };
    }
    case 'CNSRCLR':
      return { trnm, seq: str(obj, 'seq', text, '').trim(), return_code: returnCode(obj, text), return_msg: str(obj, 'return_msg', text, '') };
    default:
      return fail(`unknown trnm ${JSON.stringify(trnm)}`, text);
  }
}

/** Encodes a frame for the broker. Key order follows the official examples (§11.2). */
export function encodeClientFrame(frame: ClientFrame): string {
  if (frame.trnm === 'PING') return frame.text;
  return JSON.stringify(frame);
}

/**
 * Decodes a frame a client sent (the simulator's side).
 * @throws KiwoomCodecError for malformed or unknown frames.
 */
export function decodeClientFrame(text: string): ClientFrame {
  const obj = parseObject(text);
  switch (obj.trnm) {
    case 'LOGIN':
      return { trnm: 'LOGIN', token: str(obj, 'token', text) };
    case 'PING':
      return { trnm: 'PING', text };
    case 'REG':
    case 'REMOVE': {
      const rawData = obj.data ?? [];
      if (!Array.isArray(rawData)) fail(`${obj.trnm} "data" must be an array`, text);
      const data = rawData.map((entry: unknown): RegEntry => {
        if (typeof entry !== 'object' || entry === null) fail(`${String(obj.trnm)} data entry must be an object`, text);
        const e = entry as Json;
        // BREAD removes by type only (§3.4); an absent item list means "every item of these types".
        return { item: e.item === undefined ? [] : stringArray(e.item, 'item', text), type: stringArray(e.type, 'type', text) };
      });
      const grp_no = str(obj, 'grp_no', text);
      if (obj.trnm === 'REG') {
        const refresh = str(obj, 'refresh', text, '1');
        if (refresh !== '0' && refresh !== '1') fail('REG "refresh" must be "0" or "1"', text);
        return { trnm: 'REG', grp_no, refresh, data };
      }
      return { trnm: 'REMOVE', grp_no, refresh: str(obj, 'refresh', text, ''), data };
    }
    case 'CNSRLST':
      return { trnm: 'CNSRLST' };
    case 'CNSRREQ': {
      const search_type = str(obj, 'search_type', text);
      if (search_type !== '0' && search_type !== '1') fail('CNSRREQ "search_type" must be "0" or "1"', text);
      const frame: ClientFrame = { trnm: 'CNSRREQ', seq: str(obj, 'seq', text).trim(), search_type, stex_tp: str(obj, 'stex_tp', text, 'K') };
      if (typeof obj.cont_yn === 'string') frame.cont_yn = obj.cont_yn;
      if (typeof obj.next_key === 'string') frame.next_key = obj.next_key;
      return frame;
    }
    case 'CNSRCLR':
      return { trnm: 'CNSRCLR', seq: str(obj, 'seq', text).trim() };
    default:
      return fail(`unknown trnm ${JSON.stringify(obj.trnm)}`, text);
  }
}

/** Encodes a frame for a client (the simulator's side). */
export function encodeServerFrame(frame: ServerFrame): string {
  if (frame.trnm === 'PING') return frame.text;
  return JSON.stringify(frame);
}

// ---------------------------------------------------------------------------------------------------------
// Values (§5)

/** Direction a signed price carries against the previous close. */
export type Direction = 'up' | 'down' | 'flat';

const LEADING_SIGNS = /^[+\-\s]+/;

/**
 * The magnitude of a signed, padded number: `"+70000"` → 70000, `"-00000000196888"` → 196888, `" 67300"` → 67300,
 * `"--335"` → 335. Empty or unreadable → null.
 */
export function magnitude(raw: string | undefined): number | null {
  if (raw === undefined) return null;
  // Hand-rolled rather than trim + regex: this runs for every price and quantity of every REAL item.
  let i = 0;
  const end = raw.length;
  while (i < end) {
    const c = raw.charCodeAt(i);
    if (c !== PLUS && c !== MINUS && c !== SPACE && c !== TAB) break;
    i++;
  }
  if (i === end) return null;
  // Whole numbers (nearly every value) are accumulated digit by digit; anything else goes through Number()
  // after a check that it is plain decimal text (Number() alone would accept "0x1F", "1e3" and "Infinity").
  let n = 0;
  let k = i;
  for (; k < end; k++) {
    const c = raw.charCodeAt(k);
    if (c < ZERO || c > NINE) break;
    n = n * 10 + (c - ZERO);
  }
  if (k === end) return n <= Number.MAX_SAFE_INTEGER ? n : null;
  const body = raw.slice(i).trim();
  return PLAIN_DECIMAL.test(body) ? Number(body) : null;
}

const PLAIN_DECIMAL = /^(\d+(\.\d*)?|\.\d+)$/;

const PLUS = 43;
const MINUS = 45;
const SPACE = 32;
const TAB = 9;
const ZERO = 48;
const NINE = 57;

/** An arithmetic signed number (FID 11, 12, REST P&L): `"-00000100"` → −100, `"--335"` → −335. */
export function signedNumber(raw: string | undefined): number | null {
  const size = magnitude(raw);
  if (size === null) return null;
  return raw!.trim().startsWith('-') ? -size : size;
}

/** The direction a price FID's sign says: `+` above previous close, `-` below, none unchanged (§5.2). */
export function directionOf(raw: string | undefined): Direction {
  const t = raw?.trim() ?? '';
  if (t.startsWith('+')) return 'up';
  if (t.startsWith('-')) return 'down';
  return 'flat';
}

/** The sign a price travels with on the wire: `+70000`, `-69900`, `70000`. */
export function signedPrice(price: number, prevClose: number): string {
  if (price > prevClose) return `+${price}`;
  if (price < prevClose) return `-${price}`;
  return String(price);
}

/** An arithmetic value with its sign: `+50`, `-50`, `0`. */
export function signedText(value: number, digits = 0): string {
  const body = Math.abs(value).toFixed(digits);
  if (value > 0) return `+${body}`;
  if (value < 0) return `-${body}`;
  return body;
}

/** Zero-padded fixed width with the sign in front, as REST account TRs send it: (−196888, 15) → `-00000000196888`. */
export function padded(value: number, width: number): string {
  const digits = String(Math.round(Math.abs(value)));
  if (value < 0) return `-${digits.padStart(width - 1, '0')}`;
  return digits.padStart(width, '0');
}

/**
 * Exact decimal text for balance events from a padded broker number: `"000000000124500"` → `"124500"`,
 * `"-00000100"` → `"-100"`, `"0.00"` → `"0.00"`. Null when unreadable.
 */
export function decimalText(raw: string | undefined): string | null {
  if (raw === undefined) return null;
  const t = raw.trim();
  const negative = t.startsWith('-');
  const body = t.replace(LEADING_SIGNS, '');
  const match = /^(\d+)(\.\d+)?$/.exec(body);
  if (!match) return null;
  const whole = match[1]!.replace(/^0+(?=\d)/, '');
  const text = `${whole}${match[2] ?? ''}`;
  return negative && /[1-9]/.test(text) ? `-${text}` : text;
}

// ---------------------------------------------------------------------------------------------------------
// Codes (§1, §5.7)

/** KRX codes: six characters, the first a digit (alphanumeric codes exist since 2024). */
const KRX_CODE = /^[0-9][0-9A-Z]{5}$/;
/** A leading A (stock), J (ELW) or Q (ETN) on a seven-character code (§5.7). */
const CLASS_PREFIX = /^[AJQ](?=[0-9][0-9A-Z]{5}$)/;
/** Exchange suffixes: NXT and SOR routes of the same listing. */
const EXCHANGE_SUFFIX = /_(NX|AL)$/;

/**
 * The KRX symbol for any spelling Kiwoom uses.
 * @example symbolFromCode('A005930')   // 'KRX:005930'
 * @example symbolFromCode('005930_NX') // 'KRX:005930'
 * @example symbolFromCode('bogus')     // null
 */
export function symbolFromCode(raw: string | undefined): SymbolId | null {
  if (raw === undefined) return null;
  // Every REAL item names its code; the same few hundred codes repeat, so remember the answers.
  const known = symbolCache.get(raw);
  if (known !== undefined) return known;
  const code = raw.trim().replace(EXCHANGE_SUFFIX, '').replace(CLASS_PREFIX, '');
  const symbol = KRX_CODE.test(code) ? formatSymbol('KRX', code) : null;
  if (symbolCache.size >= SYMBOL_CACHE_SIZE) symbolCache.clear();
  symbolCache.set(raw, symbol);
  return symbol;
}

/** KRX lists ~2,700 codes, ×3 spellings (bare, A-prefixed, _NX/_AL); junk input flushes it rather than growing it. */
const SYMBOL_CACHE_SIZE = 10_000;
const symbolCache = new Map<string, SymbolId | null>();

export type KiwoomExchange = 'KRX' | 'NXT' | 'SOR';

/**
 * The code Kiwoom expects for a symbol on an exchange route: `KRX:005930` → `005930`, `005930_NX`, `005930_AL`.
 * Null when the symbol is not a KRX listing.
 */
export function codeFromSymbol(symbol: SymbolId, exchange: KiwoomExchange = 'KRX'): string | null {
  if (!symbol.startsWith('KRX:')) return null;
  const code = symbol.slice(4);
  if (!KRX_CODE.test(code)) return null;
  if (exchange === 'NXT') return `${code}_NX`;
  if (exchange === 'SOR') return `${code}_AL`;
  return code;
}

/** The class-prefixed form REST balance and condition rows use: `KRX:005930` → `A005930`. */
export function prefixedCode(symbol: SymbolId): string {
  return `A${symbol.slice(symbol.indexOf(':') + 1)}`;
}

// ---------------------------------------------------------------------------------------------------------
// Time (§2.1, §5.9): the broker speaks KST (UTC+9, no daylight saving).

export const KST_OFFSET_MS = 9 * 3_600_000;
const DAY_MS = 86_400_000;
/** An `HHmmss` later than receipt by more than this is yesterday's (a frame stamped 23:59:59 read at 00:00:01). */
const FUTURE_TOLERANCE_MS = 12 * 3_600_000;

/** `YYYYMMDDHHmmss` in KST → epoch ms; null when malformed. `20241107083713` → 2024-11-06T23:37:13Z. */
export function kstDateTimeToEpoch(text: string): number | null {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return null;
  return Date.UTC(y, mo - 1, d, h, mi, s) - KST_OFFSET_MS;
}

/** Epoch ms → `YYYYMMDDHHmmss` in KST. */
export function epochToKstDateTime(epochMs: number): string {
  const d = new Date(epochMs + KST_OFFSET_MS);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}${two(d.getUTCMonth() + 1)}${two(d.getUTCDate())}${two(d.getUTCHours())}${two(d.getUTCMinutes())}${two(d.getUTCSeconds())}`;
}

function twoDigits(text: string, at: number): number {
  return (text.charCodeAt(at) - ZERO) * 10 + (text.charCodeAt(at + 1) - ZERO);
}

/** Epoch ms → `HHmmss` in KST, as FID 20/21/908 carry it. */
export function epochToKstTime(epochMs: number): string {
  return epochToKstDateTime(epochMs).slice(8);
}

/**
 * An `HHmmss` KST time of day → epoch ms on the KST date of `referenceMs` (the receipt time), stepping back a
 * day when that would put it far in the future. Null when malformed.
 */
export function kstTimeToEpoch(hhmmss: string | undefined, referenceMs: number): number | null {
  const t = hhmmss?.trim() ?? '';
  if (t.length !== 6) return null;
  for (let k = 0; k < 6; k++) {
    const c = t.charCodeAt(k);
    if (c < ZERO || c > NINE) return null;
  }
  const h = twoDigits(t, 0);
  const mi = twoDigits(t, 2);
  const s = twoDigits(t, 4);
  if (h > 23 || mi > 59 || s > 59) return null;
  const kstMidnight = Math.floor((referenceMs + KST_OFFSET_MS) / DAY_MS) * DAY_MS - KST_OFFSET_MS;
  const at = kstMidnight + ((h * 60 + mi) * 60 + s) * 1000;
  return at - referenceMs > FUTURE_TOLERANCE_MS ? at - DAY_MS : at;
}
