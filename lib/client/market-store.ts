/**
 * Holds the latest market data per symbol in the browser. Socket events are written into it as they come;
 * subscribers are told once per animation frame which symbols changed, so React renders at frame rate, not
 * at event rate.
 */
import type { FeedStatus, HogaEvent, SymbolId, TickEvent } from '../contracts';
import { createFrameScheduler } from './frame-scheduler';

/**
 * Prints kept per symbol: the trades tape shows 50, the live candles continue the server's history with the
 * rest; 600 is a couple of minutes of a busy name, enough to cover the candle request's round trip.
 */
export const TICK_HISTORY_LIMIT = 600;

/** One trade print as the tape and the candle builder need it. */
export interface TradePrint {
  seq: number;
  ts: number;
  price: number;
  qty: number;
  side: 'buy' | 'sell' | null;
}

export interface SymbolState {
  tick: TickEvent | null;
  hoga: HogaEvent | null;
  /** Oldest first. A new array after each change, so React sees the change. */
  history: TradePrint[];
  /** Count of seq gaps seen: events the server sent that never reached us. */
  gaps: number;
  /** Set when the server refused the subscription. */
  error: string | null;
}

const EMPTY: SymbolState = { tick: null, hoga: null, history: [], gaps: 0, error: null };
type Listener = () => void;

export class MarketStore {
  private readonly states = new Map<SymbolId, SymbolState>();
  private readonly listeners = new Map<SymbolId, Set<Listener>>();
  private readonly dirty = new Set<SymbolId>();
  private readonly lastSeq = new Map<SymbolId, number>();
  private feeds: FeedStatus[] = [];
  private readonly feedListeners = new Set<Listener>();
  private readonly schedule = createFrameScheduler(() => this.flush());

  get(symbol: SymbolId): SymbolState {
    return this.states.get(symbol) ?? EMPTY;
  }

  subscribe(symbol: SymbolId, listener: Listener): () => void {
    let set = this.listeners.get(symbol);
    if (!set) this.listeners.set(symbol, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  applyTick(event: TickEvent): void {
    if (!this.accept(event.symbol, event.seq)) return;
    const state = this.mutable(event.symbol);
    state.tick = event;
    const history = state.history.length >= TICK_HISTORY_LIMIT ? state.history.slice(1) : state.history.slice();
    history.push({ seq: event.seq, ts: event.ts, price: event.price, qty: event.qty, side: event.side });
    state.history = history;
    this.touch(event.symbol);
  }

  applyHoga(event: HogaEvent): void {
    if (!this.accept(event.symbol, event.seq)) return;
    this.mutable(event.symbol).hoga = event;
    this.touch(event.symbol);
  }

  setError(symbol: SymbolId, error: string | null): void {
    this.mutable(symbol).error = error;
    this.touch(symbol);
  }

  /** Forget the seq position, e.g. after a resubscribe: the next snapshot starts a new run. */
  resetSequence(symbol: SymbolId): void {
    this.lastSeq.delete(symbol);
  }

  feedStatuses(): FeedStatus[] {
    return this.feeds;
  }

  subscribeFeeds(listener: Listener): () => void {
    this.feedListeners.add(listener);
    return () => this.feedListeners.delete(listener);
  }

  applyFeed(status: FeedStatus): void {
    this.feeds = [...this.feeds.filter((f) => f.broker !== status.broker), status];
    for (const listener of this.feedListeners) listener();
  }

  /** Drops duplicates (a snapshot already seen) and counts gaps. */
  private accept(symbol: SymbolId, seq: number): boolean {
    const last = this.lastSeq.get(symbol);
    if (last !== undefined && seq <= last) return false;
    if (last !== undefined && seq > last + 1) this.mutable(symbol).gaps += seq - last - 1;
    this.lastSeq.set(symbol, seq);
    return true;
  }

  private mutable(symbol: SymbolId): SymbolState {
    let state = this.states.get(symbol);
    if (!state) this.states.set(symbol, (state = { ...EMPTY, history: [] }));
    return state;
  }

  private touch(symbol: SymbolId): void {
    this.dirty.add(symbol);
    this.schedule();
  }

  private flush(): void {
    for (const symbol of this.dirty) {
      // A fresh object per flush: useSyncExternalStore compares snapshots by identity.
      const state = this.states.get(symbol);
      if (state) this.states.set(symbol, { ...state });
      for (const listener of this.listeners.get(symbol) ?? []) listener();
    }
    this.dirty.clear();
  }
}
