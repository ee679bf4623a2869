/**
 * Condition search (조건검색) as a broker offers it: the user's saved conditions, a one-shot run, and live
 * alerts whose inserts and deletes the broker's adapter publishes through `sink.condition` under
 * `<brokerId>:<condition id>`.
 */
import type { BrokerId, ConditionHit } from '../../lib/contracts';

export interface ConditionProvider {
  readonly id: BrokerId;
  listConditions(): Promise<Array<{ id: string; name: string }>>;
  runCondition(id: string): Promise<ConditionHit[]>;
  /** Resolves with the symbols in the condition now; rejects with FeedError LIMIT_REACHED past the broker's limit. */
  startLiveCondition(id: string): Promise<{ conditionKey: string; symbols: string[] }>;
  stopLiveCondition(id: string): Promise<void>;
}

/** A provider with the accounts of the login it searches for: conditions belong to a broker login. */
export interface ConditionSource {
  provider: ConditionProvider;
  accountIds: string[];
}
