/**
 * The account_shares table (migration 2): which users an account was shared with, by whom.
 */
import type { AccountShare } from '../../lib/contracts/accounts';
import type { SqlClient } from '../store/sql-client';
import { isUuid } from '../store/uuid';

interface ShareRow {
  user_id: string;
  email: string;
  created_at: Date | string;
}

const toShare = (row: ShareRow): AccountShare => ({ userId: row.user_id, email: row.email, createdAt: new Date(row.created_at).getTime() });

export class AccountShareRepository {
  constructor(private readonly sql: SqlClient) {}

  /** The user's role, or null for an id no user has (a deleted user's session). */
  async roleOf(userId: string): Promise<'admin' | 'user' | null> {
    if (!isUuid(userId)) return null;
    const [row] = await this.sql.query<{ role: 'admin' | 'user' }>('SELECT role FROM users WHERE id = $1', [userId]);
    return row?.role ?? null;
  }

  /** Account ids shared with the user. */
  async sharedWith(userId: string): Promise<Set<string>> {
    if (!isUuid(userId)) return new Set();
    const rows = await this.sql.query<{ account_id: string }>('SELECT account_id FROM account_shares WHERE user_id = $1', [userId]);
    return new Set(rows.map((row) => row.account_id));
  }

  async isSharedWith(userId: string, accountId: string): Promise<boolean> {
    if (!isUuid(userId)) return false;
    const rows = await this.sql.query('SELECT 1 FROM account_shares WHERE user_id = $1 AND account_id = $2', [userId, accountId]);
    return rows.length > 0;
  }

  async list(accountId: string): Promise<AccountShare[]> {
    const rows = await this.sql.query<ShareRow>(
      `SELECT s.user_id, u.email, s.created_at FROM account_shares s JOIN users u ON u.id = s.user_id
       WHERE s.account_id = $1 ORDER BY s.created_at, u.email`,
      [accountId],
    );
    return rows.map(toShare);
  }

  /** The user with that e-mail address (any case). */
  async findUser(email: string): Promise<{ id: string; email: string; role: 'admin' | 'user' } | null> {
    const [user] = await this.sql.query<{ id: string; email: string; role: 'admin' | 'user' }>('SELECT id, email, role FROM users WHERE lower(email) = lower($1)', [email]);
    return user ?? null;
  }

  /** Sharing twice keeps the first grant. */
  async add(accountId: string, userId: string, grantedBy: string): Promise<AccountShare> {
    await this.sql.query(
      'INSERT INTO account_shares (account_id, user_id, granted_by) VALUES ($1, $2, $3) ON CONFLICT (account_id, user_id) DO NOTHING',
      [accountId, userId, isUuid(grantedBy) ? grantedBy : null],
    );
    const [row] = await this.sql.query<ShareRow>(
      'SELECT s.user_id, u.email, s.created_at FROM account_shares s JOIN users u ON u.id = s.user_id WHERE s.account_id = $1 AND s.user_id = $2',
      [accountId, userId],
    );
    return toShare(row!);
  }

  /** True when there was such a share. */
  async remove(accountId: string, userId: string): Promise<boolean> {
    if (!isUuid(userId)) return false;
    const rows = await this.sql.query('DELETE FROM account_shares WHERE account_id = $1 AND user_id = $2 RETURNING 1', [accountId, userId]);
    return rows.length > 0;
  }

  /** Every share of an account, when it goes for good (its owner unlinked it); returns how many there were. */
  async removeAll(accountId: string): Promise<number> {
    const rows = await this.sql.query('DELETE FROM account_shares WHERE account_id = $1 RETURNING 1', [accountId]);
    return rows.length;
  }
}
