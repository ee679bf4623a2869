/**
 * Users in the store. E-mail addresses are unique without regard to case (the users_email index), and are kept
 * as typed so a person sees their address the way they wrote it.
 */
import type { SessionUser, UserRole } from '../../lib/contracts';
import { SiseError } from '../errors';
import type { SqlClient } from '../store/sql-client';
import { isUuid } from '../store/uuid';

export interface UserWithPassword extends SessionUser {
  passwordHash: string;
}

interface UserRow {
  id: string;
  email: string;
  role: UserRole;
  password_hash: string;
}

const toUser = (row: UserRow): SessionUser => ({ id: row.id, email: row.email, role: row.role });

export class UserRepository {
  constructor(private readonly sql: SqlClient) {}

  async count(): Promise<number> {
    const [row] = await this.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM users');
    return row?.n ?? 0;
  }

  /** Throws CONFLICT when the address is taken (whatever its case). */
  async create(email: string, passwordHash: string, role: UserRole): Promise<SessionUser> {
    try {
      const [row] = await this.sql.query<UserRow>(
        'INSERT INTO users (email, password_hash, role) VALUES ($1, $2, $3) RETURNING id, email, role, password_hash',
        [email, passwordHash, role],
      );
      return toUser(row!);
    } catch (error) {
      if (/duplicate key|unique/i.test(String((error as Error).message))) throw new SiseError('CONFLICT', `${email} already has an account`);
      throw error;
    }
  }

  async findByEmail(email: string): Promise<UserWithPassword | null> {
    const [row] = await this.sql.query<UserRow>('SELECT id, email, role, password_hash FROM users WHERE lower(email) = lower($1)', [email]);
    return row ? { ...toUser(row), passwordHash: row.password_hash } : null;
  }

  async findById(id: string): Promise<SessionUser | null> {
    if (!isUuid(id)) return null;
    const [row] = await this.sql.query<UserRow>('SELECT id, email, role, password_hash FROM users WHERE id = $1', [id]);
    return row ? toUser(row) : null;
  }

  async setPasswordHash(id: string, passwordHash: string): Promise<void> {
    await this.sql.query('UPDATE users SET password_hash = $2 WHERE id = $1', [id, passwordHash]);
  }

  async list(): Promise<SessionUser[]> {
    const rows = await this.sql.query<UserRow>('SELECT id, email, role, password_hash FROM users ORDER BY created_at, email');
    return rows.map(toUser);
  }
}
