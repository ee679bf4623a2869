/**
 * What each broker folder's `start<Broker>()` gives the server: its feed (quotes), its account sessions (orders,
 * balances), optionally condition search, and how to shut it all down (adapter and, when it runs, simulator).
 */
import type { SiseConfig } from '../config';
import type { Logger } from '../logger';
import type { MarketEngine } from '../market/market-engine';
import type { ConditionProvider } from '../relay/condition-provider';
import type { Feed } from '../relay/feed';
import type { AccountSession } from './account-session';

export interface BrokerRuntime {
  feed: Feed;
  accounts: AccountSession[];
  conditions?: ConditionProvider;
  close(): Promise<void>;
}

export interface BrokerDeps {
  /** The shared simulated market, when SIM=on: simulators are driven by it. */
  engine: MarketEngine | null;
  logger: Logger;
}

/** Null when the broker is neither configured nor simulated. */
export type BrokerStarter = (config: SiseConfig, deps: BrokerDeps) => Promise<BrokerRuntime | null>;
