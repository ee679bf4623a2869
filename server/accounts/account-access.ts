/**
 * Who may see which broker account. Accounts of brokers configured by environment belong to the admin; accounts
 * a user links belong to that user; an owner may share an account with other users. The relay asks this before
 * a socket joins `acct:<id>`, the HTTP API before it answers for an account, dashboards before an account widget
 * shows data.
 */
export interface AccountAccess {
  /** True when the user owns the account or it was shared with them. Unknown accounts are false. */
  canAccess(userId: string, accountId: string): Promise<boolean>;
  /** Every account id the user may see, in a stable order. */
  visibleAccountIds(userId: string): Promise<string[]>;
}
