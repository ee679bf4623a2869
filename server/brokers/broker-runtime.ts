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
  /**
   * Accounts that could not be listed at start (a bridge whose OpenAPI+ login comes later): resolves once they
   * are found; never when they were found at start or the broker closes first.
   */
  lateAccounts?: Promise<AccountSession[]>;
  conditions?: ConditionProvider;
  close(): Promise<void>;
}

export interface BrokerDeps {
  /** The shared simulated market, when SIM=on: simulators are driven by it. */
  engine: MarketEngine | null;
  logger: Logger;
  /** How often a broker without accounts at start asks again (ACCOUNT_RECHECK_MS); tests pass a short one. */
  accountRecheckMs?: number;
}

/**
 * A broker logged out at start (the KiwoomServer bridge before someone logs in to OpenAPI+) is asked again this
 * often: soon enough that the accounts appear within a minute of the login, rare enough to be no load at all.
 */
export const ACCOUNT_RECHECK_MS = 30_000;

/**
 * Asks `discover` again every `everyMs` until it lists accounts; stops (never resolving) when `stopped()` says so.
 * For a broker that had none at start.
 */
export function accountsWhenFound(discover: () => Promise<AccountSession[]>, stopped: () => boolean, everyMs: number, logger: Logger, what: string): Promise<AccountSession[]> {
  return new Promise((resolve) => {
    const attempt = () => {
      if (stopped()) return;
      discover().then(
        (accounts) => {
          if (accounts.length > 0) {
            logger.info({ accounts: accounts.map((a) => a.accountId) }, `${what}: accounts found`);
            resolve(accounts);
          } else schedule();
        },
        () => schedule(),
      );
    };
    const schedule = () => {
      if (!stopped()) setTimeout(attempt, everyMs).unref();
    };
    schedule();
  });
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
