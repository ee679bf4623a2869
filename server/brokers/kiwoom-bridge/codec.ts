/**
 * The KiwoomServer bridge's wire format, both directions (protocol reference §8, §11.5): the REST wrapper
 * `{Success, Message, Data}` and the socket frames `{type, code, timestamp, data}`. Pure functions, no I/O, so the
 * simulator encodes with the same code the adapter decodes with, and the bridge-compatible API Sise will serve
 * (issue 6 item 3) can reuse the encoders.
 */

/** KST is UTC+9 all year (no DST), so a fixed offset converts the bridge's local-time stamps exactly. */
const KST_OFFSET_MS = 9 * 3_600_000;

/** The REST wrapper every `/api/*` route answers with (Newtonsoft PascalCase, §8.1). */
export interface BridgeEnvelope<T = unknown> {
  Success: boolean;
  Message: string;
  Data: T;
}

export function encodeEnvelope<T>(success: boolean, message: string, data: T): string {
  const envelope: BridgeEnvelope<T> = { Success: success, Message: message, Data: data };
  return JSON.stringify(envelope);
}

export function ok<T>(data: T): string {
  return encodeEnvelope(true, 'OK', data);
}

export function fail(message: string): string {
  return encodeEnvelope(false, message, null);
}

/** Reads a wrapper; null when the text is not JSON or lacks the wrapper's `Success`/`Message` fields. */
export function decodeEnvelope(text: string): BridgeEnvelope | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isRecord(parsed) || typeof parsed.Success !== 'boolean') return null;
  return { Success: parsed.Success, Message: typeof parsed.Message === 'string' ? parsed.Message : '', Data: parsed.Data ?? null };
}

/** Well-known messages of the wrapper (§8.1, §11.5), shared so the simulator and adapter cannot drift apart. */
export const MESSAGE = {
  ok: 'OK',
  notLoggedIn: 'Not Logged In',
  loginTimeout: 'Login Timeout',
  notFound: 'Not Found',
  orderSent: 'Order Sent',
  orderFailedPrefix: 'Order Failed: ',
} as const;

// ---- socket frames ------------------------------------------------------------------------------------------

/** `/ws/realtime` tick data; empty values are omitted by the bridge, so everything is optional on the wire. */
export interface TickData {
  time?: string;
  current_price?: number;
  diff?: number;
  rate?: number;
  volume?: number;
  cum_volume?: number;
  cum_turnover_million?: number;
  open?: number;
  high?: number;
  low?: number;
  intensity?: number;
}

/** `/ws/realtime` hoga data: `ask_price_1..5`, `ask_vol_1..5`, `bid_price_1..5`, `bid_vol_1..5` and totals. */
export type HogaData = Record<string, number | undefined> & {
  total_ask_vol?: number;
  total_bid_vol?: number;
  current_price?: number;
};

export interface ConditionData {
  condition_name: string;
  condition_index: number;
  state: 'enter' | 'exit';
}

/** `/ws/execution` data: `gubun` and OpenAPI+ chejan FIDs as trimmed strings. */
export type ChejanData = Record<string, string> & { gubun: string };

export type BridgeFrame =
  | { type: 'tick'; code: string; timestamp: string; data: TickData }
  | { type: 'hoga'; code: string; timestamp: string; data: HogaData }
  | { type: 'condition'; code: string; timestamp: string; data: ConditionData }
  | { type: 'order'; timestamp: string; data: ChejanData }
  | { type: 'balance'; timestamp: string; data: ChejanData }
  | { type: 'dashboard'; timestamp: string; data: Record<string, unknown> };

export type DecodedFrame =
  | { kind: 'frame'; frame: BridgeFrame }
  /** Valid JSON of the standard shape, with a `type` this build does not know (raw real-type names, `unknown`). */
  | { kind: 'unknown'; type: string }
  | { kind: 'malformed'; reason: string };

export function encodeFrame(frame: BridgeFrame): string {
  return JSON.stringify(frame);
}

const CODE_TYPES = new Set(['tick', 'hoga', 'condition']);
const ACCOUNT_TYPES = new Set(['order', 'balance', 'dashboard']);

/** Decodes one socket text frame; never throws. */
export function decodeFrame(text: string): DecodedFrame {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { kind: 'malformed', reason: 'not JSON' };
  }
  if (!isRecord(parsed)) return { kind: 'malformed', reason: 'not a JSON object' };
  const { type, code, timestamp, data } = parsed;
  if (typeof type !== 'string') return { kind: 'malformed', reason: 'no "type"' };
  if (!CODE_TYPES.has(type) && !ACCOUNT_TYPES.has(type)) return { kind: 'unknown', type };
  if (typeof timestamp !== 'string' || !isRecord(data)) return { kind: 'malformed', reason: `${type} without timestamp or data` };
  if (CODE_TYPES.has(type)) {
    if (typeof code !== 'string' || code === '') return { kind: 'malformed', reason: `${type} without code` };
    if (type === 'condition') {
      const { condition_name, condition_index, state } = data;
      if (typeof condition_name !== 'string' || typeof condition_index !== 'number' || (state !== 'enter' && state !== 'exit')) {
        return { kind: 'malformed', reason: 'condition data incomplete' };
      }
      return { kind: 'frame', frame: { type, code, timestamp, data: { condition_name, condition_index, state } } };
    }
    for (const value of Object.values(data)) {
      // The bridge writes numbers for tick/hoga fields; `time` is the one raw string (FID 20).
      if (typeof value !== 'number' && typeof value !== 'string') return { kind: 'malformed', reason: `${type} data holds a non-scalar` };
    }
    return { kind: 'frame', frame: { type, code, timestamp, data } as BridgeFrame };
  }
  if (type === 'dashboard') return { kind: 'frame', frame: { type, timestamp, data } };
  if (typeof data.gubun !== 'string') return { kind: 'malformed', reason: `${type} without gubun` };
  const chejan: Record<string, string> = {};
  for (const [key, value] of Object.entries(data)) {
    if (typeof value !== 'string') return { kind: 'malformed', reason: `${type} FID ${key} is not a string` };
    chejan[key] = value;
  }
  return { kind: 'frame', frame: { type: type as 'order' | 'balance', timestamp, data: chejan as ChejanData } };
}

// ---- time ---------------------------------------------------------------------------------------------------

/** `yyyyMMddHHmmss` in KST → epoch ms; null when the text is not such a stamp. */
export function kstStampToEpoch(stamp: string): number | null {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(stamp);
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  const utc = Date.UTC(y, mo - 1, d, h, mi, s);
  return Number.isNaN(utc) ? null : utc - KST_OFFSET_MS;
}

/** Epoch ms → `yyyyMMddHHmmss` in KST, the bridge's `timestamp` (server local time, seconds). */
export function epochToKstStamp(epochMs: number): string {
  const d = new Date(epochMs + KST_OFFSET_MS);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(d.getUTCFullYear(), 4)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`;
}

/** The `HHmmss` part, as FID 20 / FID 908 carry it. */
export function epochToKstTime(epochMs: number): string {
  return epochToKstStamp(epochMs).slice(8);
}

// ---- OpenAPI+ raw values ------------------------------------------------------------------------------------

/**
 * OpenAPI+ numeric strings: trimmed, maybe zero-padded, maybe with a `+`/`-` that is a direction mark for prices.
 * Returns the signed number; null for empty or non-numeric text.
 */
export function rawNumber(text: string | undefined): number | null {
  if (text === undefined) return null;
  const t = text.trim().replace(/,/g, '');
  if (!/^[+-]?\d+(\.\d+)?$/.test(t)) return null;
  return Number(t);
}

/** A code as OpenAPI+ may write it (`A005930` in chejan FID 9001, §11.5 note): the six-digit KRX code. */
export function plainCode(text: string): string | null {
  const m = /^[A-Z]?(\d{6})$/.exec(text.trim());
  return m ? m[1]! : null;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
