/**
 * The simulated market: every KRX and Upbit listing's price process, their books, the sessions, and a paper
 * order desk on top. Broker simulators and the in-process `sim` feed listen to its events; nothing here
 * knows about sockets or UI.
 *
 * Determinism: each symbol draws from its own PRNG stream derived from the seed, and nothing reads the
 * wall clock except through `options.now`. Two engines with the same seed, fed the same sequence of
 * step() calls, clock readings and paper orders, emit identical events.
 *
 * @example
 * const engine = new MarketEngine({ seed: 7, alwaysOpen: true });
 * engine.on('trade', (t) => console.log(t.symbol, t.price, t.qty));
 * engine.start();
 * const order = engine.placeOrder({ owner: 'kis:50012345-01', symbol: 'KRX:005930', side: 'buy', type: 'market', qty: 10 });
 */
import { EventEmitter } from 'node:events';
import { marketOf, type Instrument, type SymbolId } from '../../lib/contracts';
import type {
  EngineBook,
  EngineEvents,
  InstrumentState,
  MarketEngineOptions,
  MarketSession,
  PaperOrder,
  PaperOrderRequest,
} from './engine-types';
import { boListings } from './bo-universe';
import { krxListings } from './krx-universe';
import type { Listing } from './listing';
import { isKrxOpen, krxTradingDate, upbitTradingDate } from './market-hours';
import { PaperOrderDesk } from './paper-orders';
import { SymbolSimulator } from './price-process';
import { upbitListings } from './upbit-universe';

/** 20 steps a second: smooth enough for a live hoga ladder, cheap enough for ~50 symbols on one core. */
export const DEFAULT_STEP_MS = 50;
/** Realistic trade rates. */
export const DEFAULT_ACTIVITY = 1;
/** Realistic volatility (each listing's daily volatility as given in its universe file). */
export const DEFAULT_VOLATILITY = 1;

/** Extra knobs beyond the fixed options; all optional so plain MarketEngineOptions still work. */
export interface MarketEngineTuning {
  /** Multiplies every listing's volatility; demos and limit tests raise it to see prices travel. */
  volatility?: number;
  /** Simulate only these symbols (tests, benchmarks); default every listing in the three universes (KRX, Upbit, BO). */
  symbols?: readonly SymbolId[];
  /** Where a throwing listener's error goes; the engine keeps running either way. Default: console.error. */
  onListenerError?: (error: unknown, event: keyof EngineEvents) => void;
}

export type MarketEngineConfig = MarketEngineOptions & MarketEngineTuning;

// node:events is untyped; the public on/off signatures are where the types live.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Listener = (...args: any[]) => void;

export class MarketEngine {
  private readonly emitter = new EventEmitter();
  private readonly simulators = new Map<SymbolId, SymbolSimulator>();
  /** When each symbol's book last changed, for state() snapshots. */
  private readonly bookTs = new Map<SymbolId, number>();
  private readonly desk: PaperOrderDesk;
  private readonly now: () => number;
  private readonly alwaysOpen: boolean;
  private readonly stepMs: number;
  private readonly onListenerError: (error: unknown, event: keyof EngineEvents) => void;
  private timer: ReturnType<typeof setInterval> | null = null;
  private krxOpen: boolean;
  private krxDate: string;
  private upbitDate: string;

  constructor(options: MarketEngineConfig) {
    const activity = options.activity ?? DEFAULT_ACTIVITY;
    const volatility = options.volatility ?? DEFAULT_VOLATILITY;
    const stepMs = options.stepMs ?? DEFAULT_STEP_MS;
    if (!Number.isFinite(options.seed)) throw new RangeError(`seed must be a finite number, got ${options.seed}`);
    if (!(activity >= 0) || !Number.isFinite(activity)) throw new RangeError(`activity must be ≥ 0, got ${activity}`);
    if (!(volatility >= 0) || !Number.isFinite(volatility)) throw new RangeError(`volatility must be ≥ 0, got ${volatility}`);
    if (!(stepMs > 0) || !Number.isFinite(stepMs)) throw new RangeError(`stepMs must be > 0, got ${stepMs}`);
    this.now = options.now ?? Date.now;
    this.alwaysOpen = options.alwaysOpen;
    this.stepMs = stepMs;
    this.onListenerError = options.onListenerError ?? ((error, event) => console.error(`market engine: a '${event}' listener failed`, error));
    // Broker simulators, the sim feed and tests all listen; the default cap of 10 would warn spuriously.
    this.emitter.setMaxListeners(0);

    const ts = this.now();
    for (const listing of selectListings(options.symbols)) {
      const simulator = new SymbolSimulator(listing, Math.trunc(options.seed), { activity, volatility });
      this.simulators.set(simulator.symbol, simulator);
      this.bookTs.set(simulator.symbol, ts);
    }
    this.krxOpen = this.alwaysOpen || isKrxOpen(ts);
    this.krxDate = krxTradingDate(ts);
    this.upbitDate = upbitTradingDate(ts);

    this.desk = new PaperOrderDesk({
      now: this.now,
      simulator: (symbol) => this.simulators.get(symbol),
      isOpen: (symbol, at) => this.isOpen(symbol, at),
      closedReason: (symbol) =>
        marketOf(symbol) === 'KRX'
          ? 'market closed: the KRX regular session is 09:00–15:30 KST, Monday to Friday'
          : `market closed for ${symbol}`,
      emitOrder: (update) => this.emit('order', update),
      bookChanged: (simulator, at) => this.publishBook(simulator, at),
    });
  }

  /** Subscribes to trade, book, order or session events. */
  on<E extends keyof EngineEvents>(event: E, listener: EngineEvents[E]): this {
    this.emitter.on(event, listener as Listener);
    return this;
  }

  off<E extends keyof EngineEvents>(event: E, listener: EngineEvents[E]): this {
    this.emitter.off(event, listener as Listener);
    return this;
  }

  /** Every simulated instrument, KRX first, then Upbit, then the BO venue, with today's reference price. */
  instruments(): Instrument[] {
    return [...this.simulators.values()].map((s) => s.instrument());
  }

  instrument(symbol: SymbolId): Instrument | undefined {
    return this.simulators.get(symbol)?.instrument();
  }

  /** A snapshot of one symbol: last print, current book, limits. Copies; mutate freely. */
  state(symbol: SymbolId): InstrumentState | undefined {
    const simulator = this.simulators.get(symbol);
    if (!simulator) return undefined;
    const limits = simulator.limits;
    const grid = simulator.grid;
    const lastTrade = simulator.lastTrade;
    return {
      instrument: simulator.instrument(),
      lastTrade: lastTrade ? { ...lastTrade } : null,
      book: simulator.bookSnapshot(this.bookTs.get(symbol) ?? this.now()),
      upperLimit: limits?.upper ?? null,
      lowerLimit: limits?.lower ?? null,
      tickSizeAt: (price: number) => grid.tickSize(price),
    };
  }

  /** Steps every `stepMs` of wall time. The timer is unref'd: a running engine never keeps the process alive. */
  start(): void {
    if (this.timer !== null) return;
    this.timer = setInterval(() => this.step(this.stepMs), this.stepMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer === null) return;
    clearInterval(this.timer);
    this.timer = null;
  }

  get running(): boolean {
    return this.timer !== null;
  }

  /**
   * Advances the market by `dtMs` of simulated time, stamping events with `now()`. Session changes and
   * trading-date rolls are checked first; KRX symbols do not move while KRX is closed.
   */
  step(dtMs: number = this.stepMs): void {
    if (!(dtMs > 0) || !Number.isFinite(dtMs)) throw new RangeError(`dtMs must be > 0, got ${dtMs}`);
    const ts = this.now();
    this.checkCalendar(ts);
    const onTrade = (trade: Parameters<EngineEvents['trade']>[0]) => {
      this.emit('trade', trade);
      this.desk.onTrade(trade);
    };
    // checkCalendar just settled this.krxOpen for `ts`; reuse it rather than recomputing per symbol.
    const krxOpen = this.krxOpen;
    for (const simulator of this.simulators.values()) {
      if (simulator.isKrx && !krxOpen) continue;
      if (simulator.step(dtMs, ts, onTrade)) this.publishBook(simulator, ts);
    }
  }

  /** Whether `symbol` trades at `at` (default now). Unknown symbols are never open. */
  isOpen(symbol: SymbolId, at: number = this.now()): boolean {
    if (!this.simulators.has(symbol)) return false;
    if (marketOf(symbol) === 'KRX') return this.alwaysOpen || isKrxOpen(at);
    return true;
  }

  /**
   * Places a paper order. Synchronous: the returned order already reflects immediate fills, and 'order'
   * events (accepted, then one per fill) have been emitted. A bad request is not thrown: it comes back
   * with status 'rejected' and a `reason`, and a 'rejected' update is emitted.
   */
  placeOrder(request: PaperOrderRequest): PaperOrder {
    return this.desk.place(request);
  }

  /**
   * Cancels a working order and returns it with status 'cancelled'.
   * @throws PaperOrderError with code UNKNOWN_ORDER, NOT_OWNER or ORDER_DONE (see paper-orders.ts).
   */
  cancelOrder(owner: string, orderId: string): PaperOrder {
    return this.desk.cancel(owner, orderId);
  }

  /** The owner's working (accepted or partially filled) orders, oldest first. */
  openOrders(owner: string): PaperOrder[] {
    return this.desk.openOrders(owner);
  }

  /** Any order still remembered (working, or among the most recent finished ones). */
  order(orderId: string): PaperOrder | undefined {
    return this.desk.get(orderId);
  }

  private checkCalendar(ts: number): void {
    const krxDate = krxTradingDate(ts);
    if (krxDate !== this.krxDate) {
      this.krxDate = krxDate;
      this.rollDay('KRX', ts);
    }
    const upbitDate = upbitTradingDate(ts);
    if (upbitDate !== this.upbitDate) {
      this.upbitDate = upbitDate;
      this.rollDay('UPBIT', ts);
      // The BO venue trades around the clock too; its day rolls at 00:00 UTC like Upbit's.
      this.rollDay('BO', ts);
    }
    const krxOpen = this.alwaysOpen || isKrxOpen(ts);
    if (krxOpen !== this.krxOpen) {
      this.krxOpen = krxOpen;
      const session: MarketSession = { market: 'KRX', open: krxOpen, ts };
      this.emit('session', session);
    }
  }

  private rollDay(market: 'KRX' | 'UPBIT' | 'BO', ts: number): void {
    for (const simulator of this.simulators.values()) {
      if (marketOf(simulator.symbol) !== market) continue;
      if (market === 'KRX') this.desk.expire(simulator.symbol, 'day order expired at the end of the KRX trading day');
      simulator.rollDay();
      this.publishBook(simulator, ts);
    }
  }

  private publishBook(simulator: SymbolSimulator, ts: number): void {
    this.bookTs.set(simulator.symbol, ts);
    // Building a snapshot costs more than the step itself; skip it when nobody listens.
    if (this.emitter.listenerCount('book') === 0) return;
    const book: EngineBook = simulator.bookSnapshot(ts);
    this.emit('book', book);
  }

  /**
   * Calls each listener on its own: one broker simulator that throws must not stop the market for the others,
   * nor escape from the step timer and take the process down.
   */
  private emit<E extends keyof EngineEvents>(event: E, ...args: Parameters<EngineEvents[E]>): void {
    for (const listener of this.emitter.listeners(event) as Listener[]) {
      try {
        listener(...args);
      } catch (error) {
        this.onListenerError(error, event);
      }
    }
  }
}

function selectListings(symbols: readonly SymbolId[] | undefined): Listing[] {
  const all = [...krxListings(), ...upbitListings(), ...boListings()];
  if (symbols === undefined) return all;
  const bySymbol = new Map(all.map((listing) => [listing.instrument.symbol, listing]));
  return symbols.map((symbol) => {
    const listing = bySymbol.get(symbol);
    if (!listing) throw new RangeError(`the market engine has no listing for ${symbol}`);
    return listing;
  });
}

