/**
 * KIS WebSocket wire format, both directions (protocols/kis.md §3–§4). Pure: no sockets, no timers. The adapter
 * decodes with it and the simulator encodes with it, so a change here is proven on both sides by the tests.
 *
 * Server → client text frames are of three kinds, told apart by the first character (§3.3):
 *   `0|H0STCNT0|003|005930^090001^70000^…`   plain data, 3 records joined by `^`
 *   `1|H0STCNI0|001|KKvmKbO2Nm4n…`           AES-256-CBC + base64 data (execution notices)
 *   `{"header":{…},"body":{…}}`             acknowledgements, errors, and PINGPONG (no body)
 */
import { createCipheriv, createDecipheriv, type Decipher } from 'node:crypto';
import { DOCUMENTED_WIDTH, isDataTrId, type KisDataTrId, TR_PINGPONG } from './layouts';

export type KisCodecErrorCode =
  | 'BAD_FRAME'
  | 'BAD_COUNT'
  | 'TRUNCATED'
  | 'UNKNOWN_TR'
  | 'DECRYPT_FAILED'
  | 'BAD_JSON'
  | 'BAD_CONTROL'
  | 'BAD_RECORD';

/** Every failure of the codec is one of these; the adapter logs it and keeps the session. */
export class KisCodecError extends Error {
  override readonly name = 'KisCodecError';
  constructor(
    readonly code: KisCodecErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Longest frame text quoted in an error message: enough to recognise it, short enough for a log line. */
const ERROR_SNIPPET_CHARS = 80;
/** `count` is three zero-padded digits on the wire (§3.6). */
const COUNT_DIGITS = 3;
const MAX_COUNT = 10 ** COUNT_DIGITS - 1;

function snippet(text: string): string {
  return JSON.stringify(text.length > ERROR_SNIPPET_CHARS ? `${text.slice(0, ERROR_SNIPPET_CHARS)}…` : text);
}

// ---------------------------------------------------------------------------------------------------------------
// Server → client

/** A data frame's envelope; the payload is still ciphertext when `encrypted`. */
export interface KisDataEnvelope {
  kind: 'data';
  encrypted: boolean;
  trId: KisDataTrId;
  count: number;
  payload: string;
}

/** Subscribe/unsubscribe acknowledgement or error (§3.4). */
export interface KisAck {
  kind: 'ack';
  trId: string | null;
  trKey: string | null;
  /** `header.encrypt`: "Y" for notice TRs. */
  encrypt: boolean | null;
  rtCd: string;
  msgCd: string;
  msg1: string;
  iv: string | null;
  key: string | null;
}

/** The application keep-alive; the reply is `raw`, echoed byte for byte (§3.5). */
export interface KisPingPong {
  kind: 'pingpong';
  raw: string;
  datetime: string | null;
}

export type KisServerMessage = KisDataEnvelope | KisAck | KisPingPong;

/**
 * Classifies one server text frame. Data frames are split on their first three `|` only; the payload is not
 * touched (decryption and record splitting are separate steps, so a control message never pays for them).
 * @throws KisCodecError
 */
export function parseServerMessage(text: string): KisServerMessage {
  const first = text.charCodeAt(0);
  if (first === 0x30 /* 0 */ || first === 0x31 /* 1 */) return parseDataEnvelope(text);
  if (first === 0x7b /* { */) return parseControl(text);
  throw new KisCodecError('BAD_FRAME', `not a KIS frame (expects 0|, 1| or JSON): ${snippet(text)}`);
}

function parseDataEnvelope(text: string): KisDataEnvelope {
  // `0|H0STCNT0|003|…` — the payload itself never contains `|`.
  const a = text.indexOf('|');
  const b = a === -1 ? -1 : text.indexOf('|', a + 1);
  const c = b === -1 ? -1 : text.indexOf('|', b + 1);
  if (a !== 1 || c === -1) throw new KisCodecError('BAD_FRAME', `data frame without enc|tr_id|count|payload: ${snippet(text)}`);
  const trId = text.slice(a + 1, b);
  if (!isDataTrId(trId)) throw new KisCodecError('UNKNOWN_TR', `unknown real-time TR ${JSON.stringify(trId)}`);
  const countText = text.slice(b + 1, c);
  const count = parseCount(countText);
  if (count === null) {
    throw new KisCodecError('BAD_COUNT', `record count ${JSON.stringify(countText)} is not ${COUNT_DIGITS} digits from 001 in ${trId}`);
  }
  return { kind: 'data', encrypted: text.charCodeAt(0) === 0x31, trId, count, payload: text.slice(c + 1) };
}

function parseCount(text: string): number | null {
  if (text.length !== COUNT_DIGITS) return null;
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const d = text.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9) return null;
    n = n * 10 + d;
  }
  return n >= 1 ? n : null;
}

function parseControl(text: string): KisAck | KisPingPong {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new KisCodecError('BAD_JSON', `control message is not JSON: ${snippet(text)}`);
  }
  if (!isObject(json)) throw new KisCodecError('BAD_CONTROL', `control message is not an object: ${snippet(text)}`);
  const header = isObject(json.header) ? json.header : null;
  const body = isObject(json.body) ? json.body : null;
  // {"header":{"tr_id":"PINGPONG","datetime":"20260605093000"}} — no body (§3.5).
  if (header?.tr_id === TR_PINGPONG && body === null) {
    return { kind: 'pingpong', raw: text, datetime: typeof header.datetime === 'string' ? header.datetime : null };
  }
  if (body === null || typeof body.rt_cd !== 'string') {
    throw new KisCodecError('BAD_CONTROL', `control message without body.rt_cd: ${snippet(text)}`);
  }
  const output = isObject(body.output) ? body.output : null;
  return {
    kind: 'ack',
    trId: str(header?.tr_id),
    trKey: str(header?.tr_key),
    encrypt: header && typeof header.encrypt === 'string' ? header.encrypt === 'Y' : null,
    rtCd: body.rt_cd,
    msgCd: str(body.msg_cd) ?? '',
    msg1: str(body.msg1) ?? '',
    iv: str(output?.iv),
    key: str(output?.key),
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** The AES key and iv of an encrypted TR, as the ack's `output.key`/`output.iv` text. */
export interface KisCipherKey {
  key: string;
  iv: string;
}

/**
 * A decoded data frame: `fields` is the whole payload split on `^`, and record `i` is
 * `fields[i * width … (i + 1) * width)`. Kept flat so the hot path allocates one array per frame, not per record.
 */
export interface KisDataFrame {
  trId: KisDataTrId;
  count: number;
  /** Fields per record on the wire; may exceed the documented width (extra fields are kept, §3.6 rule 4). */
  width: number;
  fields: string[];
}

/**
 * Decrypts if needed and splits the payload into `count` records of equal width, the width taken from the field
 * count — never a fixed stride — so undocumented extra fields neither break nor shift later records (§7.2).
 * @throws KisCodecError
 */
export function decodeData(envelope: KisDataEnvelope, cipher?: KisCipherKey | null): KisDataFrame {
  let payload = envelope.payload;
  if (envelope.encrypted) {
    if (!cipher) throw new KisCodecError('DECRYPT_FAILED', `encrypted ${envelope.trId} frame before its key arrived in an ack`);
    payload = decryptPayload(payload, cipher);
  }
  const fields = payload.split('^');
  const { count, trId } = envelope;
  if (fields.length % count !== 0) {
    throw new KisCodecError('TRUNCATED', `${trId}: ${fields.length} fields do not split into ${count} equal records`);
  }
  const width = fields.length / count;
  const documented = DOCUMENTED_WIDTH[trId];
  if (width < documented) {
    throw new KisCodecError('TRUNCATED', `${trId}: records of ${width} fields, the layout has ${documented}`);
  }
  return { trId, count, width, fields };
}

/** Both steps at once. @throws KisCodecError */
export function decodeDataFrame(text: string, cipher?: KisCipherKey | null): KisDataFrame {
  const message = parseServerMessage(text);
  if (message.kind !== 'data') throw new KisCodecError('BAD_FRAME', `expected a data frame, got ${message.kind}`);
  return decodeData(message, cipher);
}

/** Record `i` of a frame as its own array (tests, simulator checks; the adapter reads `fields` in place). */
export function recordOf(frame: KisDataFrame, i: number): string[] {
  return frame.fields.slice(i * frame.width, (i + 1) * frame.width);
}

export function recordsOf(frame: KisDataFrame): string[][] {
  const out: string[][] = [];
  for (let i = 0; i < frame.count; i++) out.push(recordOf(frame, i));
  return out;
}

/** AES-256 needs a 32-byte key; the ack's key is 32 ASCII letters used as bytes (§4). */
const AES_KEY_BYTES = 32;
/** CBC's iv is one 16-byte block: the ack's 16 characters as bytes, not hex-decoded (§4). */
const AES_IV_BYTES = 16;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function cipherBytes(cipher: KisCipherKey): { key: Buffer; iv: Buffer } {
  const key = Buffer.from(cipher.key, 'utf8');
  const iv = Buffer.from(cipher.iv, 'utf8');
  if (key.length !== AES_KEY_BYTES || iv.length !== AES_IV_BYTES) {
    throw new KisCodecError('DECRYPT_FAILED', `AES key/iv must be ${AES_KEY_BYTES}/${AES_IV_BYTES} bytes, got ${key.length}/${iv.length}`);
  }
  return { key, iv };
}

/**
 * AES-256-CBC, PKCS#7, base64 → UTF-8 text (§4).
 *
 * KIS uses one key and one iv for every notice of a session, and a fresh `createDecipheriv` per frame costs more
 * than the decryption itself (measured: about half the time per 128-byte notice without it). CBC decryption is block-wise ECB decryption XORed with the
 * previous ciphertext block (the iv for the first), and ECB keeps no state between blocks, so one ECB decipher
 * per key is reused for every frame and the chaining and padding are done here.
 * @example decryptPayload('EzTNGZli6egBWTPHt8ySZQ==', { key: 'abcdefghijklmnopqrstuvwxyzabcdef', iv: '0123456789abcdef' }) // ''
 * @throws KisCodecError('DECRYPT_FAILED')
 */
export function decryptPayload(base64: string, cipher: KisCipherKey): string {
  const { decipher, iv } = ecbFor(cipher);
  if (!BASE64.test(base64) || base64.length % 4 !== 0) {
    throw new KisCodecError('DECRYPT_FAILED', `encrypted payload is not base64: ${snippet(base64)}`);
  }
  const data = Buffer.from(base64, 'base64');
  const n = data.length;
  if (n === 0 || n % AES_IV_BYTES !== 0) {
    throw new KisCodecError('DECRYPT_FAILED', `ciphertext of ${n} bytes is not whole AES blocks`);
  }
  const plain = decipher.update(data);
  if (plain.length !== n) throw new KisCodecError('DECRYPT_FAILED', `AES returned ${plain.length} of ${n} bytes`);
  for (let i = 0; i < AES_IV_BYTES; i++) plain[i]! ^= iv[i]!;
  for (let i = AES_IV_BYTES; i < n; i++) plain[i]! ^= data[i - AES_IV_BYTES]!;
  // PKCS#7: the last byte says how many bytes of padding, each holding that same value.
  const pad = plain[n - 1]!;
  let valid = pad >= 1 && pad <= AES_IV_BYTES;
  for (let i = n - pad; valid && i < n; i++) valid = plain[i] === pad;
  if (!valid) throw new KisCodecError('DECRYPT_FAILED', 'cannot decrypt: bad padding (wrong key or iv, or corrupted data)');
  return plain.toString('utf8', 0, n - pad);
}

/** Sessions (and so keys) alive at once are one or two; a bound keeps a key-churning peer from growing this. */
const MAX_CACHED_KEYS = 16;
const ecbDeciphers = new Map<string, { decipher: Decipher; iv: Buffer }>();

function ecbFor(cipher: KisCipherKey): { decipher: Decipher; iv: Buffer } {
  const id = `${cipher.key}\n${cipher.iv}`;
  let entry = ecbDeciphers.get(id);
  if (!entry) {
    const { key, iv } = cipherBytes(cipher);
    if (ecbDeciphers.size >= MAX_CACHED_KEYS) ecbDeciphers.clear();
    entry = { decipher: createDecipheriv('aes-256-ecb', key, null).setAutoPadding(false), iv };
    ecbDeciphers.set(id, entry);
  }
  return entry;
}

/** The simulator's side of decryptPayload. */
export function encryptPayload(plain: string, cipher: KisCipherKey): string {
  const { key, iv } = cipherBytes(cipher);
  const c = createCipheriv('aes-256-cbc', key, iv);
  return Buffer.concat([c.update(plain, 'utf8'), c.final()]).toString('base64');
}

// ---------------------------------------------------------------------------------------------------------------
// Server frames, encoded (the simulator's side)

/**
 * `0|H0STCNT0|003|r1f1^…^r3f46`; with a cipher, `1|…|base64(AES(payload))`.
 * @throws KisCodecError when records differ in width or there are none / too many for three digits.
 */
export function encodeDataFrame(trId: KisDataTrId, records: ReadonlyArray<readonly string[]>, cipher?: KisCipherKey | null): string {
  if (records.length < 1 || records.length > MAX_COUNT) {
    throw new KisCodecError('BAD_COUNT', `a frame carries 1 to ${MAX_COUNT} records, got ${records.length}`);
  }
  const width = records[0]!.length;
  if (records.some((r) => r.length !== width)) throw new KisCodecError('BAD_RECORD', 'records in one frame must have equal width');
  const payload = records.map((r) => r.join('^')).join('^');
  const count = String(records.length).padStart(COUNT_DIGITS, '0');
  return cipher ? `1|${trId}|${count}|${encryptPayload(payload, cipher)}` : `0|${trId}|${count}|${payload}`;
}

export interface AckFields {
  trId: string | null;
  trKey: string | null;
  /** Present only on successful registrations (the captures of errors carry no `encrypt`). */
  encrypt?: boolean;
  rtCd: string;
  msgCd: string;
  msg1: string;
  cipher?: KisCipherKey;
}

/**
 * In the captured field order (§10.4):
 * `{"header":{"tr_id":"H0STASP0","tr_key":"005930","encrypt":"N"},"body":{"rt_cd":"0","msg_cd":"OPSP0000","msg1":"SUBSCRIBE SUCCESS","output":{"iv":"…","key":"…"}}}`
 */
export function encodeAck(ack: AckFields): string {
  const header: Record<string, string> = {};
  if (ack.trId !== null) header.tr_id = ack.trId;
  if (ack.trKey !== null) header.tr_key = ack.trKey;
  if (ack.encrypt !== undefined) header.encrypt = ack.encrypt ? 'Y' : 'N';
  const body: Record<string, unknown> = { rt_cd: ack.rtCd, msg_cd: ack.msgCd, msg1: ack.msg1 };
  if (ack.cipher) body.output = { iv: ack.cipher.iv, key: ack.cipher.key };
  return JSON.stringify(ack.trId === null && ack.trKey === null ? { body } : { header, body });
}

/** `{"header":{"tr_id":"PINGPONG","datetime":"20260605093000"}}` */
export function encodePingPong(datetime: string): string {
  return JSON.stringify({ header: { tr_id: TR_PINGPONG, datetime } });
}

/** Control codes (§3.4) with the texts the service sends. */
export const MSG = {
  SUBSCRIBED: { rtCd: '0', msgCd: 'OPSP0000', msg1: 'SUBSCRIBE SUCCESS' },
  UNSUBSCRIBED: { rtCd: '0', msgCd: 'OPSP0001', msg1: 'UNSUBSCRIBE SUCCESS' },
  ALREADY_SUBSCRIBED: { rtCd: '1', msgCd: 'OPSP0002', msg1: 'ALREADY IN SUBSCRIBE' },
  NOT_SUBSCRIBED: { rtCd: '1', msgCd: 'OPSP0003', msg1: 'UNSUBSCRIBE ERROR(not found!)' },
  LIMIT: { rtCd: '1', msgCd: 'OPSP0008', msg1: 'MAX SUBSCRIBE OVER' },
  INVALID_APPROVAL: { rtCd: '1', msgCd: 'OPSP0011', msg1: 'invalid approval : ' },
  APPKEY_IN_USE: { rtCd: '9', msgCd: 'OPSP8996', msg1: 'ALREADY IN USE appkey' },
} as const;

// ---------------------------------------------------------------------------------------------------------------
// Client → server

/** `"1"` registers, `"2"` unregisters (§3.2; `"0"` in some docstrings is not what the service uses). */
export type KisTrType = '1' | '2';

export interface KisSubscribeRequest {
  approvalKey: string;
  custtype: 'P' | 'B';
  trType: KisTrType;
  trId: string;
  trKey: string;
}

/**
 * Exactly §10.6:
 * `{"header":{"approval_key":"08b3…","custtype":"P","tr_type":"1","content-type":"utf-8"},"body":{"input":{"tr_id":"H0STCNT0","tr_key":"005930"}}}`
 */
export function encodeSubscribeRequest(request: KisSubscribeRequest): string {
  return JSON.stringify({
    header: { approval_key: request.approvalKey, custtype: request.custtype, tr_type: request.trType, 'content-type': 'utf-8' },
    body: { input: { tr_id: request.trId, tr_key: request.trKey } },
  });
}

/**
 * The simulator's reading of a client message. The service parses JSON, not bytes: official clients send both
 * compact and spaced JSON (§3.2).
 * @throws KisCodecError('BAD_JSON' | 'BAD_CONTROL')
 */
export function parseSubscribeRequest(text: string): KisSubscribeRequest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new KisCodecError('BAD_JSON', `request is not JSON: ${snippet(text)}`);
  }
  if (!isObject(json) || !isObject(json.header) || !isObject(json.body) || !isObject(json.body.input)) {
    throw new KisCodecError('BAD_CONTROL', `request without header and body.input: ${snippet(text)}`);
  }
  const { header } = json;
  const input = json.body.input;
  const approvalKey = str(header.approval_key);
  const trType = str(header.tr_type);
  const trId = str(input.tr_id);
  const trKey = str(input.tr_key);
  const custtype = str(header.custtype) ?? 'P';
  if (approvalKey === null || trId === null || trKey === null || (trType !== '1' && trType !== '2')) {
    throw new KisCodecError('BAD_CONTROL', `request needs approval_key, tr_type "1"|"2", tr_id and tr_key: ${snippet(text)}`);
  }
  if (custtype !== 'P' && custtype !== 'B') throw new KisCodecError('BAD_CONTROL', `custtype must be P or B, got ${custtype}`);
  return { approvalKey, custtype, trType, trId, trKey };
}
