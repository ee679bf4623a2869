/**
 * The AccountDirectory held in memory: broker sessions live in this process, so the directory is rebuilt at
 * every start (environment accounts by the server, linked ones by the credential vault).
 *
 *   const directory = new InMemoryAccountDirectory();
 *   for (const session of brokers.accounts) directory.add(environmentAccount(session));
 */
import { isBrokerId, type BrokerId } from '../../lib/contracts';
import type { AccountSession } from '../brokers/account-session';
import type { AccountDirectory, AccountEntry } from './account-directory';

/** What people call each broker on the balances page. */
const BROKER_LABELS: Record<BrokerId, string> = {
  kis: '한국투자증권',
  kiwoom: '키움증권',
  'kiwoom-bridge': '키움 OpenAPI+ (KiwoomServer)',
  upbit: '업비트',
  bo: 'BO 거래소',
  sim: '시뮬레이션',
};

export class InMemoryAccountDirectory implements AccountDirectory {
  private readonly entries = new Map<string, AccountEntry>();
  private readonly removalListeners = new Set<(accountId: string) => void>();

  get(accountId: string): AccountEntry | undefined {
    return this.entries.get(accountId);
  }

  /** In the order accounts were added: environment accounts first, in the registry's broker order. */
  list(): AccountEntry[] {
    return [...this.entries.values()];
  }

  add(entry: AccountEntry): void {
    this.entries.set(entry.session.accountId, entry);
  }

  remove(accountId: string): void {
    if (!this.entries.delete(accountId)) return;
    for (const listener of [...this.removalListeners]) listener(accountId);
  }

  /** Told when an account goes (unlinked, or its owner's link closed), so its stream's sockets can leave. */
  onRemove(listener: (accountId: string) => void): () => void {
    this.removalListeners.add(listener);
    return () => this.removalListeners.delete(listener);
  }
}

/** The broker of an account id (`kis:50012345-01` → kis); null when the prefix names no broker. */
export function brokerOfAccount(accountId: string): BrokerId | null {
  const broker = accountId.slice(0, Math.max(0, accountId.indexOf(':')));
  return isBrokerId(broker) ? broker : null;
}

/** "한국투자증권 50012345-01", with 모의 for paper accounts so nobody mistakes them for money. */
export function accountLabel(session: AccountSession): string {
  const broker = brokerOfAccount(session.accountId);
  const number = session.accountId.slice(session.accountId.indexOf(':') + 1);
  const name = broker ? BROKER_LABELS[broker] : session.accountId.split(':')[0];
  return session.capabilities.realMoney ? `${name} ${number}` : `${name} 모의 ${number}`;
}

/** An account of a broker configured by environment (or its simulator): owned by the admins. */
export function environmentAccount(session: AccountSession): AccountEntry {
  const broker = brokerOfAccount(session.accountId);
  if (!broker) throw new Error(`account id ${session.accountId} does not start with a broker id`);
  return { session, broker, ownerUserId: null, label: accountLabel(session) };
}
