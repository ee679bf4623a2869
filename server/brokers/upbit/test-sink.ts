/**
 * Test helper: a FeedSink that records everything an adapter publishes, for integration tests.
 */
import type { BalanceEvent, BrokerId, ConditionEvent, FeedState, HogaEvent, OrderEvent, TickEvent } from '../../../lib/contracts';
import type { FeedSink, Unstamped } from '../../relay/feed';

export class RecordingSink implements FeedSink {
  readonly ticks: Unstamped<TickEvent>[] = [];
  readonly hogas: Unstamped<HogaEvent>[] = [];
  readonly orders: Unstamped<OrderEvent>[] = [];
  readonly balances: Unstamped<BalanceEvent>[] = [];
  readonly conditions: Unstamped<ConditionEvent>[] = [];
  readonly states: Array<{ state: FeedState; detail: string | null }> = [];

  tick(event: Unstamped<TickEvent>): void {
    this.ticks.push(event);
  }
  hoga(event: Unstamped<HogaEvent>): void {
    this.hogas.push(event);
  }
  order(event: Unstamped<OrderEvent>): void {
    this.orders.push(event);
  }
  balance(event: Unstamped<BalanceEvent>): void {
    this.balances.push(event);
  }
  condition(event: Unstamped<ConditionEvent>): void {
    this.conditions.push(event);
  }
  state(_feed: BrokerId, state: FeedState, detail: string | null): void {
    this.states.push({ state, detail });
  }

  get lastState(): FeedState | undefined {
    return this.states.at(-1)?.state;
  }

  details(): string[] {
    return this.states.map((s) => s.detail ?? '');
  }
}
