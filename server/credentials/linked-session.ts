/**
 * A broker session opened with a user's own credentials: its own token, its own sockets, its own accounts.
 * Only its private streams matter to Sise (orders and balances of the user's accounts); quotes come from the
 * brokers configured by environment, so a linked session's quote and state callbacks are kept out of the relay.
 */
import type { FeedState } from '../../lib/contracts';
import type { AccountSession } from '../brokers/account-session';
import type { BrokerUpstream } from '../brokers/registry';
import type { Logger } from '../logger';
import { FeedError, type FeedSink } from '../relay/feed';

export interface LinkedSession {
  /** The accounts the broker listed for these credentials. */
  readonly accounts: AccountSession[];
  /** Opens the private streams; events go to `sink`, which must be a privateEventsOnly() sink. */
  start(sink: FeedSink): Promise<void>;
  stop(): Promise<void>;
}

export interface SessionContext {
  /** Where the broker is: the configured endpoint, the real one, or the running simulator. */
  upstream: BrokerUpstream;
  allowRealOrders: boolean;
  logger: Logger;
}

/**
 * The relay's sink seen through a filter: order and balance events pass (never dropped, never conflated: the
 * relay's own rules apply), quotes and condition hits are ignored, and state changes go to `onState` instead
 * of the relay, where they would be mistaken for the environment's feed of the same broker.
 */
export function privateEventsOnly(target: FeedSink, onState: (state: FeedState, detail: string | null) => void): FeedSink {
  return {
    order: (event) => target.order(event),
    balance: (event) => target.balance(event),
    tick: () => {},
    hoga: () => {},
    condition: () => {},
    state: (_feed, state, detail) => onState(state, detail),
  };
}

/** A stand-in for an account whose session is not open (the broker was down at start): it says why. */
export function unavailableAccount(accountId: string, reason: () => string): AccountSession {
  const refuse = async (): Promise<never> => {
    throw new FeedError('UPSTREAM_UNAVAILABLE', `${accountId} is not connected: ${reason()}`);
  };
  return {
    accountId,
    capabilities: { cancel: false, modify: false, realMoney: false },
    balance: refuse,
    openOrders: refuse,
    placeOrder: refuse,
    cancelOrder: refuse,
  };
}
