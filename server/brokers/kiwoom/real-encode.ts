/**
 * Engine events → REAL item values, the way Kiwoom formats them: signed prices against the previous close,
 * KST `HHmmss` times, 누적거래대금 in millions. The simulator pushes these; the benchmark builds frames with them.
 */
import type { SymbolId } from '../../../lib/contracts';
import { signOf } from '../../../lib/format/price-colour';
import type { EngineBook, EngineTrade } from '../../market/engine-types';
import { epochToKstTime, signedPrice, signedText, type RealItem } from './codec';
import { ASK_PRICE_BASE, ASK_QTY_BASE, BID_PRICE_BASE, BID_QTY_BASE, BOOK_LEVELS, REAL_TYPE } from './normalize';

const SIGN_CODE = { upper: '1', up: '2', flat: '3', lower: '4', down: '5' } as const;
const MILLION = 1_000_000;

/** A 0B 주식체결 item for one engine trade; `best` is the book's top, for FIDs 27/28. */
export function tradeItem(code: string, trade: EngineTrade, best: { ask: number | null; bid: number | null }): RealItem {
  const change = trade.price - trade.prevClose;
  const rate = Math.round((change / trade.prevClose) * 10_000) / 100;
  const p = (price: number | null) => (price === null ? '' : signedPrice(price, trade.prevClose));
  return {
    type: REAL_TYPE.trade,
    name: '주식체결',
    item: code,
    values: {
      '20': epochToKstTime(trade.ts),
      '10': p(trade.price),
      '11': signedText(change),
      '12': signedText(rate, 2),
      '27': p(best.ask),
      '28': p(best.bid),
      '15': `${trade.side === 'buy' ? '+' : '-'}${trade.qty}`,
      '13': String(trade.cumVolume),
      '14': String(Math.round(trade.cumValue / MILLION)),
      '16': p(trade.open),
      '17': p(trade.high),
      '18': p(trade.low),
      '25': SIGN_CODE[signOf(trade.price, trade.prevClose, trade.upperLimit, trade.lowerLimit)],
      '290': '2',
      '9081': '1',
    },
  };
}

/** A 0D 주식호가잔량 item: 10 levels each side, empty past the book's depth, totals in 121/125. */
export function bookItem(code: string, book: EngineBook, prevClose: number): RealItem {
  const values: Record<string, string> = { '21': epochToKstTime(book.ts) };
  let totalAsk = 0;
  let totalBid = 0;
  for (let n = 1; n <= BOOK_LEVELS; n++) {
    const ask = book.asks[n - 1];
    const bid = book.bids[n - 1];
    values[String(ASK_PRICE_BASE + n)] = ask ? signedPrice(ask.price, prevClose) : '0';
    values[String(ASK_QTY_BASE + n)] = ask ? String(ask.qty) : '0';
    values[String(BID_PRICE_BASE + n)] = bid ? signedPrice(bid.price, prevClose) : '0';
    values[String(BID_QTY_BASE + n)] = bid ? String(bid.qty) : '0';
    totalAsk += ask?.qty ?? 0;
    totalBid += bid?.qty ?? 0;
  }
  values['121'] = String(totalAsk);
  values['125'] = String(totalBid);
  return { type: REAL_TYPE.book, name: '주식호가잔량', item: code, values };
}

/** A 02 조건검색 item: `843` I (편입) or D (이탈). */
export function conditionItem(seq: string, code: string, action: 'insert' | 'delete', ts: number): RealItem {
  return {
    type: REAL_TYPE.condition,
    name: '조건검색',
    item: code,
    values: { '841': seq, '9001': code, '843': action === 'insert' ? 'I' : 'D', '20': epochToKstTime(ts), '907': '' },
  };
}

/** The six-digit code of a KRX symbol. */
export function krxCode(symbol: SymbolId): string {
  return symbol.slice(symbol.indexOf(':') + 1);
}
