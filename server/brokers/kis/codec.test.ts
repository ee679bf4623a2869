/**
 * The codec against every test vector of protocols/kis.md §10 (fixtures/ holds them byte for byte), plus its
 * encoders round-tripping and each kind of bad input giving its typed error.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  decodeData,
  decodeDataFrame,
  decryptPayload,
  encodeAck,
  encodeDataFrame,
  encodePingPong,
  encodeSubscribeRequest,
  encryptPayload,
  KisCodecError,
  parseServerMessage,
  parseSubscribeRequest,
  recordsOf,
  type KisCipherKey,
} from './codec';
import { HOGA_COLUMNS, NOTICE_COLUMNS, TICK_COLUMNS } from './layouts';
import { hogaOf, kstToEpoch, noticeOf, tickOf } from './normalize';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
/** §10.7's key and iv. */
const TEST_KEY: KisCipherKey = { key: 'abcdefghijklmnopqrstuvwxyzabcdef', iv: '0123456789abcdef' };
const RECV = kstToEpoch('20260605', '093000');

function named(columns: readonly string[], record: string[]): Record<string, string> {
  return Object.fromEntries(columns.map((name, i) => [name, record[i]!]));
}

function codecError(fn: () => unknown): KisCodecError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(KisCodecError);
    return error as KisCodecError;
  }
  throw new Error('expected a KisCodecError');
}

describe('§10.1 H0STCNT0 single record (real capture)', () => {
  const text = fixture('h0stcnt0-single.txt');

  it('has 46 fields with the documented values', () => {
    const frame = decodeDataFrame(text);
    expect(frame).toMatchObject({ trId: 'H0STCNT0', count: 1, width: 46 });
    const r = named(TICK_COLUMNS, recordsOf(frame)[0]!);
    expect(r).toMatchObject({ STCK_PRPR: '62700', PRDY_VRSS_SIGN: '2', PRDY_VRSS: '400', HGPR_VRSS_PRPR: '-300', MRKT_TRTM_CLS_CODE: '', VI_STND_PRC: '62700' });
  });

  it('normalizes to a tick with prevClose 62300 at 11:26:16 KST', () => {
    const tick = tickOf(decodeDataFrame(text), 0, RECV);
    expect(tick).toMatchObject({
      symbol: 'KRX:005930', source: 'kis', price: 62700, sign: 'up', change: 400, changeRate: 0.64, prevClose: 62300,
      qty: 125, side: 'buy', cumVolume: 9694968, cumValue: 607878273600, open: 62700, high: 63000, low: 62300,
    });
    expect(tick.ts).toBe(Date.UTC(2023, 2, 24, 2, 26, 16));
    expect(tick.recvTs).toBe(RECV);
  });
});

describe('§10.2 H0STCNT0 batched, count 003', () => {
  const text = fixture('h0stcnt0-batch3.txt');

  it('yields all three records in order', () => {
    const frame = decodeDataFrame(text);
    expect(frame).toMatchObject({ count: 3, width: 46 });
    const ticks = [0, 1, 2].map((i) => tickOf(frame, i, RECV));
    expect(ticks.map((t) => t.price)).toEqual([70000, 70100, 69400]);
    expect(ticks.map((t) => t.qty)).toEqual([10, 5, 20]);
    expect(ticks[2]).toMatchObject({ sign: 'down', change: -100, prevClose: 69500, side: 'sell' });
    expect(ticks[1]!.side).toBe('buy');
  });

  it('reads the same payload as H0UNCNT0 (통합)', () => {
    const frame = decodeDataFrame(text.replace('|H0STCNT0|', '|H0UNCNT0|'));
    expect(frame.trId).toBe('H0UNCNT0');
    expect([0, 1, 2].map((i) => tickOf(frame, i, RECV).price)).toEqual([70000, 70100, 69400]);
  });
});

describe('§10.3 H0STASP0 with 62 fields (real capture)', () => {
  const text = fixture('h0stasp0-62.txt');

  it('takes width 62 from the frame and keeps the extra fields', () => {
    const frame = decodeDataFrame(text);
    expect(frame).toMatchObject({ count: 1, width: 62 });
    const record = recordsOf(frame)[0]!;
    expect(named(HOGA_COLUMNS, record)).toMatchObject({
      ASKP1: '358500', ASKP_RSQN1: '53949', BIDP1: '358000', BIDP_RSQN1: '40154', ASKP10: '363000', BIDP10: '353500',
      TOTAL_ASKP_RSQN: '796206', TOTAL_BIDP_RSQN: '227494', ACML_VOL: '25970877', STCK_DEAL_CLS_CODE: '0',
    });
    expect(record.slice(HOGA_COLUMNS.length)).toEqual(['358250', '4', '1']);
  });

  it('normalizes to 10 levels a side, best first', () => {
    const hoga = hogaOf(decodeDataFrame(text), 0, RECV);
    expect(hoga.asks).toHaveLength(10);
    expect(hoga.bids).toHaveLength(10);
    expect(hoga.asks[0]).toEqual({ price: 358500, qty: 53949 });
    expect(hoga.asks[9]).toEqual({ price: 363000, qty: 44313 });
    expect(hoga.bids[0]).toEqual({ price: 358000, qty: 40154 });
    expect(hoga.bids[9]).toEqual({ price: 353500, qty: 10406 });
    expect(hoga).toMatchObject({ symbol: 'KRX:005930', totalAskQty: 796206, totalBidQty: 227494 });
    expect(hoga.ts).toBe(kstToEpoch('20260605', '145856'));
  });

  it('decodes two 62-field records in one frame without shifting the second (a stride-59 parser would)', () => {
    const payload = text.slice('0|H0STASP0|001|'.length);
    const frame = decodeDataFrame(`0|H0STASP0|002|${payload}^${payload}`);
    expect(frame).toMatchObject({ count: 2, width: 62 });
    const [a, b] = [hogaOf(frame, 0, RECV), hogaOf(frame, 1, RECV)];
    expect(b).toEqual(a);
    expect(b.asks[0]).toEqual({ price: 358500, qty: 53949 });
  });
});

describe('§10.4 acknowledgements', () => {
  it('reads a quote ack with its iv and key', () => {
    expect(parseServerMessage(fixture('ack-quote.txt'))).toEqual({
      kind: 'ack', trId: 'H0STASP0', trKey: '005930', encrypt: false, rtCd: '0', msgCd: 'OPSP0000', msg1: 'SUBSCRIBE SUCCESS',
      iv: '4060f9fcb7b4e2ef', key: 'tesnaipyhhcpfrnupdybjhvuabognuch',
    });
  });

  it('reads a notice ack (encrypt Y) and encodes it back byte for byte', () => {
    const text = fixture('ack-notice.txt');
    const ack = parseServerMessage(text);
    expect(ack).toMatchObject({ kind: 'ack', trId: 'H0STCNI0', trKey: 'HTSUSER01', encrypt: true, iv: TEST_KEY.iv, key: TEST_KEY.key });
    expect(encodeAck({ trId: 'H0STCNI0', trKey: 'HTSUSER01', encrypt: true, rtCd: '0', msgCd: 'OPSP0000', msg1: 'SUBSCRIBE SUCCESS', cipher: TEST_KEY })).toBe(text);
    expect(encodeAck({ trId: 'H0STASP0', trKey: '005930', encrypt: false, rtCd: '0', msgCd: 'OPSP0000', msg1: 'SUBSCRIBE SUCCESS', cipher: { iv: '4060f9fcb7b4e2ef', key: 'tesnaipyhhcpfrnupdybjhvuabognuch' } })).toBe(fixture('ack-quote.txt'));
  });

  it.each([
    ['{"header":{"tr_id":"H0STCNT0","tr_key":"005930"},"body":{"rt_cd":"1","msg_cd":"OPSP0002","msg1":"ALREADY IN SUBSCRIBE"}}', 'OPSP0002', 'H0STCNT0', '005930'],
    ['{"header":{"tr_id":"H0STASP0","tr_key":"000660"},"body":{"rt_cd":"1","msg_cd":"OPSP0008","msg1":"MAX SUBSCRIBE OVER"}}', 'OPSP0008', 'H0STASP0', '000660'],
  ])('reads the error ack %#', (text, msgCd, trId, trKey) => {
    expect(parseServerMessage(text)).toMatchObject({ kind: 'ack', rtCd: '1', msgCd, trId, trKey, encrypt: null, iv: null, key: null });
    expect(encodeAck({ trId, trKey, rtCd: '1', msgCd, msg1: msgCd === 'OPSP0002' ? 'ALREADY IN SUBSCRIBE' : 'MAX SUBSCRIBE OVER' })).toBe(text);
  });

  it('reads an error that has only a body (OPSP8996)', () => {
    const text = encodeAck({ trId: null, trKey: null, rtCd: '9', msgCd: 'OPSP8996', msg1: 'ALREADY IN USE appkey' });
    expect(text).toBe('{"body":{"rt_cd":"9","msg_cd":"OPSP8996","msg1":"ALREADY IN USE appkey"}}');
    expect(parseServerMessage(text)).toMatchObject({ kind: 'ack', trId: null, rtCd: '9', msgCd: 'OPSP8996' });
  });
});

describe('§10.5 PINGPONG', () => {
  it('is recognised and its reply is the identical text', () => {
    const text = '{"header":{"tr_id":"PINGPONG","datetime":"20260605093000"}}';
    expect(parseServerMessage(text)).toEqual({ kind: 'pingpong', raw: text, datetime: '20260605093000' });
    expect(encodePingPong('20260605093000')).toBe(text);
  });
});

describe('§10.6 subscribe request', () => {
  it('encodes exactly and parses back', () => {
    const request = { approvalKey: '08b3c13e-1a7e-4f1c-b20d-417582e3b3a0', custtype: 'P', trType: '1', trId: 'H0STCNT0', trKey: '005930' } as const;
    expect(encodeSubscribeRequest(request)).toBe(fixture('subscribe-request.txt'));
    expect(parseSubscribeRequest(fixture('subscribe-request.txt'))).toEqual(request);
  });

  it('parses spaced JSON as official clients send it, and refuses a request without tr_type 1/2', () => {
    const spaced = JSON.stringify(JSON.parse(fixture('subscribe-request.txt')), null, 1);
    expect(parseSubscribeRequest(spaced).trKey).toBe('005930');
    expect(codecError(() => parseSubscribeRequest(fixture('subscribe-request.txt').replace('"tr_type":"1"', '"tr_type":"0"'))).code).toBe('BAD_CONTROL');
    expect(codecError(() => parseSubscribeRequest('{not json')).code).toBe('BAD_JSON');
  });
});

describe('§10.7 encryption', () => {
  it('vector A: decrypts the fill notice frame and maps it', () => {
    const frame = decodeDataFrame(fixture('h0stcni0-fill.txt'), TEST_KEY);
    expect(frame).toMatchObject({ trId: 'H0STCNI0', count: 1, width: 26 });
    expect(recordsOf(frame)[0]!.join('^')).toBe(fixture('notice-a.plain.txt'));
    expect(named(NOTICE_COLUMNS, recordsOf(frame)[0]!)).toMatchObject({ CNTG_YN: '2', CNTG_QTY: '10', CNTG_UNPR: '70000', ODER_NO: '0000012345' });
    expect(noticeOf(frame, 0, RECV)).toMatchObject({
      htsId: 'HTSUSER01', account: '50123456-01', orderNo: '0000012345', origOrderNo: null, side: 'buy', amend: 'none',
      type: 'limit', symbol: 'KRX:005930', isFill: true, refused: false, qty: 10, fillPrice: 70000, orderQty: 10,
      orderPrice: 70000, name: 'SAMSUNG ELEC', ts: kstToEpoch('20260605', '093015'),
    });
  });

  it('vector A and B: encryption is byte-identical to OpenSSL', () => {
    expect(encryptPayload(fixture('notice-a.plain.txt'), TEST_KEY)).toBe(fixture('notice-a.b64.txt'));
    expect(encryptPayload(fixture('notice-b.plain.txt'), TEST_KEY)).toBe(fixture('notice-b.b64.txt'));
    expect(encodeDataFrame('H0STCNI0', [fixture('notice-a.plain.txt').split('^')], TEST_KEY)).toBe(fixture('h0stcni0-fill.txt'));
  });

  it('vector B: Korean UTF-8 text survives, and it is an acceptance notice', () => {
    const plain = decryptPayload(fixture('notice-b.b64.txt'), TEST_KEY);
    expect(plain).toBe(fixture('notice-b.plain.txt'));
    const notice = noticeOf(decodeDataFrame(`1|H0STCNI9|001|${fixture('notice-b.b64.txt')}`, TEST_KEY), 0, RECV);
    expect(notice).toMatchObject({ isFill: false, side: 'sell', qty: 5, orderQty: 5, orderPrice: 71000, name: '삼성전자' });
  });

  it('padding edge cases: a full block of padding, and the empty plaintext', () => {
    expect(encryptPayload('0123456789ABCDEF', TEST_KEY)).toBe('1bjoUgQ270mG7WUtxlod8IVeVNo4Cnk/mpbslO1bUA8=');
    expect(decryptPayload('1bjoUgQ270mG7WUtxlod8IVeVNo4Cnk/mpbslO1bUA8=', TEST_KEY)).toBe('0123456789ABCDEF');
    expect(encryptPayload('', TEST_KEY)).toBe('EzTNGZli6egBWTPHt8ySZQ==');
    expect(decryptPayload('EzTNGZli6egBWTPHt8ySZQ==', TEST_KEY)).toBe('');
  });

  it('a wrong key, non-base64 text, or a missing key are DECRYPT_FAILED', () => {
    const b64 = fixture('notice-a.b64.txt');
    expect(codecError(() => decryptPayload(b64, { ...TEST_KEY, key: 'bbcdefghijklmnopqrstuvwxyzabcdef' })).code).toBe('DECRYPT_FAILED');
    expect(codecError(() => decryptPayload('not base64!', TEST_KEY)).code).toBe('DECRYPT_FAILED');
    expect(codecError(() => decryptPayload(b64, { key: 'short', iv: TEST_KEY.iv })).code).toBe('DECRYPT_FAILED');
    expect(codecError(() => decodeDataFrame(fixture('h0stcni0-fill.txt'))).code).toBe('DECRYPT_FAILED');
  });
});

describe('typed errors', () => {
  const single = fixture('h0stcnt0-single.txt');
  it.each([
    ['', 'BAD_FRAME'],
    ['hello', 'BAD_FRAME'],
    ['0|H0STCNT0', 'BAD_FRAME'],
    ['0|H0XXXXX0|001|a^b', 'UNKNOWN_TR'],
    ['0|H0STCNT0|000|a', 'BAD_COUNT'],
    ['0|H0STCNT0|01|a', 'BAD_COUNT'],
    ['0|H0STCNT0|0x1|a', 'BAD_COUNT'],
    [single.replace('|001|', '|002|'), 'TRUNCATED'],
    [single.slice(0, single.lastIndexOf('^')), 'TRUNCATED'],
    ['{"header":', 'BAD_JSON'],
    ['{"header":{"tr_id":"H0STCNT0"}}', 'BAD_CONTROL'],
    ['[1,2]', 'BAD_FRAME'],
  ])('%j → %s', (text, code) => {
    expect(codecError(() => decodeDataFrame(text)).code).toBe(code);
  });

  it('a record with a non-numeric price is BAD_RECORD, and its neighbours still map', () => {
    const batch = decodeDataFrame(fixture('h0stcnt0-batch3.txt'));
    batch.fields[batch.width + 2] = 'x';
    expect(tickOf(batch, 0, RECV).price).toBe(70000);
    expect(codecError(() => tickOf(batch, 1, RECV)).code).toBe('BAD_RECORD');
    expect(tickOf(batch, 2, RECV).price).toBe(69400);
  });

  it('encodes a batch that decodes to the same records', () => {
    const records = recordsOf(decodeDataFrame(fixture('h0stcnt0-batch3.txt')));
    expect(encodeDataFrame('H0STCNT0', records)).toBe(fixture('h0stcnt0-batch3.txt'));
    const message = parseServerMessage(encodeDataFrame('H0STCNI9', records.slice(0, 1).map((r) => r.slice(0, 26)), TEST_KEY));
    expect(message.kind === 'data' && recordsOf(decodeData(message, TEST_KEY))[0]).toEqual(records[0]!.slice(0, 26));
  });
});
