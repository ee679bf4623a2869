/**
 * Stands in for a broker that could not start (bad credentials, unreachable host): it serves nothing, but the
 * user sees the broker in the feed list as down, with the reason, instead of the broker silently missing.
 */
import type { BrokerId, FeedState, Market } from '../../lib/contracts';
import { FeedError, type Feed, type FeedSink } from '../relay/feed';

export class DownFeed implements Feed {
  constructor(
    readonly id: BrokerId,
    readonly markets: readonly Market[],
    private readonly reason: string,
  ) {}

  async start(sink: FeedSink): Promise<void> {
    sink.state(this.id, 'down', this.reason);
  }

  async stop(): Promise<void> {}

  state(): FeedState {
    return 'down';
  }

  knows(): boolean {
    return true;
  }

  async subscribe(): Promise<void> {
    throw new FeedError('UPSTREAM_UNAVAILABLE', `${this.id} is down: ${this.reason}`);
  }

  async unsubscribe(): Promise<void> {}
}
