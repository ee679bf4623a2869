import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decode } from './codec';
import { BoFramer, processMessage, RECV, type FrameEvent } from './framer';

function fixture(name: string): Buffer {
  return Buffer.from(readFileSync(new URL(`./fixtures/${name}.hex`, import.meta.url), 'utf8').trim(), 'hex');
}

/** One of every message kind the codec reads, both widths of T and Y, and the INFERRED session messages. */
const MIXED = [
  'v01-logon-readme-dump1', 'v03-aes-logon-reply', 'v07-instrument-request-64', 'v08-instrument-request-62',
  'v09-instrument-74', 'v10-risk-update-request', 'v11-risk-user-symbol', 'v12-open-order-request',
  'v13-collateral-request', 'v14-order-new-250', 'v15-order-ack-250', 'v16-order-new-238', 'v06-logout',
  'inferred-heartbeat', 'inferred-testrequest', 'inferred-reject',
].map(fixture);

function messagesOf(events: FrameEvent[]): Buffer[] {
  return events.map((event) => {
    if (event.code !== RECV.NO_ERROR) throw new Error(`unexpected ${event.code}: ${event.detail}`);
    return Buffer.from(event.message.type);
  });
}

describe('processMessage: the library’s five outcomes', () => {
  it('NO_ERROR with the message and its length', () => {
    const result = processMessage(fixture('v10-risk-update-request'));
    expect(result.code).toBe(RECV.NO_ERROR);
    expect(result.length).toBe(34);
  });

  it('NOT_ENOUGH_HEADER for fewer than 4 bytes (3 included, where the library crashed)', () => {
    for (const length of [0, 1, 2, 3]) expect(processMessage(fixture('v10-risk-update-request').subarray(0, length)).code).toBe(RECV.NOT_ENOUGH_HEADER);
  });

  it('NOT_ENOUGH_BODY while Data3 says more than is there', () => {
    expect(processMessage(fixture('v11-risk-user-symbol').subarray(0, 160)).code).toBe(RECV.NOT_ENOUGH_BODY);
  });

  it('INVALID_MSG_TYPE for an unknown Data1, skippable by its length', () => {
    const bytes = Buffer.from(fixture('v10-risk-update-request'));
    bytes[0] = 0x5a; // 'Z'
    const result = processMessage(bytes);
    expect(result).toMatchObject({ code: RECV.INVALID_MSG_TYPE, length: 34 });
  });

  it('PARSE for a length the type does not have, and for a length shorter than the header', () => {
    const bytes = Buffer.from(fixture('v14-order-new-250'));
    bytes.writeUInt16LE(244, 2);
    expect(processMessage(bytes)).toMatchObject({ code: RECV.PARSE, length: 244 });
    const broken = Buffer.from('54000200', 'hex');
    expect(processMessage(broken)).toMatchObject({ code: RECV.PARSE, length: 0 });
  });
});

describe('BoFramer', () => {
  const stream = Buffer.concat(MIXED);
  const expected = MIXED.map((bytes) => decode(bytes));

  it('V17: two messages in one chunk, and split at every byte', () => {
    const chunk = fixture('v17-two-messages-w-f');
    expect(messagesOf(new BoFramer().push(chunk)).map(String)).toEqual(['w', 'f']);
    for (let cut = 0; cut <= chunk.length; cut++) {
      const framer = new BoFramer();
      const events = [...framer.push(chunk.subarray(0, cut)), ...framer.push(chunk.subarray(cut))];
      expect(messagesOf(events).map(String)).toEqual(['w', 'f']);
      expect(framer.buffered).toBe(0);
    }
  });

  it('a stream of many mixed messages cut at every possible byte boundary gives every message exactly once', () => {
    for (let cut = 0; cut <= stream.length; cut++) {
      const framer = new BoFramer();
      const events = [...framer.push(stream.subarray(0, cut)), ...framer.push(stream.subarray(cut))];
      expect(events.map((e) => (e.code === RECV.NO_ERROR ? e.message : e))).toEqual(expected);
    }
  });

  it('one byte at a time, and random chunkings (fast-check)', () => {
    const framer = new BoFramer();
    const events: FrameEvent[] = [];
    for (const byte of stream) events.push(...framer.push(Buffer.of(byte)));
    expect(events.map((e) => (e.code === RECV.NO_ERROR ? e.message : e))).toEqual(expected);

    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: stream.length }), { maxLength: 40 }), (cuts) => {
        const points = [0, ...[...new Set(cuts)].sort((a, b) => a - b), stream.length];
        const f = new BoFramer();
        const got: FrameEvent[] = [];
        for (let i = 1; i < points.length; i++) got.push(...f.push(stream.subarray(points[i - 1], points[i])));
        expect(got.map((e) => (e.code === RECV.NO_ERROR ? e.message : e))).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });

  it('reports which "not enough" outcome it waits in', () => {
    const framer = new BoFramer();
    expect(framer.waiting).toBe(RECV.NO_ERROR);
    framer.push(fixture('v10-risk-update-request').subarray(0, 2));
    expect(framer.waiting).toBe(RECV.NOT_ENOUGH_HEADER);
    framer.push(fixture('v10-risk-update-request').subarray(2, 20));
    expect(framer.waiting).toBe(RECV.NOT_ENOUGH_BODY);
    expect(messagesOf(framer.push(fixture('v10-risk-update-request').subarray(20))).map(String)).toEqual(['w']);
    expect(framer.waiting).toBe(RECV.NO_ERROR);
  });

  it('skips an unknown type and a wrong-length message by Data3 and keeps the messages around them', () => {
    const unknown = Buffer.from(fixture('v10-risk-update-request'));
    unknown[0] = 0x5a;
    const wrongLength = Buffer.concat([fixture('v13-collateral-request'), Buffer.alloc(2)]);
    wrongLength.writeUInt16LE(36, 2);
    const events = new BoFramer().push(Buffer.concat([fixture('v12-open-order-request'), unknown, wrongLength, fixture('v10-risk-update-request')]));
    expect(events.map((e) => e.code)).toEqual([RECV.NO_ERROR, RECV.INVALID_MSG_TYPE, RECV.PARSE, RECV.NO_ERROR]);
    expect(events[1]).toMatchObject({ fatal: false, raw: unknown });
  });

  it('a length shorter than the header is fatal: the framing is lost and the buffer is dropped', () => {
    const framer = new BoFramer();
    const events = framer.push(Buffer.concat([fixture('v10-risk-update-request'), Buffer.from('5400010000000000', 'hex')]));
    expect(events.map((e) => e.code)).toEqual([RECV.NO_ERROR, RECV.PARSE]);
    expect(events[1]).toMatchObject({ fatal: true });
    expect(framer.buffered).toBe(0);
  });
});
