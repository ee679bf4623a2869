/**
 * One symbol's simulated market: a hidden fair value diffusing at the listing's volatility, market makers
 * quoting a book around it on the tick grid, and a Poisson stream of aggressive trades (rate switching
 * between quiet and burst regimes) that lift asks and hit bids. Trades that use up a level push the price
 * and leave part of that push in the fair value, so moves come both from news (diffusion) and from flow.
 *
 * All randomness comes from this symbol's own PRNG stream, so a symbol's path does not depend on which
 * other symbols are simulated or in what order.
 */
import type { Instrument, OrderSide, SymbolId } from '../../lib/contracts';
import { krxPriceLimits, type KrxPriceLimits } from '../../lib/format/krx-price-limits';
import { fixDecimals } from '../../lib/format/tick-table';
import { initialRegime, nextRegime, rateMultiplier, volMultiplier, type Regime } from './activity-regime';
import type { EngineBook, EngineTrade } from './engine-types';
import type { Listing } from './listing';
import { OrderBook, type FreshQty, type PriceBounds } from './order-book';
import { gridFor, lotQty, roundQty, type PriceGrid } from './price-grid';
import { Prng, hashString } from './prng';

/** KRX shows 10 levels each side (10단 호가). */
export const KRX_BOOK_DEPTH = 10;
/** Upbit's orderbook stream carries 15 levels by default (up to 30 on request). */
export const UPBIT_BOOK_DEPTH = 15;

/** Seconds in a KRX regular session (09:00–15:30), the horizon of a KRX listing's daily volatility. */
const KRX_SESSION_SEC = 6.5 * 60 * 60;
/** Upbit's day is 24 h; crypto volatility is quoted per calendar day. */
const UPBIT_DAY_SEC = 24 * 60 * 60;

/** Median trade value on KRX: retail-heavy tape, a couple of million won per print (≈25 shares of 005930). */
const KRX_MEDIAN_TRADE_KRW = 2_500_000;
/** Median Upbit trade: a few hundred thousand won, the typical retail ticket. */
const UPBIT_MEDIAN_TRADE_KRW = 300_000;
/** Median BO print in US dollars: a small professional venue, a few thousand dollars a ticket. */
const BO_MEDIAN_TRADE_USD = 2_500;
/** The BO venue's smallest print worth simulating, in US dollars. */
const BO_MIN_TRADE_USD = 10;
/** Upbit rejects KRW orders under 5,000 won, so no print is smaller. */
const UPBIT_MIN_ORDER_KRW = 5_000;
/** Log-sd of trade size: a heavy tail where one print in ~50 is 10× the median and sweeps levels. */
const TRADE_QTY_SIGMA = 1.2;
/** Share of KRX prints people enter as round numbers (10, 50, 100, 500 shares). */
const ROUND_LOT_PROBABILITY = 0.3;
/** A fresh level holds about this many median trades: deep enough to bounce, thin enough for bursts to eat. */
const LEVEL_QTY_MEDIAN_TRADES = 12;
/** Log-sd of a fresh level's size: some levels are thin, a few are walls. */
const LEVEL_QTY_SIGMA = 0.7;
/** Each level further from the inside holds this much more on average, as real books thicken with depth. */
const LEVEL_DEPTH_GROWTH = 0.08;
/** A revised level moves this far toward a fresh size, so sizes persist for a while step to step. */
const LEVEL_REVISION_WEIGHT = 0.2;
/** At most this many levels change in one quote update: real updates touch one or two prices. */
const MAX_LEVELS_PER_REVISION = 3;
/** Quote updates per trade: books flicker more often than prints happen. */
const QUOTE_UPDATES_PER_TRADE = 2;
/** Even a sleepy name's book changes now and then. */
const MIN_QUOTE_UPDATES_PER_SEC = 0.3;
/** Probability shift toward repeating the last aggressor side: order flow is autocorrelated. */
const SIDE_MOMENTUM = 0.12;
/** Probability shift toward the side that moves the price to fair value, at one tick of mispricing. */
const SIDE_FAIR_PULL = 0.25;
/** An aggressive order sweeps at most this many levels; each level is its own print. */
const MAX_SWEEP_LEVELS = 3;
/** Share of an exhaustion move that sticks in the fair value (the rest mean-reverts as quotes refill). */
const IMPACT_FRACTION = 0.5;
/** Fair value may overshoot a KRX limit by this much, so a limit-locked name stays pinned for a while. */
const FAIR_LIMIT_OVERSHOOT = 0.02;
/** Upbit has no limits; keep a runaway demo price within 50× of its start so the grid stays sensible. */
const UPBIT_FAIR_RANGE = 50;
/** Decimal places kept in Upbit cumulative value, enough for won and free of float noise. */
const UPBIT_VALUE_DECIMALS = 4;

export interface ProcessTuning {
  /** Multiplies the trade rate. */
  activity: number;
  /** Multiplies the volatility. */
  volatility: number;
}

interface DayStats {
  open: number;
  high: number;
  low: number;
  cumVolume: number;
  cumValue: number;
}

export class SymbolSimulator {
  readonly symbol: SymbolId;
  readonly isKrx: boolean;
  readonly grid: PriceGrid;
  readonly book: OrderBook;
  readonly rng: Prng;
  private readonly listing: Listing;
  private readonly tuning: ProcessTuning;
  private readonly sigmaPerSqrtSec: number;
  private readonly medianTradeValue: number;
  /** Smallest value of a decimal-lot print (Upbit's 5,000 KRW order minimum; the BO venue's dollars). */
  private readonly minTradeValue: number;
  /** Median trade size in lots at today's reference price; reset when the day rolls. */
  private medianTradeQty: number;
  private readonly fairFloor: number;
  private readonly fairCeiling: number;
  private prevCloseValue: number;
  private limitsValue: KrxPriceLimits | null;
  /** The book's price bounds, cached: they only change when the day rolls, and are read on every quote. */
  private boundsValue: PriceBounds;
  private fair: number;
  private regimeValue: Regime;
  private lastSide: OrderSide;
  private day: DayStats | null = null;
  private lastTradeValue: EngineTrade | null = null;
  /** Bound once: the book calls it for every new level. */
  readonly freshQty: FreshQty;

  constructor(listing: Listing, seed: number, tuning: ProcessTuning) {
    const { instrument } = listing;
    this.listing = listing;
    this.symbol = instrument.symbol;
    this.tuning = tuning;
    this.grid = gridFor(instrument.market);
    this.rng = new Prng(seed, hashString(instrument.symbol));
    const isKrx = instrument.market === 'KRX';
    this.isKrx = isKrx;
    const daySec = isKrx ? KRX_SESSION_SEC : UPBIT_DAY_SEC;
    this.sigmaPerSqrtSec = (listing.dailyVolatility / Math.sqrt(daySec)) * tuning.volatility;
    this.medianTradeValue = isKrx ? KRX_MEDIAN_TRADE_KRW : instrument.market === 'BO' ? BO_MEDIAN_TRADE_USD : UPBIT_MEDIAN_TRADE_KRW;
    this.minTradeValue = instrument.market === 'BO' ? BO_MIN_TRADE_USD : UPBIT_MIN_ORDER_KRW;
    this.medianTradeQty = this.medianTradeValue / instrument.prevClose;
    this.fairFloor = instrument.prevClose / UPBIT_FAIR_RANGE;
    this.fairCeiling = instrument.prevClose * UPBIT_FAIR_RANGE;
    this.prevCloseValue = instrument.prevClose;
    this.limitsValue = isKrx ? krxPriceLimits(instrument.prevClose) : null;
    this.boundsValue = this.computeBounds();
    this.fair = instrument.prevClose;
    this.regimeValue = initialRegime(this.rng);
    this.lastSide = this.rng.chance(0.5) ? 'buy' : 'sell';
    this.freshQty = (levelIndex) => this.drawLevelQty(levelIndex);
    this.book = new OrderBook(this.grid, isKrx ? KRX_BOOK_DEPTH : UPBIT_BOOK_DEPTH, this.boundsValue);
    this.book.reset(this.targetBid(), this.freshQty);
  }

  get prevClose(): number {
    return this.prevCloseValue;
  }

  get limits(): KrxPriceLimits | null {
    return this.limitsValue;
  }

  get regime(): Regime {
    return this.regimeValue;
  }

  get lastTrade(): EngineTrade | null {
    return this.lastTradeValue;
  }

  instrument(): Instrument {
    return { ...this.listing.instrument, prevClose: this.prevCloseValue };
  }

  bookSnapshot(ts: number): EngineBook {
    const { asks, bids } = this.book.snapshot();
    return { symbol: this.symbol, ts, asks, bids };
  }

  /**
   * Advances this symbol by `dtMs`. Trades are reported through `onTrade` as they happen (so resting
   * paper orders can fill between two prints). Returns whether the book changed.
   */
  step(dtMs: number, ts: number, onTrade: (trade: EngineTrade) => void): boolean {
    const dtSec = dtMs / 1000;
    if (!(dtSec > 0)) return false;
    const rng = this.rng;
    this.regimeValue = nextRegime(this.regimeValue, dtSec, rng);
    const sigma = this.sigmaPerSqrtSec * volMultiplier(this.regimeValue) * Math.sqrt(dtSec);
    this.fair = this.clampFair(this.fair * Math.exp(sigma * rng.normal()));

    const tradeRate = this.listing.tradesPerSec * this.tuning.activity * rateMultiplier(this.regimeValue);
    const quoteRate = tradeRate * QUOTE_UPDATES_PER_TRADE + MIN_QUOTE_UPDATES_PER_SEC * this.tuning.activity;
    const quotes = rng.poisson(quoteRate * dtSec);
    const trades = rng.poisson(tradeRate * dtSec);
    for (let i = 0; i < quotes; i++) this.quoteUpdate();
    for (let i = 0; i < trades; i++) this.aggressiveOrder(ts, onTrade);
    return quotes + trades > 0;
  }

  /**
   * Starts a new trading day: yesterday's last price becomes the reference, KRX limits are recomputed
   * around it and the day's open/high/low/volume start over.
   */
  rollDay(): void {
    const last = this.lastTradeValue?.price;
    if (last !== undefined) this.prevCloseValue = last;
    if (this.limitsValue) this.limitsValue = krxPriceLimits(this.prevCloseValue);
    this.boundsValue = this.computeBounds();
    this.medianTradeQty = this.medianTradeValue / this.prevCloseValue;
    this.day = null;
    this.fair = this.clampFair(this.fair);
    this.book.setBounds(this.boundsValue, this.freshQty);
    this.book.moveTo(this.targetBid(), this.freshQty);
  }

  /** Books a simulated print into the day stats and makes it the last trade (paper fills never come here). */
  private recordTrade(ts: number, price: number, qty: number, side: OrderSide): EngineTrade {
    const grid = this.grid;
    const day = this.day;
    const value = price * qty;
    if (day === null) {
      this.day = { open: price, high: price, low: price, cumVolume: qty, cumValue: value };
    } else {
      if (price > day.high) day.high = price;
      if (price < day.low) day.low = price;
      day.cumVolume = roundQty(grid, day.cumVolume + qty);
      day.cumValue = grid.qtyDecimals === 0 ? day.cumValue + value : fixDecimals(day.cumValue + value, UPBIT_VALUE_DECIMALS);
    }
    const stats = this.day as DayStats;
    const trade: EngineTrade = {
      symbol: this.symbol,
      ts,
      price,
      qty,
      side,
      prevClose: this.prevCloseValue,
      open: stats.open,
      high: stats.high,
      low: stats.low,
      cumVolume: stats.cumVolume,
      cumValue: grid.qtyDecimals === 0 ? stats.cumValue : fixDecimals(stats.cumValue, UPBIT_VALUE_DECIMALS),
      upperLimit: this.limitsValue?.upper ?? null,
      lowerLimit: this.limitsValue?.lower ?? null,
    };
    this.lastTradeValue = trade;
    return trade;
  }

  private aggressiveOrder(ts: number, onTrade: (trade: EngineTrade) => void): void {
    const book = this.book;
    let side = this.chooseSide();
    // At a limit the book is one-sided; only the other side can trade.
    if (side === 'buy' && book.asks.length === 0) side = 'sell';
    if (side === 'sell' && book.bids.length === 0) side = 'buy';
    let remaining = this.drawTradeQty();
    let exhausted = false;
    for (let sweep = 0; sweep < MAX_SWEEP_LEVELS && remaining > 0; sweep++) {
      const fill = book.take(side, remaining);
      if (fill === null) break;
      remaining = roundQty(this.grid, remaining - fill.qty);
      exhausted ||= fill.exhausted;
      onTrade(this.recordTrade(ts, fill.price, fill.qty, side));
    }
    this.lastSide = side;
    if (!exhausted) return;
    book.refill(this.freshQty);
    // Part of the push stays: the fair value moves toward the new inside market.
    const mid = this.insideMid();
    if (mid !== null) this.fair = this.clampFair(this.fair + IMPACT_FRACTION * (mid - this.fair));
  }

  private chooseSide(): OrderSide {
    const mid = this.insideMid();
    let pBuy = 0.5 + (this.lastSide === 'buy' ? SIDE_MOMENTUM : -SIDE_MOMENTUM);
    if (mid !== null) {
      const mispricing = (this.fair - mid) / this.grid.tickSize(mid);
      pBuy += SIDE_FAIR_PULL * Math.max(-1, Math.min(1, mispricing));
    }
    return this.rng.chance(pBuy) ? 'buy' : 'sell';
  }

  /** Market makers re-quote: follow the fair value, step into an empty gap, or resize a few levels. */
  private quoteUpdate(): void {
    const book = this.book;
    const target = this.targetBid();
    if (book.anchor() !== target) {
      book.moveTo(target, this.freshQty);
      return;
    }
    if (book.hasGap()) {
      // Whoever steps in first decides where the inside market settles; a coin flip keeps it fair.
      if (this.rng.chance(0.5)) book.shiftUp(this.freshQty);
      else book.shiftDown(this.freshQty);
      return;
    }
    const changes = this.rng.int(1, MAX_LEVELS_PER_REVISION);
    for (let i = 0; i < changes; i++) {
      const levels = this.rng.chance(0.5) ? book.asks : book.bids;
      if (levels.length === 0) continue;
      const index = this.rng.int(0, levels.length - 1);
      const level = levels[index]!;
      const revised = level.qty * (1 - LEVEL_REVISION_WEIGHT) + this.drawLevelQty(index) * LEVEL_REVISION_WEIGHT;
      level.qty = lotQty(this.grid, revised);
    }
  }

  /** The bid the book should sit at for the current fair value, pinned at the limits. */
  private targetBid(): number {
    const { lower, upper } = this.boundsValue;
    if (this.fair >= upper) return upper;
    const bid = this.fair > this.grid.minPrice ? this.grid.round(this.fair, 'down') : this.grid.minPrice;
    if (bid >= lower) return bid;
    // Below the lower limit: no bids at all, asks from the limit (a 하한가 book).
    return lower > this.grid.minPrice ? this.grid.down(lower) : lower;
  }

  private insideMid(): number | null {
    const ask = this.book.asks[0];
    const bid = this.book.bids[0];
    if (ask && bid) return (ask.price + bid.price) / 2;
    return ask?.price ?? bid?.price ?? null;
  }

  private computeBounds(): PriceBounds {
    const limits = this.limitsValue;
    return limits ? { lower: limits.lower, upper: limits.upper } : { lower: this.grid.minPrice, upper: Number.POSITIVE_INFINITY };
  }

  private clampFair(value: number): number {
    const limits = this.limitsValue;
    const floor = limits ? limits.lower * (1 - FAIR_LIMIT_OVERSHOOT) : this.fairFloor;
    const ceiling = limits ? limits.upper * (1 + FAIR_LIMIT_OVERSHOOT) : this.fairCeiling;
    return Math.min(ceiling, Math.max(floor, value));
  }

  private drawTradeQty(): number {
    const raw = this.medianTradeQty * Math.exp(this.rng.normal(0, TRADE_QTY_SIGMA));
    if (this.grid.qtyDecimals > 0) {
      // Upbit refuses orders under its minimum value (a single print may still be smaller: a leftover).
      const price = this.insideMid() ?? this.prevCloseValue;
      return Math.max(lotQty(this.grid, this.minTradeValue / price), lotQty(this.grid, raw));
    }
    let qty = Math.max(1, Math.round(raw));
    if (qty >= 10 && this.rng.chance(ROUND_LOT_PROBABILITY)) {
      const magnitude = 10 ** Math.floor(Math.log10(qty));
      qty = Math.max(magnitude, Math.round(qty / magnitude) * magnitude);
    }
    return qty;
  }

  private drawLevelQty(levelIndex: number): number {
    const median = this.medianTradeQty * LEVEL_QTY_MEDIAN_TRADES * (1 + LEVEL_DEPTH_GROWTH * levelIndex);
    return lotQty(this.grid, median * Math.exp(this.rng.normal(0, LEVEL_QTY_SIGMA)));
  }
}
