/**
 * The access rule for broker accounts, over the directory (which accounts exist, and whose) and the shares table:
 *  - an account of a broker configured by environment (no owner) is seen by every admin;
 *  - a linked account is seen by the user who linked it;
 *  - anyone may also see an account its owner shared with them.
 * Unknown accounts are never visible, so a refusal does not tell a prober whether an id exists.
 */
import type { AccountAccess } from './account-access';
import type { AccountDirectory, AccountEntry } from './account-directory';
import type { AccountShareRepository } from './account-share-repository';

export class AccountAccessService implements AccountAccess {
  constructor(
    private readonly directory: AccountDirectory,
    private readonly shares: AccountShareRepository,
  ) {}

  async canAccess(userId: string, accountId: string): Promise<boolean> {
    const entry = this.directory.get(accountId);
    if (!entry) return false;
    if (entry.ownerUserId === userId) return true;
    if (entry.ownerUserId === null && (await this.shares.roleOf(userId)) === 'admin') return true;
    return this.shares.isSharedWith(userId, accountId);
  }

  async visibleAccountIds(userId: string): Promise<string[]> {
    const [role, shared] = await Promise.all([this.shares.roleOf(userId), this.shares.sharedWith(userId)]);
    return this.directory
      .list()
      .filter((entry) => entry.ownerUserId === userId || (entry.ownerUserId === null && role === 'admin') || shared.has(entry.session.accountId))
      .map((entry) => entry.session.accountId);
  }

  /** Who may share an account: its owner, or an admin for an account configured by environment. */
  async canShare(userId: string, accountId: string): Promise<boolean> {
    const entry = this.directory.get(accountId);
    if (!entry) return false;
    return canShareEntry(entry, userId, await this.shares.roleOf(userId));
  }
}

export function canShareEntry(entry: AccountEntry, userId: string, role: 'admin' | 'user' | null): boolean {
  return entry.ownerUserId === null ? role === 'admin' : entry.ownerUserId === userId;
}
