/**
 * The simulated market engine's public surface. Broker simulators (KIS, Kiwoom, Upbit, the bridge, BO)
 * encode these engine events into their own wire formats; the in-process `sim` feed maps them straight to
 * normalized events. Nothing here knows about UI or sockets.
 */
import type { Instrument, OrderSide, OrderType, PriceLevel, SymbolId } from '../../lib/contracts';

/** A trade print and the day's state right after it. */
export interface EngineTrade {
  symbol: SymbolId;
  /** Epoch ms from the engine's clock. */
  ts: number;
  price: number;
  qty: number;
  /** Aggressor side: `buy` lifted the ask, `sell` hit the bid. */
  side: OrderSide;
  prevClose: number;
  open: number;
  high: number;
  low: number;
  cumVolume: number;
  cumValue: number;
  upperLimit: number | null;
  lowerLimit: number | null;
}

/** The order book after a change. Best first; KRX 10 levels each side, Upbit 15. */
export interface EngineBook {
  symbol: SymbolId;
  ts: number;
  asks: PriceLevel[];
  bids: PriceLevel[];
}

export interface PaperOrderRequest {
  /** Who gets the updates, e.g. an account id; the engine treats it as an opaque tag. */
  owner: string;
  symbol: SymbolId;
  side: OrderSide;
  type: OrderType;
  qty: number;
  /** Required for limit orders; must sit on the tick grid and inside the daily limits. */
  price?: number;
}

export type PaperOrderStatus = 'accepted' | 'partially_filled' | 'filled' | 'cancelled' | 'rejected';

export interface PaperOrder {
  orderId: string;
  owner: string;
  symbol: SymbolId;
  side: OrderSide;
  type: OrderType;
  qty: number;
  price: number | null;
  status: PaperOrderStatus;
  filledQty: number;
  remainingQty: number;
  /** Volume-weighted average fill price so far, null before the first fill. */
  avgFillPrice: number | null;
  reason: string | null;
  createdTs: number;
  updatedTs: number;
}

/** One change to a paper order; emitted for acceptance, every fill, cancel and reject. */
export interface PaperOrderUpdate {
  order: PaperOrder;
  /** Present for fills. */
  fill: { qty: number; price: number } | null;
  ts: number;
}

export interface MarketSession {
  market: 'KRX' | 'UPBIT';
  open: boolean;
  ts: number;
}

export interface EngineEvents {
  trade: (trade: EngineTrade) => void;
  book: (book: EngineBook) => void;
  order: (update: PaperOrderUpdate) => void;
  session: (session: MarketSession) => void;
}

export interface MarketEngineOptions {
  /** Same seed, same sequence of steps → same prices, sizes and books. */
  seed: number;
  /** Keep KRX trading outside 09:00–15:30 KST (demos, tests). */
  alwaysOpen: boolean;
  /** The engine's clock; defaults to Date.now. Tests pass a fake one. */
  now?: () => number;
  /** Wall-clock interval between steps when started with start(). */
  stepMs?: number;
  /** Multiplies every symbol's trade rate; 1 is realistic, tests may raise it. */
  activity?: number;
}

export interface InstrumentState {
  instrument: Instrument;
  lastTrade: EngineTrade | null;
  book: EngineBook;
  upperLimit: number | null;
  lowerLimit: number | null;
  tickSizeAt(price: number): number;
}
