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

/**
 * The `close` of an adapter running against its own loopback simulator: the adapter first, so it can say goodbye
 * upstream (revoke a token, log out), then the simulator.
 */
export function closeInOrder(...parts: ReadonlyArray<{ stop(): Promise<void> }>): () => Promise<void> {
  return async () => {
    for (const part of parts) await part.stop();
  };
}

/**
 * Accounts found at start. A broker that cannot list them then (unreachable, logged out) still gives a running
 * feed, without accounts, and the reason is logged.
 */
export async function accountsOrNone(discover: () => Promise<AccountSession[]>, logger: Logger, what: string): Promise<AccountSession[]> {
  try {
    return await discover();
  } catch (error) {
    logger.warn({ err: error instanceof Error ? error.message : String(error) }, `${what} unavailable; running without accounts`);
    return [];
  }
}
