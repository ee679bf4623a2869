/**
 * The KRX names the simulator trades: large and mid caps people actually watch, plus a few cheap names
 * so every tick band (1, 5, 10, 50, 100, 500, 1,000 won) and most band edges are exercised.
 * Prices are plausible 2025–26 levels, not quotes; each sits on the KRX tick grid.
 * Activity is trades per second at activity 1: the two giants trade several times a second,
 * small names a few times a minute to a couple of times a second.
 */
import { formatSymbol, type Instrument } from '../../lib/contracts';
import type { Listing } from './listing';

type KrxRow = readonly [
  code: string,
  name: string,
  nameEn: string,
  venue: 'KOSPI' | 'KOSDAQ',
  prevClose: number,
  tradesPerSec: number,
  dailyVolatility: number,
];

/** Large caps move ~2% on a normal day; KOSDAQ growth and biotech names closer to 3.5–4%. */
const KRX_ROWS: readonly KrxRow[] = [
  ['005930', '삼성전자', 'Samsung Electronics', 'KOSPI', 97_900, 5.5, 0.02],
  ['000660', 'SK하이닉스', 'SK hynix', 'KOSPI', 578_000, 5, 0.028],
  ['373220', 'LG에너지솔루션', 'LG Energy Solution', 'KOSPI', 421_500, 1.8, 0.025],
  ['207940', '삼성바이오로직스', 'Samsung Biologics', 'KOSPI', 1_085_000, 1.2, 0.02],
  ['005380', '현대차', 'Hyundai Motor', 'KOSPI', 252_000, 2, 0.02],
  ['000270', '기아', 'Kia', 'KOSPI', 115_300, 1.8, 0.02],
  ['035420', 'NAVER', 'NAVER', 'KOSPI', 251_500, 1.8, 0.024],
  ['035720', '카카오', 'Kakao', 'KOSPI', 58_600, 2, 0.026],
  ['051910', 'LG화학', 'LG Chem', 'KOSPI', 331_500, 1.4, 0.028],
  ['006400', '삼성SDI', 'Samsung SDI', 'KOSPI', 281_000, 1.4, 0.03],
  ['068270', '셀트리온', 'Celltrion', 'KOSPI', 181_200, 1.6, 0.022],
  ['105560', 'KB금융', 'KB Financial Group', 'KOSPI', 116_400, 1.5, 0.018],
  ['055550', '신한지주', 'Shinhan Financial Group', 'KOSPI', 70_300, 1.3, 0.018],
  ['086790', '하나금융지주', 'Hana Financial Group', 'KOSPI', 86_700, 1.1, 0.018],
  ['005490', 'POSCO홀딩스', 'POSCO Holdings', 'KOSPI', 298_500, 1.2, 0.024],
  ['028260', '삼성물산', 'Samsung C&T', 'KOSPI', 221_500, 0.9, 0.02],
  ['012330', '현대모비스', 'Hyundai Mobis', 'KOSPI', 291_000, 0.8, 0.019],
  ['066570', 'LG전자', 'LG Electronics', 'KOSPI', 81_200, 1.1, 0.022],
  ['003550', 'LG', 'LG Corp', 'KOSPI', 79_800, 0.6, 0.018],
  ['017670', 'SK텔레콤', 'SK Telecom', 'KOSPI', 54_300, 0.7, 0.014],
  ['030200', 'KT', 'KT', 'KOSPI', 51_800, 0.7, 0.015],
  ['032830', '삼성생명', 'Samsung Life Insurance', 'KOSPI', 141_300, 0.6, 0.02],
  ['034730', 'SK', 'SK Inc.', 'KOSPI', 228_500, 0.6, 0.022],
  ['015760', '한국전력', 'Korea Electric Power', 'KOSPI', 40_150, 1.2, 0.022],
  ['009150', '삼성전기', 'Samsung Electro-Mechanics', 'KOSPI', 205_500, 1.1, 0.026],
  ['010130', '고려아연', 'Korea Zinc', 'KOSPI', 912_000, 0.7, 0.03],
  ['259960', '크래프톤', 'Krafton', 'KOSPI', 276_500, 0.9, 0.025],
  ['352820', '하이브', 'HYBE', 'KOSPI', 268_000, 0.9, 0.028],
  ['034220', 'LG디스플레이', 'LG Display', 'KOSPI', 11_250, 0.9, 0.025],
  ['003490', '대한항공', 'Korean Air', 'KOSPI', 23_350, 0.8, 0.018],
  ['088350', '한화생명', 'Hanwha Life', 'KOSPI', 3_045, 0.6, 0.02],
  ['003530', '한화투자증권', 'Hanwha Investment & Securities', 'KOSPI', 4_490, 0.5, 0.03],
  ['003280', '흥아해운', 'Heung-A Shipping', 'KOSPI', 1_985, 0.4, 0.035],
  ['247540', '에코프로비엠', 'EcoPro BM', 'KOSDAQ', 121_700, 1.8, 0.035],
  ['086520', '에코프로', 'EcoPro', 'KOSDAQ', 84_300, 1.6, 0.035],
  ['196170', '알테오젠', 'Alteogen', 'KOSDAQ', 478_500, 1.5, 0.035],
  ['028300', 'HLB', 'HLB', 'KOSDAQ', 48_650, 1.4, 0.038],
  ['293490', '카카오게임즈', 'Kakao Games', 'KOSDAQ', 16_480, 0.7, 0.028],
  ['263750', '펄어비스', 'Pearl Abyss', 'KOSDAQ', 34_650, 0.6, 0.03],
  ['041510', '에스엠', 'SM Entertainment', 'KOSDAQ', 94_800, 0.6, 0.028],
  ['035900', 'JYP Ent.', 'JYP Entertainment', 'KOSDAQ', 64_700, 0.6, 0.028],
];

/** Every simulated KRX name with its trading profile, in a stable order. */
export function krxListings(): Listing[] {
  return KRX_ROWS.map(([code, name, nameEn, venue, prevClose, tradesPerSec, dailyVolatility]) => ({
    instrument: { symbol: formatSymbol('KRX', code), market: 'KRX', code, name, nameEn, venue, prevClose },
    tradesPerSec,
    dailyVolatility,
  }));
}

/**
 * @example krxInstruments().find((i) => i.code === '005930')?.name // '삼성전자'
 */
export function krxInstruments(): Instrument[] {
  return krxListings().map((listing) => listing.instrument);
}
