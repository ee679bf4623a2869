/**
 * Every broker account the server holds a session for, whoever it belongs to. Accounts of brokers configured by
 * environment are added at start with no owner (they belong to the admins); accounts that users link are added
 * by the credential vault with their owner. The account service, the relay's room checks and the balances page
 * read from here.
 */
import type { AccountSession } from '../brokers/account-session';
import type { BrokerId } from '../../lib/contracts';

export interface AccountEntry {
  session: AccountSession;
  broker: BrokerId;
  /** The user who linked it; null for accounts of brokers configured by environment (owned by the admins). */
  ownerUserId: string | null;
  /** What the owner calls it, e.g. "키움 모의 (5012345678)". */
  label: string;
}

export interface AccountDirectory {
  get(accountId: string): AccountEntry | undefined;
  list(): AccountEntry[];
  /** Replaces an entry with the same account id (a relinked account gets its new session). */
  add(entry: AccountEntry): void;
  remove(accountId: string): void;
}
