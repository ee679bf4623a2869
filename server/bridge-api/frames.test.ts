/** Sise events → bridge frames, read back with the bridge codec's decoder (the adapter's side of the wire). */
import { describe, expect, it } from 'vitest';
import type { BalanceEvent, HogaEvent, OrderEvent, SymbolId, TickEvent } from '../../lib/contracts';
import { decodeFrame, encodeFrame } from '../brokers/kiwoom-bridge/codec';
import { balanceFrames, hogaFrame, orderFrame, symbolOfCode, tickFrame } from './frames';

const A = 'KRX:005930' as SymbolId;
// 2024-02-05 12:00:00 KST
const TS = Date.UTC(2024, 1, 5, 3, 0, 0);
const base = { seq: 1, ts: TS, recvTs: TS, source: 'kis' as const };

describe('bridge frames', () => {
  it('writes a tick as §11.5 shows it, and the codec reads it back', () => {
    const tick: TickEvent = { ...base, symbol: A, price: 70000, sign: 'down', change: -500, changeRate: -0.71, prevClose: 70500, qty: 100, side: 'buy', cumVolume: 1234567, cumValue: 86_420_000_000, open: 70500, high: 71000, low: 69800 };
    const frame = tickFrame(tick);
    expect(frame).toEqual({
      type: 'tick',
      code: '005930',
      timestamp: '20240205120000',
      data: { time: '120000', current_price: 70000, diff: -500, rate: -0.71, volume: 100, cum_volume: 1234567, cum_turnover_million: 86420, open: 70500, high: 71000, low: 69800 },
    });
    expect(decodeFrame(encodeFrame(frame))).toEqual({ kind: 'frame', frame });
  });

  it('writes five hoga levels a side and the best bid as current_price', () => {
    const levels = (from: number, step: number) => Array.from({ length: 10 }, (_, i) => ({ price: from + i * step, qty: 10 + i }));
    const hoga: HogaEvent = { ...base, symbol: A, asks: levels(70100, 100), bids: levels(70000, -100), totalAskQty: 250000, totalBidQty: 310000 };
    const frame = hogaFrame(hoga);
    expect(frame.data).toMatchObject({ total_ask_vol: 250000, total_bid_vol: 310000, ask_price_1: 70100, bid_price_1: 70000, ask_vol_5: 14, current_price: 70000 });
    expect(frame.data).not.toHaveProperty('ask_price_6');
    expect(decodeFrame(encodeFrame(frame)).kind).toBe('frame');
  });

  it('writes order and balance chejan frames with string FIDs and no code', () => {
    const order: OrderEvent = { ...base, accountId: 'kis:50012345-01', orderId: '0012345', origOrderId: null, symbol: A, side: 'buy', type: 'limit', status: 'filled', qty: 10, price: 70000, filledQty: 10, remainingQty: 0, lastFill: { qty: 10, price: 70000 }, reason: null };
    const frame = orderFrame(order, '삼성전자');
    expect(frame).toEqual({
      type: 'order',
      timestamp: '20240205120000',
      data: { gubun: '0', '9201': '50012345-01', '9203': '0012345', '9001': 'A005930', '913': '체결', '302': '삼성전자', '900': '10', '901': '70000', '911': '10', '10': '70000', '908': '120000', '905': '+매수' },
    });
    expect(decodeFrame(encodeFrame(frame))).toEqual({ kind: 'frame', frame });

    const balance: BalanceEvent = { ...base, accountId: 'kis:50012345-01', full: false, cash: null, holdings: [{ symbol: A, name: '삼성전자', qty: '10', orderableQty: '10', avgPrice: '70000', purchaseAmount: '700000' }] };
    const [b] = balanceFrames(balance, () => 70100);
    expect(b!.data).toEqual({ gubun: '1', '9201': '50012345-01', '9001': 'A005930', '302': '삼성전자', '10': '70100', '930': '10', '931': '70000', '932': '700000', '933': '10' });
    expect(decodeFrame(encodeFrame(b!)).kind).toBe('frame');
  });

  it('reads six-digit codes as KRX and keeps other symbols', () => {
    expect(symbolOfCode(' 005930 ')).toBe('KRX:005930');
    expect(symbolOfCode('UPBIT:KRW-BTC')).toBe('UPBIT:KRW-BTC');
  });
});
