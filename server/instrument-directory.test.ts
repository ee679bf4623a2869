import { describe, expect, it } from 'vitest';
import type { Instrument } from '../lib/contracts';
import { createInstrumentDirectory } from './instrument-directory';

const samsung: Instrument = { symbol: 'KRX:005930', market: 'KRX', code: '005930', name: '삼성전자', nameEn: 'Samsung Electronics', venue: 'KOSPI', prevClose: 100_000 };
const sdi: Instrument = { symbol: 'KRX:006400', market: 'KRX', code: '006400', name: '삼성SDI', nameEn: 'Samsung SDI', venue: 'KOSPI', prevClose: 300_000 };
const btc: Instrument = { symbol: 'UPBIT:KRW-BTC', market: 'UPBIT', code: 'KRW-BTC', name: '비트코인', nameEn: 'Bitcoin', venue: 'UPBIT', prevClose: 140_000_000 };

describe('instrument directory', () => {
  const directory = createInstrumentDirectory([samsung, sdi, btc]);
  it('finds by Korean name, English name and code', () => {
    expect(directory.search('삼성', 10).map((i) => i.code)).toEqual(['005930', '006400']);
    expect(directory.search('bitcoin', 10)[0]?.symbol).toBe('UPBIT:KRW-BTC');
    expect(directory.search('0059', 10)[0]?.symbol).toBe('KRX:005930');
  });
  it('puts code prefixes before name matches and honours the limit', () => {
    expect(directory.search('00', 1)).toHaveLength(1);
  });
  it('looks up by symbol', () => {
    expect(directory.get('KRX:006400')?.name).toBe('삼성SDI');
    expect(directory.get('KRX:999999')).toBeUndefined();
  });
});
