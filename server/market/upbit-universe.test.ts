import { describe, expect, it } from 'vitest';
import { isOnUpbitGrid } from '../../lib/format/upbit-tick-size';
import { upbitInstruments } from './upbit-universe';

describe('Upbit universe', () => {
  it('lists the six KRW markets with Korean names, on the Upbit grid', () => {
    const instruments = upbitInstruments();
    expect(instruments.map((i) => [i.symbol, i.name])).toEqual([
      ['UPBIT:KRW-BTC', '비트코인'],
      ['UPBIT:KRW-ETH', '이더리움'],
      ['UPBIT:KRW-XRP', '리플'],
      ['UPBIT:KRW-SOL', '솔라나'],
      ['UPBIT:KRW-DOGE', '도지코인'],
      ['UPBIT:KRW-ADA', '에이다'],
    ]);
    for (const instrument of instruments) {
      expect(instrument.venue).toBe('UPBIT');
      expect(instrument.market).toBe('UPBIT');
      expect(isOnUpbitGrid(instrument.prevClose), instrument.code).toBe(true);
    }
  });
});
