/**
 * A feed that publishes a tick and a hoga for every subscribed symbol at an exact rate, from the simulated
 * market's current book: the browser benchmark's "12 symbols each ticking at 20 Hz", whatever the simulated
 * market's own rhythm (bursts and lulls) happens to be.
 */
import type { FeedState, Market, SymbolId } from '../lib/contracts';
import { signOf } from '../lib/format/price-colour';
import type { MarketEngine } from '../server/market/market-engine';
import type { Feed, FeedSink } from '../server/relay/feed';

/** Mean shares per synthetic print; the size only matters for the volume bars' shape. */
const MEAN_PRINT_QTY = 40;

export class MetronomeFeed implements Feed {
  readonly id = 'sim' as const;
  readonly markets: readonly Market[] = ['KRX', 'UPBIT'];
  private readonly subscribed = new Map<SymbolId, { cumVolume: number; cumValue: number; high: number; low: number; open: number | null }>();
  private sink: FeedSink | null = null;
  private timer: NodeJS.Timeout | null = null;
  private current: FeedState = 'connecting';
  /** Ticks published per symbol so far, for the benchmark's own accounting. */
  private readonly ticksPublished = new Map<SymbolId, number>();

  constructor(
    private readonly engine: MarketEngine,
    private readonly hz: number,
  ) {}

  async start(sink: FeedSink): Promise<void> {
    this.sink = sink;
    this.current = 'connected';
    sink.state(this.id, 'connected', `benchmark metronome at ${this.hz} Hz per symbol`);
    this.timer = setInterval(() => this.beat(), 1_000 / this.hz);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.current = 'down';
  }

  state(): FeedState {
    return this.current;
  }

  knows(symbol: SymbolId): boolean {
    return this.engine.instrument(symbol) !== undefined;
  }

  async subscribe(symbol: SymbolId): Promise<void> {
    if (!this.subscribed.has(symbol)) this.subscribed.set(symbol, { cumVolume: 0, cumValue: 0, high: 0, low: Number.POSITIVE_INFINITY, open: null });
  }

  async unsubscribe(symbol: SymbolId): Promise<void> {
    this.subscribed.delete(symbol);
  }

  ticksFor(symbols: readonly SymbolId[]): number {
    return symbols.reduce((sum, symbol) => sum + (this.ticksPublished.get(symbol) ?? 0), 0);
  }

  private beat(): void {
    const sink = this.sink;
    if (!sink) return;
    const now = Date.now();
    for (const [symbol, day] of this.subscribed) {
      const state = this.engine.state(symbol);
      const bestAsk = state?.book.asks[0]?.price;
      const bestBid = state?.book.bids[0]?.price;
      if (!state || bestAsk === undefined || bestBid === undefined) continue;
      const buy = Math.random() < 0.5;
      const price = buy ? bestAsk : bestBid;
      const crypto = symbol.startsWith('UPBIT:');
      const raw = -Math.log(1 - Math.random()) * MEAN_PRINT_QTY;
      const qty = crypto ? Number((raw / 1_000).toFixed(8)) || 0.0001 : Math.max(1, Math.round(raw));
      const prevClose = state.instrument.prevClose;
      day.open ??= price;
      day.high = Math.max(day.high, price);
      day.low = Math.min(day.low, price);
      day.cumVolume += qty;
      day.cumValue += qty * price;
      const change = price - prevClose;
      sink.tick({
        symbol, source: this.id, ts: now, recvTs: now, price, qty, side: buy ? 'buy' : 'sell', prevClose, change,
        changeRate: Math.round((change / prevClose) * 10_000) / 100,
        sign: signOf(price, prevClose, state.upperLimit, state.lowerLimit),
        cumVolume: day.cumVolume, cumValue: day.cumValue, open: day.open, high: day.high, low: day.low,
      });
      let totalAskQty = 0;
      let totalBidQty = 0;
      for (const level of state.book.asks) totalAskQty += level.qty;
      for (const level of state.book.bids) totalBidQty += level.qty;
      sink.hoga({ symbol, source: this.id, ts: now, recvTs: now, asks: state.book.asks, bids: state.book.bids, totalAskQty, totalBidQty });
      this.ticksPublished.set(symbol, (this.ticksPublished.get(symbol) ?? 0) + 1);
    }
  }
}
