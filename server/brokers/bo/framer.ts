/**
 * Reassembles messages from arbitrary TCP chunks. The library's `process_message` reports one of five outcomes
 * for the front of its buffer (bo-binary.md §1.1); this keeps those codes and their meaning, without the
 * library's bugs: the header check is `< 4` (not `< 3`), and an incomplete tail is kept for the next chunk
 * instead of being dropped at the end of each read.
 *
 *   chunk 1: 77 00 22 00 00 00 02 00 56 27        → nothing yet (NOT_ENOUGH_BODY: 10 of 34 bytes)
 *   chunk 2: 00 00 FA 01 … AF 58 BF 60 00 00 00 00 → 'w' (34 bytes) then 'f' (34 bytes), both NO_ERROR
 */
import { BoCodecError, decode, HEADER_LENGTH, isKnownType, type BoMessage } from './codec';

/** The library's `RECV_*` constants, same values. */
export const RECV = {
  NO_ERROR: -1,
  NOT_ENOUGH_HEADER: 0,
  NOT_ENOUGH_BODY: 1,
  INVALID_MSG_TYPE: 2,
  PARSE: 3,
} as const;
export type RecvCode = (typeof RECV)[keyof typeof RECV];

export type ProcessResult =
  | { code: typeof RECV.NO_ERROR; message: BoMessage; length: number }
  | { code: typeof RECV.NOT_ENOUGH_HEADER | typeof RECV.NOT_ENOUGH_BODY; message: null; length: 0 }
  /** `length` is how many bytes to skip to reach the next message; 0 when the stream cannot be resynchronised. */
  | { code: typeof RECV.INVALID_MSG_TYPE | typeof RECV.PARSE; message: null; length: number; detail: string };

/**
 * Looks at the front of `buffer` (from `offset`) the way the library's `process_message` does.
 * @example processMessage(Buffer.from('7700', 'hex')).code // RECV.NOT_ENOUGH_HEADER
 */
export function processMessage(buffer: Buffer, offset = 0): ProcessResult {
  const available = buffer.length - offset;
  if (available < HEADER_LENGTH) return { code: RECV.NOT_ENOUGH_HEADER, message: null, length: 0 };
  const declared = buffer.readUInt16LE(offset + 2);
  if (declared < HEADER_LENGTH) {
    // A length that does not even cover the header leaves no way to find the next message boundary.
    return { code: RECV.PARSE, message: null, length: 0, detail: `Data3 = ${declared} is shorter than the ${HEADER_LENGTH}-byte header` };
  }
  if (available < declared) return { code: RECV.NOT_ENOUGH_BODY, message: null, length: 0 };
  const char = String.fromCharCode(buffer[offset]!);
  if (!isKnownType(char)) {
    return {
      code: RECV.INVALID_MSG_TYPE,
      message: null,
      length: declared,
      detail: `unknown message type 0x${buffer[offset]!.toString(16).padStart(2, '0')}`,
    };
  }
  try {
    return { code: RECV.NO_ERROR, message: decode(buffer.subarray(offset, offset + declared)), length: declared };
  } catch (error) {
    const detail = error instanceof BoCodecError ? error.message : String(error);
    return { code: RECV.PARSE, message: null, length: declared, detail };
  }
}

export type FrameEvent =
  | { code: typeof RECV.NO_ERROR; message: BoMessage }
  | { code: typeof RECV.INVALID_MSG_TYPE | typeof RECV.PARSE; detail: string; raw: Buffer; fatal: boolean };

/**
 * A streaming framer for one TCP connection. push() returns every complete message and every bad one (with its
 * bytes, skipped by its declared length); `waiting` tells which of the two "not enough" outcomes holds now.
 * A fatal error (a length shorter than the header) means the stream has lost its framing: the caller should
 * drop the connection; the framer discards what it holds.
 */
export class BoFramer {
  /** A partial message: the chunks that hold it, joined only once enough bytes for the whole of it arrived. */
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Data3 of the partial message once its header is in, else 0. */
  private needed = 0;

  /** NOT_ENOUGH_HEADER or NOT_ENOUGH_BODY while a partial message is held, NO_ERROR when empty. */
  get waiting(): RecvCode {
    if (this.pendingBytes === 0) return RECV.NO_ERROR;
    return this.pendingBytes < HEADER_LENGTH ? RECV.NOT_ENOUGH_HEADER : RECV.NOT_ENOUGH_BODY;
  }

  get buffered(): number {
    return this.pendingBytes;
  }

  push(chunk: Uint8Array): FrameEvent[] {
    const incoming = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (incoming.length === 0) return [];
    let data = incoming;
    if (this.pendingBytes > 0) {
      this.pending.push(incoming);
      this.pendingBytes += incoming.length;
      if (this.needed === 0 && this.pendingBytes >= HEADER_LENGTH) {
        const header = Buffer.concat(this.pending, HEADER_LENGTH);
        // A Data3 below the header length is handed to processMessage as is, which reports it (fatal PARSE).
        this.needed = Math.max(HEADER_LENGTH, header.readUInt16LE(2));
      }
      // Still short of the whole message: keep collecting without copying (a 250-byte `T` in 61-byte reads).
      if (this.needed === 0 || this.pendingBytes < this.needed) return [];
      data = Buffer.concat(this.pending, this.pendingBytes);
      this.pending = [];
      this.pendingBytes = 0;
      this.needed = 0;
    }
    const events: FrameEvent[] = [];
    let offset = 0;
    for (;;) {
      const result = processMessage(data, offset);
      if (result.code === RECV.NO_ERROR) {
        events.push({ code: RECV.NO_ERROR, message: result.message });
        offset += result.length;
        continue;
      }
      // NOT_ENOUGH_HEADER / NOT_ENOUGH_BODY: wait for the next chunk.
      if (!('detail' in result)) break;
      if (result.length === 0) {
        events.push({ code: result.code, detail: result.detail, raw: Buffer.from(data.subarray(offset)), fatal: true });
        offset = data.length;
        break;
      }
      events.push({ code: result.code, detail: result.detail, raw: Buffer.from(data.subarray(offset, offset + result.length)), fatal: false });
      offset += result.length;
    }
    if (offset < data.length) {
      // Keep the tail as its own copy: the chunk's memory belongs to the socket.
      const tail = Buffer.from(data.subarray(offset));
      this.pending = [tail];
      this.pendingBytes = tail.length;
      this.needed = tail.length >= HEADER_LENGTH ? Math.max(HEADER_LENGTH, tail.readUInt16LE(2)) : 0;
    }
    return events;
  }

  reset(): void {
    this.pending = [];
    this.pendingBytes = 0;
    this.needed = 0;
  }
}
