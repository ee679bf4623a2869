/**
 * Chooses which feed serves a symbol. Several brokers can serve KRX; the first in preference order that is
 * not down wins (KRX_FEEDS, with the simulator last), so a broker outage moves symbols to the next one.
 */
import type { ApiError, BrokerId, FeedStatus, Market, SymbolId } from '../../lib/contracts';
import { marketOf } from '../../lib/contracts';
import type { Feed } from './feed';

export type Route = { ok: true; feed: Feed } | { ok: false; error: ApiError };

export class FeedRouter {
  private readonly since = new Map<BrokerId, number>();
  private readonly details = new Map<BrokerId, string | null>();

  /** @param preference per market, most preferred first. */
  constructor(
    private readonly preference: ReadonlyMap<Market, readonly Feed[]>,
    private readonly now: () => number = Date.now,
  ) {}

  feeds(): Feed[] {
    return [...new Set([...this.preference.values()].flat())];
  }

  /** @param exclude feeds that already refused this symbol (e.g. at their registration limit). */
  route(symbol: SymbolId, exclude?: ReadonlySet<BrokerId>): Route {
    const candidates = (this.preference.get(marketOf(symbol)) ?? []).filter((feed) => feed.knows(symbol) && !exclude?.has(feed.id));
    if (candidates.length === 0) {
      const anyFeed = (this.preference.get(marketOf(symbol)) ?? []).length > 0;
      return anyFeed
        ? { ok: false, error: { code: 'UNKNOWN_SYMBOL', message: `${symbol} is not a listed instrument` } }
        : { ok: false, error: { code: 'NO_FEED', message: `no broker is configured for ${marketOf(symbol)} quotes` } };
    }
    const live = candidates.find((feed) => feed.state() !== 'down');
    if (!live) {
      return {
        ok: false,
        error: { code: 'UPSTREAM_UNAVAILABLE', message: `every feed for ${symbol} is down (${candidates.map((f) => f.id).join(', ')})` },
      };
    }
    return { ok: true, feed: live };
  }

  /** Records a state change so statuses carry when it happened and why. */
  noteState(feed: BrokerId, detail: string | null): void {
    this.since.set(feed, this.now());
    this.details.set(feed, detail);
  }

  /** Markets for which `feed` is the one currently chosen. */
  serving(feed: Feed): Market[] {
    const markets: Market[] = [];
    for (const [market, feeds] of this.preference) {
      if (feeds.find((f) => f.state() !== 'down') === feed) markets.push(market);
    }
    return markets;
  }

  statuses(): FeedStatus[] {
    return this.feeds().map((feed) => ({
      broker: feed.id,
      state: feed.state(),
      markets: [...feed.markets],
      serving: this.serving(feed),
      detail: this.details.get(feed.id) ?? null,
      since: this.since.get(feed.id) ?? 0,
    }));
  }
}
