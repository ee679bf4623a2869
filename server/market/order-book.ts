/**
 * One symbol's simulated limit order book: a few price levels each side, contiguous on the price grid from
 * each side's best price, always inside the price bounds (KRX daily limits). It knows nothing about
 * randomness: new liquidity comes from a `FreshQty` callback so the price process owns every random draw.
 *
 * At a limit the book is one-sided, as on KRX: at 상한가 the bids sit at the upper limit and there are
 * no asks above it; at 하한가 the asks start at the lower limit and there are no bids.
 */
import type { OrderSide, PriceLevel } from '../../lib/contracts';
import { roundQty, type PriceGrid } from './price-grid';

export interface PriceBounds {
  lower: number;
  upper: number;
}

/** Quantity for a newly shown level; `levelIndex` is 0 for the best level, deeper levels may hold more. */
export type FreshQty = (levelIndex: number) => number;

export interface Fill {
  price: number;
  qty: number;
  /** The level was used up by this fill. */
  exhausted: boolean;
}

export type BookSide = 'ask' | 'bid';

export class OrderBook {
  /** Best (lowest) first. Mutated in place; snapshot() for anything that leaves this module. */
  readonly asks: PriceLevel[] = [];
  /** Best (highest) first. */
  readonly bids: PriceLevel[] = [];
  private bounds: PriceBounds;

  constructor(
    readonly grid: PriceGrid,
    readonly depth: number,
    bounds: PriceBounds,
  ) {
    this.bounds = { ...bounds };
  }

  get lower(): number {
    return this.bounds.lower;
  }

  get upper(): number {
    return this.bounds.upper;
  }

  /** New bounds (a new trading day's limits); levels now outside them are dropped and the far ends refilled. */
  setBounds(bounds: PriceBounds, fresh: FreshQty): void {
    this.bounds = { ...bounds };
    dropWhere(this.asks, (l) => l.price > bounds.upper || l.price < bounds.lower);
    dropWhere(this.bids, (l) => l.price > bounds.upper || l.price < bounds.lower);
    this.refill(fresh);
  }

  /** Rebuilds both sides around `bestBid`; a `bestBid` below the lower bound means "no bids, asks from the bound". */
  reset(bestBid: number, fresh: FreshQty): void {
    this.asks.length = 0;
    this.bids.length = 0;
    let price = bestBid;
    while (this.bids.length < this.depth && price >= this.bounds.lower) {
      this.bids.push({ price, qty: fresh(this.bids.length) });
      if (!(price > this.grid.minPrice)) break;
      price = this.grid.down(price);
    }
    price = this.grid.up(bestBid);
    while (this.asks.length < this.depth && price <= this.bounds.upper) {
      this.asks.push({ price, qty: fresh(this.asks.length) });
      price = this.grid.up(price);
    }
  }

  /**
   * The bid the book is positioned at: the best bid, or with no bids (at 하한가) the grid price just under
   * the best ask. Comparing this with a target tells the price process which way to move the book.
   */
  anchor(): number {
    const bid = this.bids[0];
    if (bid) return bid.price;
    const ask = this.asks[0];
    if (ask) return ask.price > this.grid.minPrice ? this.grid.down(ask.price) : 0;
    return Number.NaN;
  }

  /** True when there is at least one empty grid price between the best bid and the best ask. */
  hasGap(): boolean {
    const bid = this.bids[0];
    const ask = this.asks[0];
    return bid !== undefined && ask !== undefined && this.grid.up(bid.price) < ask.price;
  }

  /**
   * Takes up to `maxQty` from the best level an aggressor on `side` trades against (a buy lifts the ask).
   * The level shrinks, and is removed when used up; the far end is NOT refilled (call refill()).
   */
  take(side: OrderSide, maxQty: number): Fill | null {
    const levels = side === 'buy' ? this.asks : this.bids;
    const level = levels[0];
    if (!level || maxQty <= 0) return null;
    const qty = Math.min(maxQty, level.qty);
    level.qty = roundQty(this.grid, level.qty - qty);
    const exhausted = level.qty <= 0;
    if (exhausted) levels.shift();
    return { price: level.price, qty, exhausted };
  }

  /** Extends both sides to full depth at their far ends, within the bounds. */
  refill(fresh: FreshQty): void {
    this.refillAsks(fresh);
    this.refillBids(fresh);
  }

  /**
   * Moves the inside market up one grid step: a new bid one tick above the anchor, and any ask at or below
   * it withdrawn. Returns false when the bid would pass the upper bound (the book is pinned at 상한가).
   */
  shiftUp(fresh: FreshQty): boolean {
    const anchor = this.anchor();
    if (Number.isNaN(anchor)) return false;
    const newBid = anchor <= 0 ? this.bounds.lower : this.grid.up(anchor);
    if (newBid > this.bounds.upper || newBid < this.bounds.lower) return false;
    dropLeadingWhere(this.asks, (l) => l.price <= newBid);
    this.bids.unshift({ price: newBid, qty: fresh(0) });
    if (this.bids.length > this.depth) this.bids.length = this.depth;
    this.refill(fresh);
    return true;
  }

  /** Mirror of shiftUp: a new ask one tick under the best ask, any bid at or above it withdrawn. */
  shiftDown(fresh: FreshQty): boolean {
    const ask = this.asks[0];
    const bid = this.bids[0];
    const ceiling = ask ? ask.price : bid ? this.grid.up(bid.price) : Number.NaN;
    if (Number.isNaN(ceiling) || !(ceiling > this.grid.minPrice)) return false;
    const newAsk = this.grid.down(ceiling);
    if (newAsk < this.bounds.lower || newAsk > this.bounds.upper) return false;
    dropLeadingWhere(this.bids, (l) => l.price >= newAsk);
    this.asks.unshift({ price: newAsk, qty: fresh(0) });
    if (this.asks.length > this.depth) this.asks.length = this.depth;
    this.refill(fresh);
    return true;
  }

  /**
   * Walks the book until its anchor equals `targetBid`, one grid step at a time, or rebuilds it when the
   * target is more than a book's depth away (a walk would replace every level anyway).
   * Returns whether anything changed.
   */
  moveTo(targetBid: number, fresh: FreshQty): boolean {
    const start = this.anchor();
    if (Number.isNaN(start) || Math.abs(targetBid - start) > this.depth * this.grid.tickSize(Math.max(start, targetBid))) {
      this.reset(targetBid, fresh);
      return true;
    }
    let changed = false;
    for (let i = 0; i <= this.depth * 2; i++) {
      const anchor = this.anchor();
      if (anchor === targetBid) return changed;
      const moved = anchor < targetBid ? this.shiftUp(fresh) : this.shiftDown(fresh);
      if (!moved) return changed;
      changed = true;
    }
    if (this.anchor() !== targetBid) {
      this.reset(targetBid, fresh);
      changed = true;
    }
    return changed;
  }

  /** Copies of both sides, safe to hand to listeners. */
  snapshot(): { asks: PriceLevel[]; bids: PriceLevel[] } {
    return { asks: this.asks.map(copyLevel), bids: this.bids.map(copyLevel) };
  }

  private refillAsks(fresh: FreshQty): void {
    const last = this.asks[this.asks.length - 1];
    const bid = this.bids[0];
    if (!last && !bid) return;
    let price = last ? this.grid.up(last.price) : this.grid.up((bid as PriceLevel).price);
    while (this.asks.length < this.depth && price <= this.bounds.upper) {
      this.asks.push({ price, qty: fresh(this.asks.length) });
      price = this.grid.up(price);
    }
  }

  private refillBids(fresh: FreshQty): void {
    const last = this.bids[this.bids.length - 1];
    const ask = this.asks[0];
    const from = last ? last.price : ask ? ask.price : Number.NaN;
    if (Number.isNaN(from) || !(from > this.grid.minPrice)) return;
    let price = this.grid.down(from);
    while (this.bids.length < this.depth && price >= this.bounds.lower) {
      this.bids.push({ price, qty: fresh(this.bids.length) });
      if (!(price > this.grid.minPrice)) break;
      price = this.grid.down(price);
    }
  }
}

function copyLevel(level: PriceLevel): PriceLevel {
  return { price: level.price, qty: level.qty };
}

function dropLeadingWhere(levels: PriceLevel[], predicate: (level: PriceLevel) => boolean): void {
  let n = 0;
  while (n < levels.length && predicate(levels[n] as PriceLevel)) n++;
  if (n > 0) levels.splice(0, n);
}

function dropWhere(levels: PriceLevel[], predicate: (level: PriceLevel) => boolean): void {
  for (let i = levels.length - 1; i >= 0; i--) {
    if (predicate(levels[i] as PriceLevel)) levels.splice(i, 1);
  }
}
