/**
 * The venue's binary messages (bo-binary.md §1–3, §7–9): pure functions between bytes and typed messages, in
 * both directions, so the adapter decodes what the simulator encodes with the same tables. No I/O.
 *
 * Every message starts with the same 4-byte header (§1):
 *   48 00 8F 00 …   Data1 = message-type char 'H', Data2 = 0x00 (reserved), Data3 = total length 143, uint16 LE
 * and continues with fixed-width fields, packed without alignment, integers and doubles little-endian (the
 * README dumps and both libraries; the vendor's "network order" sentence is wrong, §10.1). Strings are ASCII,
 * NUL-padded on encode (too long is truncated, as Python's `s` packing does) and cut at the first NUL on
 * decode. Every 8-byte integer is a bigint: SendingTime in ns (~1.7e18) does not fit a double.
 *
 * Two messages have two lengths in the sources (§10.2–3): `T` is 250 bytes in the library and 238 in the
 * vendor's documents and the Java library; `Y` is 64 (4-byte RejectReason) or 62. Decoding picks the layout
 * by Data3; encoding uses the library's length (TRANSACTION_LENGTH, INSTRUMENT_REQUEST_LENGTH) unless the
 * message says otherwise in `wireLength`.
 */

export const HEADER_LENGTH = 4;

/** `T` as the library (python-bo-socket ≥ 4964b83, the README's version) encodes it. */
export const TRANSACTION_LENGTH_LIBRARY = 250;
/** `T` as the vendor's order-sending page and the Java library (MessageLen 238) lay it out. */
export const TRANSACTION_LENGTH_DOC = 238;
/** What we send: the library's length, because the example servers and the README are that version. */
export const TRANSACTION_LENGTH = TRANSACTION_LENGTH_LIBRARY;

/** `Y` with the 4-byte RejectReason of the library and the Java code. */
export const INSTRUMENT_REQUEST_LENGTH_LIBRARY = 64;
/** `Y` as the vendor's session-management table lays it out (2-byte RejectReason). */
export const INSTRUMENT_REQUEST_LENGTH_DOC = 62;
/** What we send: the library's length, for the same reason as TRANSACTION_LENGTH. */
export const INSTRUMENT_REQUEST_LENGTH = INSTRUMENT_REQUEST_LENGTH_LIBRARY;

type Kind = 'char' | 'str' | 'u8' | 'u16' | 'i16' | 'u32' | 'i32' | 'u64' | 'i64' | 'f64';
type Field = readonly [name: string, kind: Kind, size?: number];

const SIZE: Record<Exclude<Kind, 'str'>, number> = { char: 1, u8: 1, u16: 2, i16: 2, u32: 4, i32: 4, u64: 8, i64: 8, f64: 8 };

export interface LogonMessage {
  type: 'H';
  logonType: number;
  account: number;
  twoFA: string;
  userName: string;
  tradingSessionId: number;
  primaryOrderEntryIp: string;
  secondaryOrderEntryIp: string;
  primaryMarketDataIp: string;
  secondaryMarketDataIp: string;
  sendingTime: bigint;
  lastSeqNum: number;
  key: number;
  loginStatus: number;
  rejectReason: number;
  riskMaster: string;
}

export interface InstrumentRequestMessage {
  type: 'Y';
  /** 64 (library) or 62 (vendor doc); absent → INSTRUMENT_REQUEST_LENGTH. */
  wireLength?: number;
  messageType: number;
  rejectReason: number;
  account: number;
  requestType: number;
  key: number;
  symbolName: string;
  symbolType: number;
  symbolEnum: number;
  tradingSessionId: number;
  sendingTime: bigint;
  msgSeqNum: number;
}

export interface InstrumentMessage {
  type: 'Q';
  messageType: number;
  padding: number;
  responseType: number;
  symbolEnum: number;
  symbolName: string;
  symbolType: number;
  priceIncrement: number;
  minSize: number;
  maxSize: number;
  sendingTime: bigint;
  msgSeqNum: number;
}

export interface RiskUpdateRequestMessage {
  type: 'w';
  messageType: number;
  responseType: number;
  account: number;
  tradingSessionId: number;
  symbolEnum: number;
  key: number;
  msgSeqNum: number;
  sendingTime: bigint;
}

export interface CollateralRequestMessage {
  type: 'f';
  messageType: number;
  updateType: number;
  account: number;
  tradingSessionId: number;
  symbolEnum: number;
  key: number;
  msgSeqNum: number;
  sendingTime: bigint;
}

interface RiskBody {
  messageType: number;
  padding: number;
  userName: string;
  account: number;
  symbolEnum: number;
  leverage: number;
  longPosition: number;
  shortPosition: number;
  longCash: number;
  shortCash: number;
  symbolDisabled: number;
  accountEquity: number;
  instrumentEquity: number;
  executedLongCash: number;
  executedLongPosition: number;
  executedShortCash: number;
  executedShortPosition: number;
  btcEquity: number;
  usdtEquity: number;
  ethEquity: number;
  usdEquity: number;
  flyEquity: number;
  openOrderRequestLimit: number;
  tradingSessionId: number;
  msgSeqNum: number;
}

/** `N`, one per user and symbol: positions, executed cash and the account's equities. */
export interface RiskUserSymbolMessage extends RiskBody {
  type: 'N';
}

/** `h` CollateralData: INFERRED (§8.7) as the `N` layout with Data1 'h' and MessageType 31. */
export interface CollateralDataMessage extends RiskBody {
  type: 'h';
}

export interface OpenOrderRequestMessage {
  type: 'E';
  messageType: number;
  account: number;
  symbolEnum: number;
  symbolName: string;
  tradingSessionId: number;
  sendingTime: bigint;
  msgSeqNum: number;
}

export interface TransactionMessage {
  type: 'T';
  /** 250 (library) or 238 (vendor doc, Java); absent → TRANSACTION_LENGTH. */
  wireLength?: number;
  messageType: number;
  padding: number;
  account: number;
  orderId: bigint;
  symbolEnum: number;
  orderType: number;
  symbolType: number;
  price: number;
  side: number;
  orderQty: number;
  tif: number;
  stopLimitPrice: number;
  symbol: string;
  origOrderId: bigint;
  cancelShares: number;
  execId: bigint;
  execShares: number;
  remainingQuantity: number;
  execFee: number;
  expirationDate: string;
  traderId: string;
  rejectReason: number;
  sendingTime: bigint;
  tradingSessionId: number;
  key: number;
  displaySize: number;
  refreshSize: number;
  layers: number;
  sizeIncrement: number;
  priceIncrement: number;
  priceOffset: number;
  origPrice: number;
  execPrice: number;
  msgSeqNum: bigint;
  takeProfitPrice: number;
  triggerType: number;
  /** Only in the 250-byte layout; 0 when decoded from 238 bytes. */
  secondLegPrice: number;
  routeEnum: number;
  modifyType: number;
  attributes: string;
}

/** INFERRED (§9): Heartbeat '0' and TestRequest '1', 28 bytes. */
export interface HeartbeatMessage {
  type: '0' | '1';
  messageType: number;
  padding: number;
  account: number;
  tradingSessionId: number;
  sendingTime: bigint;
  msgSeqNum: number;
}

/** INFERRED (§9): session-level reject '3' of a non-`T` message, 32 bytes. */
export interface SessionRejectMessage {
  type: '3';
  messageType: number;
  refMsgType: string;
  padding: number;
  rejectReason: number;
  padding2: number;
  account: number;
  tradingSessionId: number;
  sendingTime: bigint;
  refMsgSeqNum: number;
}

export type BoMessage =
  | LogonMessage
  | InstrumentRequestMessage
  | InstrumentMessage
  | RiskUpdateRequestMessage
  | CollateralRequestMessage
  | RiskUserSymbolMessage
  | CollateralDataMessage
  | OpenOrderRequestMessage
  | TransactionMessage
  | HeartbeatMessage
  | SessionRejectMessage;

export type BoMessageType = BoMessage['type'];

const LOGON: Field[] = [
  ['logonType', 'u16'], ['account', 'u32'], ['twoFA', 'str', 6], ['userName', 'str', 6], ['tradingSessionId', 'u32'],
  ['primaryOrderEntryIp', 'str', 24], ['secondaryOrderEntryIp', 'str', 24], ['primaryMarketDataIp', 'str', 24],
  ['secondaryMarketDataIp', 'str', 24], ['sendingTime', 'u64'], ['lastSeqNum', 'u32'], ['key', 'u32'],
  ['loginStatus', 'u16'], ['rejectReason', 'u16'], ['riskMaster', 'char'],
];

const instrumentRequest = (rejectReason: Kind): Field[] => [
  ['messageType', 'u16'], ['rejectReason', rejectReason], ['account', 'u32'], ['requestType', 'u16'], ['key', 'u32'],
  ['symbolName', 'str', 24], ['symbolType', 'u16'], ['symbolEnum', 'u16'], ['tradingSessionId', 'u32'],
  ['sendingTime', 'u64'], ['msgSeqNum', 'u32'],
];

const INSTRUMENT: Field[] = [
  ['messageType', 'u16'], ['padding', 'u16'], ['responseType', 'u16'], ['symbolEnum', 'u16'], ['symbolName', 'str', 24],
  ['symbolType', 'u16'], ['priceIncrement', 'f64'], ['minSize', 'f64'], ['maxSize', 'f64'], ['sendingTime', 'u64'],
  ['msgSeqNum', 'u32'],
];

const requestOf = (second: 'responseType' | 'updateType'): Field[] => [
  ['messageType', 'u16'], [second, 'u16'], ['account', 'u32'], ['tradingSessionId', 'u32'], ['symbolEnum', 'u16'],
  ['key', 'u32'], ['msgSeqNum', 'u32'], ['sendingTime', 'u64'],
];

const RISK: Field[] = [
  ['messageType', 'u16'], ['padding', 'u16'], ['userName', 'str', 6], ['account', 'u32'], ['symbolEnum', 'u16'],
  ['leverage', 'f64'], ['longPosition', 'f64'], ['shortPosition', 'f64'], ['longCash', 'f64'], ['shortCash', 'f64'],
  ['symbolDisabled', 'u8'], ['accountEquity', 'f64'], ['instrumentEquity', 'f64'], ['executedLongCash', 'f64'],
  ['executedLongPosition', 'f64'], ['executedShortCash', 'f64'], ['executedShortPosition', 'f64'], ['btcEquity', 'f64'],
  ['usdtEquity', 'f64'], ['ethEquity', 'f64'], ['usdEquity', 'f64'], ['flyEquity', 'f64'],
  ['openOrderRequestLimit', 'u32'], ['tradingSessionId', 'u32'], ['msgSeqNum', 'u32'],
];

const OPEN_ORDER_REQUEST: Field[] = [
  ['messageType', 'i16'], ['account', 'i32'], ['symbolEnum', 'i16'], ['symbolName', 'str', 12],
  ['tradingSessionId', 'i32'], ['sendingTime', 'i64'], ['msgSeqNum', 'i32'],
];

const transaction = (library: boolean): Field[] => [
  ['messageType', 'u16'], ['padding', 'u16'], ['account', 'u32'], ['orderId', 'u64'], ['symbolEnum', 'u16'],
  ['orderType', 'u16'], ['symbolType', 'u16'], ['price', 'f64'], ['side', 'u16'], ['orderQty', 'f64'], ['tif', 'u16'],
  ['stopLimitPrice', 'f64'], ['symbol', 'str', 12], ['origOrderId', 'u64'], ['cancelShares', 'f64'], ['execId', 'u64'],
  ['execShares', 'f64'], ['remainingQuantity', 'f64'], ['execFee', 'f64'], ['expirationDate', 'str', 12],
  ['traderId', 'str', 6], ['rejectReason', 'u16'], ['sendingTime', 'u64'], ['tradingSessionId', 'i32'], ['key', 'i32'],
  ['displaySize', 'f64'], ['refreshSize', 'f64'], ['layers', 'i16'], ['sizeIncrement', 'f64'], ['priceIncrement', 'f64'],
  ['priceOffset', 'f64'], ['origPrice', 'f64'], ['execPrice', 'f64'], ['msgSeqNum', 'i64'], ['takeProfitPrice', 'f64'],
  ['triggerType', 'u16'],
  ...(library ? ([['secondLegPrice', 'f64'], ['routeEnum', 'u16'], ['modifyType', 'u16']] as Field[]) : []),
  ['attributes', 'str', 12],
];

const HEARTBEAT: Field[] = [
  ['messageType', 'u16'], ['padding', 'u16'], ['account', 'u32'], ['tradingSessionId', 'u32'], ['sendingTime', 'u64'],
  ['msgSeqNum', 'u32'],
];

const SESSION_REJECT: Field[] = [
  ['messageType', 'u16'], ['refMsgType', 'char'], ['padding', 'u8'], ['rejectReason', 'u16'], ['padding2', 'u16'],
  ['account', 'u32'], ['tradingSessionId', 'u32'], ['sendingTime', 'u64'], ['refMsgSeqNum', 'u32'],
];

interface PlacedField {
  name: string;
  kind: Kind;
  offset: number;
  size: number;
}

interface Layout {
  length: number;
  fields: readonly PlacedField[];
  /** Fields absent from this variant, filled with zero on decode so every decoded message has every field. */
  absent: ReadonlyArray<readonly [string, number]>;
}

function layout(fields: readonly Field[], absent: ReadonlyArray<readonly [string, number]> = []): Layout {
  let offset = HEADER_LENGTH;
  const placed = fields.map(([name, kind, size]) => {
    const width = kind === 'str' ? size! : SIZE[kind];
    const field = { name, kind, offset, size: width };
    offset += width;
    return field;
  });
  return { length: offset, fields: placed, absent };
}

type Decoder = (buffer: Buffer) => BoMessage;
type Encoder = (out: Buffer, message: Record<string, unknown>) => void;

/** A layout with its encoder and decoder compiled once (see compile()). */
interface CompiledLayout extends Layout {
  decode: Decoder;
  encode: Encoder;
}

/** Every layout of one message-type char, keyed by Data3, and the length we encode unless told otherwise. */
interface TypeEntry {
  type: BoMessageType;
  layouts: ReadonlyMap<number, CompiledLayout>;
  defaultLength: number;
}

function entry(type: BoMessageType, layouts: Layout[], defaultLength = layouts[0]!.length): TypeEntry {
  const withLength = layouts.length > 1;
  return { type, layouts: new Map(layouts.map((l) => [l.length, compile(type, l, withLength)])), defaultLength };
}

const READ: Record<Exclude<Kind, 'char' | 'str'>, string> = {
  u8: 'readUInt8', u16: 'readUInt16LE', i16: 'readInt16LE', u32: 'readUInt32LE', i32: 'readInt32LE',
  u64: 'readBigUInt64LE', i64: 'readBigInt64LE', f64: 'readDoubleLE',
};

/**
 * Turns a layout into two straight-line functions, one buffer read or write per field, built from the constant
 * tables above (no input reaches the generated source). A generic loop over the field table costs ~10× more
 * per message (bench/bo.ts), and every decoded message of a type gets one object shape, which V8 rewards.
 */
function compile(type: BoMessageType, layout: Layout, withLength: boolean): CompiledLayout {
  const props = [`type: ${JSON.stringify(type)}`];
  if (withLength) props.push(`wireLength: ${layout.length}`);
  const writes: string[] = [];
  for (const { name, kind, offset, size } of layout.fields) {
    const key = JSON.stringify(name);
    if (kind === 'char' || kind === 'str') {
      props.push(`${key}: h.readText(b, ${offset}, ${size})`);
      writes.push(`h.writeText(o, m[${key}], ${offset}, ${size});`);
    } else {
      props.push(`${key}: b.${READ[kind]}(${offset})`);
      writes.push(`h.${kind}(o, m[${key}], ${offset}, ${key});`);
    }
  }
  for (const [name, zero] of layout.absent) props.push(`${JSON.stringify(name)}: ${zero}`);
  const decode = new Function('h', `return function decode(b) { return { ${props.join(', ')} }; };`)(HELPERS) as Decoder;
  const encode = new Function('h', `return function encode(o, m) { ${writes.join(' ')} };`)(HELPERS) as Encoder;
  return { ...layout, decode, encode };
}

function integer(value: unknown, name: string): number {
  const number = value === undefined ? 0 : Number(value);
  if (!Number.isInteger(number)) throw new BoCodecError('PARSE', `${name} must be an integer, got ${String(value)}`);
  return number;
}

function bigintOf(value: unknown): bigint {
  return typeof value === 'bigint' ? value : BigInt(Math.trunc(Number(value ?? 0)));
}

/** What the generated functions call: one small function per field kind, all monomorphic. */
const HELPERS = {
  readText(buffer: Buffer, offset: number, size: number): string {
    let end = offset;
    const limit = offset + size;
    while (end < limit && buffer[end] !== 0) end++;
    return end === offset ? '' : buffer.toString('latin1', offset, end);
  },
  writeText(out: Buffer, value: unknown, offset: number, size: number): void {
    // Python's `s` packing: ASCII bytes, truncated to the field, NUL-padded (the buffer starts zeroed).
    if (typeof value === 'string' && value.length > 0) out.write(value, offset, size, 'latin1');
  },
  u8(out: Buffer, value: unknown, offset: number, name: string): void {
    out[offset] = integer(value, name) & 0xff;
  },
  u16(out: Buffer, value: unknown, offset: number, name: string): void {
    out.writeUInt16LE(integer(value, name) & 0xffff, offset);
  },
  i16(out: Buffer, value: unknown, offset: number, name: string): void {
    out.writeInt16LE(((integer(value, name) + 0x8000) & 0xffff) - 0x8000, offset);
  },
  u32(out: Buffer, value: unknown, offset: number, name: string): void {
    out.writeUInt32LE(integer(value, name) >>> 0, offset);
  },
  i32(out: Buffer, value: unknown, offset: number, name: string): void {
    out.writeInt32LE(integer(value, name) | 0, offset);
  },
  u64(out: Buffer, value: unknown, offset: number): void {
    out.writeBigUInt64LE(BigInt.asUintN(64, bigintOf(value)), offset);
  },
  i64(out: Buffer, value: unknown, offset: number): void {
    out.writeBigInt64LE(BigInt.asIntN(64, bigintOf(value)), offset);
  },
  f64(out: Buffer, value: unknown, offset: number): void {
    out.writeDoubleLE(Number(value ?? 0), offset);
  },
};

const RISK_LAYOUT = layout(RISK);
const T_LAYOUTS = [layout(transaction(true)), layout(transaction(false), [['secondLegPrice', 0], ['routeEnum', 0], ['modifyType', 0]])];
const Y_LAYOUTS = [layout(instrumentRequest('u32')), layout(instrumentRequest('u16'))];
const HEARTBEAT_LAYOUT = layout(HEARTBEAT);

/**
 * The type table: the library's request and reply chars (§2), plus the INFERRED session messages of §9.
 * `e` is the vendor's Slate spelling of OpenOrderRequest (§10.6): accepted on decode, never sent.
 */
const TYPES: ReadonlyMap<string, TypeEntry> = new Map([
  ['H', entry('H', [layout(LOGON)])],
  ['Y', entry('Y', Y_LAYOUTS, INSTRUMENT_REQUEST_LENGTH)],
  ['Q', entry('Q', [layout(INSTRUMENT)])],
  ['w', entry('w', [layout(requestOf('responseType'))])],
  ['f', entry('f', [layout(requestOf('updateType'))])],
  ['N', entry('N', [RISK_LAYOUT])],
  ['h', entry('h', [RISK_LAYOUT])],
  ['E', entry('E', [layout(OPEN_ORDER_REQUEST)])],
  ['e', entry('E', [layout(OPEN_ORDER_REQUEST)])],
  ['T', entry('T', T_LAYOUTS, TRANSACTION_LENGTH)],
  ['0', entry('0', [HEARTBEAT_LAYOUT])],
  ['1', entry('1', [HEARTBEAT_LAYOUT])],
  ['3', entry('3', [layout(SESSION_REJECT)])],
]);

/** Whether a Data1 char is one this codec knows (the library's RECV_ERROR_INVALID_MSG_TYPE test). */
export function isKnownType(char: string): boolean {
  return TYPES.has(char);
}

/** The lengths a type char may have on the wire, for error messages and tests. */
export function lengthsOf(char: string): number[] {
  return [...(TYPES.get(char)?.layouts.keys() ?? [])];
}

export type BoCodecErrorCode = 'INVALID_MSG_TYPE' | 'PARSE';

export class BoCodecError extends Error {
  constructor(
    readonly code: BoCodecErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'BoCodecError';
  }
}

/**
 * Encodes one message, header included.
 * @example encode({ type: 'w', messageType: 0, responseType: 2, account: 10070, tradingSessionId: 506, symbolEnum: 1,
 *   key: 432451, msgSeqNum: 1005231, sendingTime: 0n }) // 34 bytes, 77 00 22 00 …  (§11 V10)
 */
export function encode(message: BoMessage): Buffer {
  const entryOf = TYPES.get(message.type);
  if (!entryOf) throw new BoCodecError('INVALID_MSG_TYPE', `no layout for message type '${message.type}'`);
  const wanted = 'wireLength' in message && message.wireLength !== undefined ? message.wireLength : entryOf.defaultLength;
  const chosen = entryOf.layouts.get(wanted);
  if (!chosen) {
    throw new BoCodecError('PARSE', `'${message.type}' has no ${wanted}-byte layout (known: ${lengthsOf(message.type).join(', ')})`);
  }
  // From Node's small-buffer pool, zeroed by hand: NUL padding and reserved bytes must be 0 (Buffer.alloc is slower).
  const out = Buffer.allocUnsafe(chosen.length).fill(0);
  out[0] = message.type.charCodeAt(0);
  out.writeUInt16LE(chosen.length, 2);
  chosen.encode(out, message as unknown as Record<string, unknown>);
  return out;
}

/**
 * Decodes exactly one message that fills `bytes` (Data3 must equal bytes.length, as the library's
 * `struct.unpack` demands). Throws BoCodecError INVALID_MSG_TYPE for an unknown Data1 and PARSE for a length
 * that fits no layout of the type.
 */
export function decode(bytes: Uint8Array): BoMessage {
  const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer.length < HEADER_LENGTH) throw new BoCodecError('PARSE', `a message has at least ${HEADER_LENGTH} bytes, got ${buffer.length}`);
  const char = String.fromCharCode(buffer[0]!);
  const entryOf = TYPES.get(char);
  if (!entryOf) throw new BoCodecError('INVALID_MSG_TYPE', `unknown message type 0x${buffer[0]!.toString(16).padStart(2, '0')} ('${printable(char)}')`);
  const declared = buffer.readUInt16LE(2);
  if (declared !== buffer.length) throw new BoCodecError('PARSE', `'${char}' says ${declared} bytes but ${buffer.length} were given`);
  const chosen = entryOf.layouts.get(declared);
  if (!chosen) {
    throw new BoCodecError('PARSE', `'${char}' cannot be ${declared} bytes long (known: ${lengthsOf(char).join(', ')})`);
  }
  return chosen.decode(buffer);
}

function printable(char: string): string {
  return /^[\x20-\x7e]$/.test(char) ? char : '?';
}

/** `host:port` from an IP field (§3.1): exactly two parts and a numeric port, else null. */
export function parseHostPort(text: string): { host: string; port: number } | null {
  const parts = text.split(':');
  if (parts.length !== 2 || parts[0]!.length === 0) return null;
  const port = Number(parts[1]);
  if (!Number.isInteger(port) || port <= 0 || port > 65_535) return null;
  return { host: parts[0]!, port };
}

/** Nanoseconds since the epoch for SendingTime, from epoch ms. */
export function nsFromMs(ms: number): bigint {
  return BigInt(Math.trunc(ms)) * 1_000_000n;
}

/** Epoch ms from a SendingTime in ns; 0 (the library's constant) stays 0. */
export function msFromNs(ns: bigint): number {
  return Number(ns / 1_000_000n);
}
