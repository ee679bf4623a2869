/**
 * Sise's normalized events → the KiwoomServer bridge's socket frames (§8.2, §11.5), encoded with the bridge
 * codec. KRX symbols travel as the six-digit code, as the bridge sends them; other markets keep `MARKET:CODE`.
 */
import type { BalanceEvent, ConditionEvent, HogaEvent, OrderEvent, SymbolId, TickEvent } from '../../lib/contracts';
import { epochToKstStamp, epochToKstTime, type BridgeFrame, type ChejanData } from '../brokers/kiwoom-bridge/codec';
import { BALANCE_FID, hogaData, ORDER_FID, ORDER_STATE } from '../brokers/kiwoom-bridge/normalize';

/** `KRX:005930` → `005930`; `UPBIT:KRW-BTC` stays as it is. */
export function bridgeCode(symbol: SymbolId): string {
  return symbol.startsWith('KRX:') ? symbol.slice(4) : symbol;
}

/** The inverse: a six-digit code is KRX; anything with a colon is taken as a Sise symbol. */
export function symbolOfCode(code: string): string {
  const trimmed = code.trim();
  return /^\d{6}$/.test(trimmed) ? `KRX:${trimmed}` : trimmed;
}

/** OpenAPI+ writes stock codes in chejan FID 9001 with an `A` prefix (as the bridge simulator does). */
function chejanCode(symbol: SymbolId): string {
  return symbol.startsWith('KRX:') ? `A${symbol.slice(4)}` : symbol;
}

/** The broker's account number: `kis:50012345-01` → `50012345-01`. */
export function accountNoOf(accountId: string): string {
  return accountId.slice(accountId.indexOf(':') + 1);
}

export function tickFrame(event: TickEvent): BridgeFrame {
  return {
    type: 'tick',
    code: bridgeCode(event.symbol),
    timestamp: epochToKstStamp(event.ts),
    data: {
      time: epochToKstTime(event.ts),
      current_price: event.price,
      diff: event.change,
      rate: event.changeRate,
      volume: event.qty,
      cum_volume: event.cumVolume,
      cum_turnover_million: Math.round(event.cumValue / 1_000_000),
      open: event.open,
      high: event.high,
      low: event.low,
    },
  };
}

/** Five levels a side, as the bridge maps FIDs 41–45/51–55; `current_price` is the best bid, else the best ask. */
export function hogaFrame(event: HogaEvent): BridgeFrame {
  const data = hogaData(event.asks, event.bids, event.totalAskQty, event.totalBidQty);
  return { type: 'hoga', code: bridgeCode(event.symbol), timestamp: epochToKstStamp(event.ts), data };
}

export function conditionFrame(event: ConditionEvent, name: string, index: number): BridgeFrame {
  return {
    type: 'condition',
    code: bridgeCode(event.symbol),
    timestamp: epochToKstStamp(event.ts),
    data: { condition_name: name, condition_index: index, state: event.action === 'insert' ? 'enter' : 'exit' },
  };
}

const STATE_TEXT: Record<OrderEvent['status'], string> = {
  accepted: ORDER_STATE.accepted,
  partially_filled: ORDER_STATE.filled,
  filled: ORDER_STATE.filled,
  cancelled: ORDER_STATE.confirmed,
  replaced: ORDER_STATE.confirmed,
  rejected: '거부',
};

/** An order event as the bridge's gubun-0 chejan frame; `name` is the instrument's name when known. */
export function orderFrame(event: OrderEvent, name: string): BridgeFrame {
  const buy = event.side === 'buy';
  const side = event.status === 'cancelled' ? (buy ? '매수취소' : '매도취소') : event.status === 'replaced' ? (buy ? '매수정정' : '매도정정') : buy ? '+매수' : '-매도';
  const data: ChejanData = {
    gubun: '0',
    [ORDER_FID.account]: accountNoOf(event.accountId),
    [ORDER_FID.orderNo]: event.orderId,
    [ORDER_FID.code]: chejanCode(event.symbol),
    [ORDER_FID.status]: STATE_TEXT[event.status],
    [ORDER_FID.qty]: String(event.qty),
    [ORDER_FID.price]: String(event.price ?? 0),
    [ORDER_FID.fillQty]: String(event.filledQty),
    [ORDER_FID.time]: epochToKstTime(event.ts),
    [ORDER_FID.orderKind]: side,
  };
  // The bridge omits empty values (§8.2).
  if (name) data[ORDER_FID.name] = name;
  if (event.lastFill) data[ORDER_FID.current] = String(event.lastFill.price);
  return { type: 'order', timestamp: epochToKstStamp(event.ts), data };
}

/** A balance event as gubun-1 chejan frames, one per holding it carries (a cash-only change carries none). */
export function balanceFrames(event: BalanceEvent, lastPrice: (symbol: SymbolId) => number | undefined): BridgeFrame[] {
  const timestamp = epochToKstStamp(event.ts);
  return event.holdings.map((h) => {
    const data: ChejanData = {
      gubun: '1',
      [BALANCE_FID.account]: accountNoOf(event.accountId),
      [BALANCE_FID.code]: chejanCode(h.symbol),
      [BALANCE_FID.qty]: h.qty,
      [BALANCE_FID.avgPrice]: h.avgPrice,
      [BALANCE_FID.purchaseAmount]: h.purchaseAmount,
      [BALANCE_FID.orderableQty]: h.orderableQty,
    };
    if (h.name) data[BALANCE_FID.name] = h.name;
    const price = lastPrice(h.symbol);
    if (price !== undefined) data[BALANCE_FID.price] = String(price);
    return { type: 'balance', timestamp, data };
  });
}
