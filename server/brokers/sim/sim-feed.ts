/**
 * The in-process feed: the market engine's trades and books, mapped straight to normalized events.
 * It stands in for KRX and Upbit until the broker adapters talk to their simulators over real sockets,
 * and stays as the benchmark's and tests' reference feed. Subscriptions are a set: no upstream to call.
 */
import { marketOf, type FeedState, type Market, type SymbolId } from '../../../lib/contracts';
import { signOf } from '../../../lib/format/price-colour';
import type { EngineBook, EngineTrade } from '../../market/engine-types';
import type { MarketEngine } from '../../market/market-engine';
import type { Feed, FeedSink } from '../../relay/feed';

export class SimFeed implements Feed {
  readonly id = 'sim' as const;
  readonly markets: readonly Market[];
  private readonly subscribed = new Set<SymbolId>();
  private sink: FeedSink | null = null;
  private current: FeedState = 'connecting';
  private readonly onTrade = (trade: EngineTrade) => this.relayTrade(trade);
  private readonly onBook = (book: EngineBook) => this.relayBook(book);

  constructor(
    private readonly engine: MarketEngine,
    markets: readonly Market[] = ['KRX', 'UPBIT'],
  ) {
    this.markets = markets;
  }

  async start(sink: FeedSink): Promise<void> {
    this.sink = sink;
    this.engine.on('trade', this.onTrade);
    this.engine.on('book', this.onBook);
    this.current = 'connected';
    sink.state(this.id, 'connected', 'in-process simulated market');
  }

  async stop(): Promise<void> {
    this.engine.off('trade', this.onTrade);
    this.engine.off('book', this.onBook);
    this.subscribed.clear();
    this.current = 'down';
  }

  state(): FeedState {
    return this.current;
  }

  knows(symbol: SymbolId): boolean {
    return this.engine.instrument(symbol) !== undefined && this.markets.includes(marketOf(symbol));
  }

  async subscribe(symbol: SymbolId): Promise<void> {
    if (this.subscribed.has(symbol)) return;
    this.subscribed.add(symbol);
    // Brokers answer a registration with the current state (Upbit's snapshot, a REST price query for KIS);
    // so does this feed, so a quiet name shows its price and book at once instead of after its next trade.
    // Deferred so the relay has joined the viewer to the room and acked before the snapshot flows.
    setImmediate(() => this.publishSnapshot(symbol));
  }

  async unsubscribe(symbol: SymbolId): Promise<void> {
    this.subscribed.delete(symbol);
  }

  isSubscribed(symbol: SymbolId): boolean {
    return this.subscribed.has(symbol);
  }

  private publishSnapshot(symbol: SymbolId): void {
    const state = this.engine.state(symbol);
    if (!state) return;
    this.relayBook(state.book);
    if (state.lastTrade) this.relayTrade(state.lastTrade);
  }

  private relayTrade(trade: EngineTrade): void {
    if (!this.sink || !this.subscribed.has(trade.symbol)) return;
    const change = trade.price - trade.prevClose;
    this.sink.tick({
      symbol: trade.symbol,
      source: this.id,
      ts: trade.ts,
      recvTs: Date.now(),
      price: trade.price,
      sign: signOf(trade.price, trade.prevClose, trade.upperLimit, trade.lowerLimit),
      change,
      changeRate: Math.round((change / trade.prevClose) * 10_000) / 100,
      prevClose: trade.prevClose,
      qty: trade.qty,
      side: trade.side,
      cumVolume: trade.cumVolume,
      cumValue: trade.cumValue,
      open: trade.open,
      high: trade.high,
      low: trade.low,
    });
  }

  private relayBook(book: EngineBook): void {
    if (!this.sink || !this.subscribed.has(book.symbol)) return;
    let totalAskQty = 0;
    let totalBidQty = 0;
    for (const level of book.asks) totalAskQty += level.qty;
    for (const level of book.bids) totalBidQty += level.qty;
    this.sink.hoga({
      symbol: book.symbol,
      source: this.id,
      ts: book.ts,
      recvTs: Date.now(),
      asks: book.asks,
      bids: book.bids,
      totalAskQty,
      totalBidQty,
    });
  }
}
