/**
 * Counts viewers per symbol. The first viewer makes the chosen feed subscribe upstream; when the last one
 * leaves, the upstream registration is kept for a short linger (a page reload or a quick flip between charts
 * would otherwise churn the broker's scarce registrations) and then released.
 */
import type { BrokerId, SymbolId } from '../../lib/contracts';
import type { Logger } from '../logger';
import { FeedError, type Feed } from './feed';
import type { FeedRouter } from './feed-router';

/** How long an upstream registration outlives its last viewer. Long enough to cover a page reload. */
export const UNSUBSCRIBE_LINGER_MS = 5_000;

interface Entry {
  count: number;
  feed: Feed;
  /** The upstream subscribe in flight or done; undefined after a failure so the next viewer retries. */
  upstream: Promise<void> | undefined;
  linger: NodeJS.Timeout | undefined;
  /** Feeds that refused this symbol for lack of room; it is not moved back to them while it is watched. */
  refused: Set<BrokerId>;
}

export class InterestCounter {
  private readonly entries = new Map<SymbolId, Entry>();

  constructor(
    private readonly router: FeedRouter,
    private readonly logger: Logger,
    private readonly lingerMs: number = UNSUBSCRIBE_LINGER_MS,
  ) {}

  /**
   * Counts one more viewer (synchronously) and returns the upstream subscription it shares with the others.
   * On rejection the caller still holds its count and must release() it.
   */
  acquire(symbol: SymbolId): Promise<void> {
    let entry = this.entries.get(symbol);
    if (!entry) {
      const route = this.router.route(symbol);
      if (!route.ok) return Promise.reject(new FeedError(route.error.code, route.error.message));
      entry = { count: 0, feed: route.feed, upstream: undefined, linger: undefined, refused: new Set() };
      this.entries.set(symbol, entry);
    }
    entry.count += 1;
    if (entry.linger) {
      clearTimeout(entry.linger);
      entry.linger = undefined;
    }
    if (!entry.upstream) entry.upstream = this.subscribeUpstream(symbol, entry);
    return entry.upstream;
  }

  release(symbol: SymbolId): void {
    const entry = this.entries.get(symbol);
    if (!entry || entry.count === 0) return;
    entry.count -= 1;
    if (entry.count > 0) return;
    if (!entry.upstream) {
      this.entries.delete(symbol);
      return;
    }
    entry.linger = setTimeout(() => this.expire(symbol, entry), this.lingerMs);
    entry.linger.unref();
  }

  viewers(symbol: SymbolId): number {
    return this.entries.get(symbol)?.count ?? 0;
  }

  /** The feed whose events are relayed for a symbol; events from any other feed are stale and ignored. */
  feedOf(symbol: SymbolId): BrokerId | undefined {
    return this.entries.get(symbol)?.feed.id;
  }

  activeSymbols(): number {
    return this.entries.size;
  }

  /**
   * After a feed changes state, moves every symbol whose preferred feed is now another one, so a broker
   * outage fails over and a recovery fails back.
   */
  rebalance(): void {
    for (const [symbol, entry] of this.entries) {
      const route = this.router.route(symbol);
      if (!route.ok || route.feed === entry.feed || entry.refused.has(route.feed.id)) continue;
      const previous = entry.feed;
      this.logger.info({ symbol, from: previous.id, to: route.feed.id }, 'moving symbol to another feed');
      entry.feed = route.feed;
      entry.upstream = entry.count > 0 || entry.linger ? this.subscribeUpstream(symbol, entry) : undefined;
      previous.unsubscribe(symbol).catch((error: unknown) => this.logger.warn({ symbol, feed: previous.id, error }, 'unsubscribe failed'));
    }
  }

  /** Drops every registration without waiting for lingers (shutdown). */
  clear(): void {
    for (const entry of this.entries.values()) if (entry.linger) clearTimeout(entry.linger);
    this.entries.clear();
  }

  /**
   * Subscribes on the entry's feed; when that feed has no room left (KIS serves about 20 stocks per app key),
   * the next feed for the market takes the symbol, so a full budget on one broker does not refuse a viewer
   * that another broker could serve. Other refusals are final.
   */
  private subscribeUpstream(symbol: SymbolId, entry: Entry): Promise<void> {
    const attempt = async (): Promise<void> => {
      for (;;) {
        const feed = entry.feed;
        try {
          await feed.subscribe(symbol);
          return;
        } catch (error) {
          if (!(error instanceof FeedError) || error.code !== 'LIMIT_REACHED') throw error;
          entry.refused.add(feed.id);
          const next = this.router.route(symbol, entry.refused);
          if (!next.ok) throw error; // the broker's own words say best why there is no room
          this.logger.info({ symbol, full: feed.id, to: next.feed.id }, 'registration budget full; serving from the next feed');
          entry.feed = next.feed;
        }
      }
    };
    const upstream = attempt();
    upstream.catch((error: unknown) => {
      this.logger.warn({ symbol, feed: entry.feed.id, error: error instanceof Error ? error.message : error }, 'upstream subscribe refused');
      if (entry.upstream === upstream) entry.upstream = undefined;
      if (entry.count === 0 && this.entries.get(symbol) === entry) this.entries.delete(symbol);
    });
    return upstream;
  }

  private expire(symbol: SymbolId, entry: Entry): void {
    if (entry.count > 0 || this.entries.get(symbol) !== entry) return;
    this.entries.delete(symbol);
    if (!entry.upstream) return;
    entry.feed.unsubscribe(symbol).catch((error: unknown) => this.logger.warn({ symbol, feed: entry.feed.id, error }, 'unsubscribe failed'));
  }
}
