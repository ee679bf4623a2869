import { describe, expect, it } from 'vitest';
import { parseSymbol } from '../../lib/contracts';
import { isOnKrxGrid } from '../../lib/format/krx-tick-size';
import { krxInstruments, krxListings } from './krx-universe';

const REQUIRED = {
  '005930': '삼성전자',
  '000660': 'SK하이닉스',
  '035420': 'NAVER',
  '035720': '카카오',
  '005380': '현대차',
  '000270': '기아',
  '051910': 'LG화학',
  '006400': '삼성SDI',
  '373220': 'LG에너지솔루션',
  '207940': '삼성바이오로직스',
  '068270': '셀트리온',
  '105560': 'KB금융',
  '055550': '신한지주',
  '005490': 'POSCO홀딩스',
  '028260': '삼성물산',
  '012330': '현대모비스',
  '066570': 'LG전자',
  '003550': 'LG',
  '017670': 'SK텔레콤',
  '030200': 'KT',
  '032830': '삼성생명',
  '086790': '하나금융지주',
  '034730': 'SK',
  '015760': '한국전력',
  '009150': '삼성전기',
  '010130': '고려아연',
  '259960': '크래프톤',
  '352820': '하이브',
  '247540': '에코프로비엠',
  '086520': '에코프로',
  '196170': '알테오젠',
  '028300': 'HLB',
  '293490': '카카오게임즈',
  '263750': '펄어비스',
  '041510': '에스엠',
  '035900': 'JYP Ent.',
};
const KOSDAQ = ['247540', '086520', '196170', '028300', '293490', '263750', '041510', '035900'];

describe('KRX universe', () => {
  const instruments = krxInstruments();

  it('has at least 30 names, every required one with its Korean name', () => {
    expect(instruments.length).toBeGreaterThanOrEqual(30);
    for (const [code, name] of Object.entries(REQUIRED)) {
      expect(instruments.find((i) => i.code === code)?.name, code).toBe(name);
    }
  });

  it('puts KOSDAQ names on KOSDAQ and the rest on KOSPI', () => {
    for (const instrument of instruments) {
      expect(instrument.venue).toBe(KOSDAQ.includes(instrument.code) ? 'KOSDAQ' : 'KOSPI');
    }
  });

  it('has unique, well-formed symbols with English names', () => {
    expect(new Set(instruments.map((i) => i.symbol)).size).toBe(instruments.length);
    for (const instrument of instruments) {
      const parsed = parseSymbol(instrument.symbol);
      expect(parsed.ok && parsed.value.code === instrument.code && parsed.value.market === 'KRX').toBe(true);
      expect(instrument.nameEn.length).toBeGreaterThan(0);
    }
  });

  it('quotes every previous close on the KRX grid', () => {
    for (const instrument of instruments) expect(isOnKrxGrid(instrument.prevClose), instrument.code).toBe(true);
  });

  it('lets the big caps trade more than the small names', () => {
    const rate = new Map(krxListings().map((l) => [l.instrument.code, l.tradesPerSec]));
    expect(rate.get('005930')).toBeGreaterThanOrEqual(3);
    expect(rate.get('000660')).toBeGreaterThanOrEqual(3);
    for (const listing of krxListings()) {
      expect(listing.tradesPerSec).toBeGreaterThanOrEqual(0.3);
      expect(listing.tradesPerSec).toBeLessThanOrEqual(8);
      expect(listing.dailyVolatility).toBeGreaterThan(0);
    }
  });
});
