/**
 * The bridge's wire format against the reference frames of §11.5 (fixtures/), both directions.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { balanceSchema, hogaSchema, orderSchema, tickSchema } from '../../../lib/contracts';
import { decodeEnvelope, decodeFrame, encodeFrame, epochToKstStamp, fail, kstStampToEpoch, ok, plainCode, rawNumber, type BridgeFrame } from './codec';
import { balanceFromRows, hogaFromFrame, orderFromChejan, ordersFromRows, tickFromFrame } from './normalize';

const lines = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8').trim().split('\n');
const frames = lines('reference-frames.jsonl');
const RECV = Date.UTC(2024, 1, 5, 3, 0, 5);

function decoded(text: string): BridgeFrame {
  const result = decodeFrame(text);
  if (result.kind !== 'frame') throw new Error(`expected a frame, got ${JSON.stringify(result)}`);
  return result.frame;
}

describe('bridge codec', () => {
  it('reads KST stamps exactly: 2024-02-05 12:00:00 KST is 03:00:00 UTC', () => {
    expect(kstStampToEpoch('20240205120000')).toBe(Date.UTC(2024, 1, 5, 3, 0, 0));
    expect(kstStampToEpoch('2024-02-05')).toBeNull();
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4_000_000_000 }), (s) => {
        expect(kstStampToEpoch(epochToKstStamp(s * 1000))).toBe(s * 1000);
      }),
    );
  });

  it('maps the reference tick to a valid normalized tick', () => {
    const frame = decoded(frames[0]!);
    expect(frame.type).toBe('tick');
    if (frame.type !== 'tick') return;
    const tick = tickFromFrame(frame.code, frame.timestamp, frame.data, RECV)!;
    expect(tickSchema.parse({ ...tick, seq: 0 })).toMatchObject({
      symbol: 'KRX:005930',
      price: 70000,
      change: -500,
      prevClose: 70500,
      sign: 'down',
      changeRate: -0.71,
      qty: 100,
      side: null,
      cumValue: 86_420_000_000,
      ts: Date.UTC(2024, 1, 5, 3, 0, 0),
    });
  });

  it('maps the reference hoga (one level a side) to a valid normalized book', () => {
    const frame = decoded(frames[1]!);
    if (frame.type !== 'hoga') throw new Error('expected hoga');
    const hoga = hogaFromFrame(frame.code, frame.timestamp, frame.data, RECV);
    expect(hogaSchema.parse({ ...hoga, seq: 0 })).toMatchObject({
      asks: [{ price: 70100, qty: 1200 }],
      bids: [{ price: 70000, qty: 900 }],
      totalAskQty: 250000,
      totalBidQty: 310000,
    });
  });

  it('maps the reference order (a full fill) with its fill computed from the cumulative 911', () => {
    const frame = decoded(frames[2]!);
    if (frame.type !== 'order') throw new Error('expected order');
    const order = orderFromChejan(frame.data, frame.timestamp, RECV, 0)!;
    expect(orderSchema.parse({ ...order, seq: 0 })).toMatchObject({
      accountId: 'kiwoom-bridge:1234567890',
      orderId: '0012345',
      side: 'buy',
      type: 'limit',
      status: 'filled',
      filledQty: 10,
      remainingQty: 0,
      lastFill: { qty: 10, price: 70000 },
    });
    expect(orderFromChejan(frame.data, frame.timestamp, RECV, 4)!.lastFill).toEqual({ qty: 6, price: 70000 });
  });

  it('round-trips every reference frame through encodeFrame', () => {
    for (const text of frames) expect(JSON.parse(encodeFrame(decoded(text)))).toEqual(JSON.parse(text));
  });

  it('reads and writes the {Success, Message, Data} wrapper', () => {
    const [sent, notLoggedIn] = lines('reference-envelopes.jsonl');
    expect(decodeEnvelope(sent!)).toEqual({ Success: true, Message: 'OK', Data: 'Order Sent' });
    expect(decodeEnvelope(notLoggedIn!)).toEqual({ Success: false, Message: 'Not Logged In', Data: null });
    expect(JSON.parse(ok('Order Sent'))).toEqual(JSON.parse(sent!));
    expect(JSON.parse(fail('Not Logged In'))).toEqual(JSON.parse(notLoggedIn!));
    expect(decodeEnvelope('<html>')).toBeNull();
    expect(decodeEnvelope('{"Data":1}')).toBeNull();
  });

  it('tells malformed frames from unknown types, and never throws on any text', () => {
    expect(decodeFrame('{"type":"tick"').kind).toBe('malformed');
    expect(decodeFrame('[1,2]').kind).toBe('malformed');
    expect(decodeFrame('{"type":"tick","timestamp":"20240205120000","data":{}}').kind).toBe('malformed');
    expect(decodeFrame('{"type":"order","timestamp":"20240205120000","data":{"9203":"1"}}').kind).toBe('malformed');
    expect(decodeFrame('{"type":"unknown","timestamp":"20240205120000","data":{"gubun":"4"}}')).toEqual({ kind: 'unknown', type: 'unknown' });
    expect(decodeFrame('{"type":"주식시세","code":"005930","timestamp":"20240205120000","data":{}}')).toEqual({ kind: 'unknown', type: '주식시세' });
    fc.assert(fc.property(fc.oneof(fc.string(), fc.json()), (text) => void decodeFrame(text)));
  });

  it('reads raw OpenAPI+ values: direction signs, A-prefixed codes, blanks', () => {
    expect(rawNumber('+70000')).toBe(70000);
    expect(rawNumber('-500')).toBe(-500);
    expect(rawNumber('')).toBeNull();
    expect(plainCode('A005930')).toBe('005930');
    expect(plainCode('KRW-BTC')).toBeNull();
  });

  it('maps OPW00018/OPW00001/OPT10075 rows to a full balance and working orders', () => {
    const balance = balanceFromRows(
      '1234567890',
      [
        { ROW_TYPE: 'SUMMARY', 총매입금액: '700000', 예수금: '9300000' },
        { 종목명: '삼성전자', 종목번호: 'A005930', 보유수량: '000000000010', 주문가능수량: '10', 매입가: '70000', 매입금액: '700000' },
      ],
      [{ 예수금: '9300000', 출금가능금액: '9300000', 주문가능금액: '9300000' }],
      RECV,
    );
    expect(balanceSchema.parse({ ...balance, seq: 0 })).toMatchObject({
      full: true,
      cash: { currency: 'KRW', deposit: '9300000', orderable: '9300000' },
      holdings: [{ symbol: 'KRX:005930', qty: '10', avgPrice: '70000', purchaseAmount: '700000' }],
    });
    const orders = ordersFromRows('1234567890', [{ 주문번호: '0000007', 종목코드: '005930', 주문구분: '-매도', 주문가격: '71000', 주문수량: '5', 미체결수량: '3', 주문상태: '접수' }], RECV);
    expect(orders.map((o) => orderSchema.parse({ ...o, seq: 0 }))).toMatchObject([{ orderId: '0000007', side: 'sell', status: 'partially_filled', filledQty: 2, remainingQty: 3, price: 71000 }]);
  });
});
