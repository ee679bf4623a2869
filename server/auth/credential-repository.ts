/**
 * The two kinds of bearer credential, sessions (browser cookies, they expire) and API tokens (for programs,
 * until revoked), stored by the SHA-256 of their secret.
 */
import type { SessionUser, UserRole } from '../../lib/contracts';
import type { SqlClient } from '../store/sql-client';

export interface StoredCredential {
  kind: 'session' | 'token';
  /** The SHA-256 of the secret: names the credential without revealing it (sign-out and revocation use it). */
  hash: string;
  user: SessionUser;
  /** Epoch ms; null for API tokens, which last until revoked. */
  expiresAt: number | null;
}

export interface ApiTokenInfo {
  /** The token's hash, shown as its id: it cannot be turned back into the token. */
  id: string;
  name: string;
  createdAt: string;
  revokedAt: string | null;
}

interface JoinedRow {
  hash: string;
  user_id: string;
  email: string;
  role: UserRole;
  expires_at: Date | string | null;
}

const toCredential = (kind: StoredCredential['kind'], row: JoinedRow): StoredCredential => ({
  kind,
  hash: row.hash,
  user: { id: row.user_id, email: row.email, role: row.role },
  expiresAt: row.expires_at === null ? null : new Date(row.expires_at).getTime(),
});

export class CredentialRepository {
  constructor(private readonly sql: SqlClient) {}

  async createSession(hash: string, userId: string, expiresAt: number): Promise<void> {
    await this.sql.query('INSERT INTO sessions (token_hash, user_id, expires_at) VALUES ($1, $2, $3)', [hash, userId, new Date(expiresAt)]);
  }

  /** A session that exists, is not revoked and has not expired at `now`. */
  async findSession(hash: string, now: number): Promise<StoredCredential | null> {
    const [row] = await this.sql.query<JoinedRow>(
      `SELECT s.token_hash AS hash, u.id AS user_id, u.email, u.role, s.expires_at
         FROM sessions s JOIN users u ON u.id = s.user_id
        WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > $2`,
      [hash, new Date(now)],
    );
    return row ? toCredential('session', row) : null;
  }

  async revokeSession(hash: string): Promise<boolean> {
    const rows = await this.sql.query('UPDATE sessions SET revoked_at = now() WHERE token_hash = $1 AND revoked_at IS NULL RETURNING token_hash', [hash]);
    return rows.length > 0;
  }

  /** Revokes every live session of the user but one; returns the hashes revoked. */
  async revokeOtherSessions(userId: string, keepHash: string | null): Promise<string[]> {
    const rows = await this.sql.query<{ token_hash: string }>(
      'UPDATE sessions SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL AND token_hash IS DISTINCT FROM $2 RETURNING token_hash',
      [userId, keepHash],
    );
    return rows.map((row) => row.token_hash);
  }

  /** Expired and revoked sessions are of no further use; dropping them keeps the table small. */
  async deleteDeadSessions(now: number): Promise<void> {
    await this.sql.query('DELETE FROM sessions WHERE expires_at <= $1 OR revoked_at IS NOT NULL', [new Date(now)]);
  }

  /** Idempotent for one hash (SISE_API_TOKEN is recorded at every start). */
  async createApiToken(hash: string, userId: string, name: string): Promise<void> {
    await this.sql.query('INSERT INTO api_tokens (token_hash, user_id, name) VALUES ($1, $2, $3) ON CONFLICT (token_hash) DO NOTHING', [hash, userId, name]);
  }

  async findApiToken(hash: string): Promise<StoredCredential | null> {
    const [row] = await this.sql.query<JoinedRow>(
      `SELECT t.token_hash AS hash, u.id AS user_id, u.email, u.role, NULL AS expires_at
         FROM api_tokens t JOIN users u ON u.id = t.user_id
        WHERE t.token_hash = $1 AND t.revoked_at IS NULL`,
      [hash],
    );
    return row ? toCredential('token', row) : null;
  }

  async listApiTokens(userId: string): Promise<ApiTokenInfo[]> {
    const rows = await this.sql.query<{ token_hash: string; name: string; created_at: Date | string; revoked_at: Date | string | null }>(
      'SELECT token_hash, name, created_at, revoked_at FROM api_tokens WHERE user_id = $1 ORDER BY created_at DESC',
      [userId],
    );
    return rows.map((row) => ({
      id: row.token_hash,
      name: row.name,
      createdAt: new Date(row.created_at).toISOString(),
      revokedAt: row.revoked_at === null ? null : new Date(row.revoked_at).toISOString(),
    }));
  }

  /** Only the token's owner can revoke it; false when there is no such live token of theirs. */
  async revokeApiToken(userId: string, hash: string): Promise<boolean> {
    const rows = await this.sql.query(
      'UPDATE api_tokens SET revoked_at = now() WHERE token_hash = $1 AND user_id = $2 AND revoked_at IS NULL RETURNING token_hash',
      [hash, userId],
    );
    return rows.length > 0;
  }
}
