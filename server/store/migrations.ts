/**
 * The schema, as an append-only list: a migration, once released, is never edited; a change is a new one.
 * Each runs in its own transaction and is recorded in schema_migrations, so start-up applies only what is new.
 */
import { accountsMigration } from './migrations/0002-accounts';
import { linkedCredentialsMigration } from './migrations/0003-linked-credentials';
import { teamsDashboardsMigration } from './migrations/0004-teams-dashboards';

export interface Migration {
  id: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    id: 1,
    name: 'users, sessions and API tokens',
    sql: `
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL,
        password_hash text NOT NULL,
        role text NOT NULL CHECK (role IN ('admin', 'user')),
        created_at timestamptz NOT NULL DEFAULT now()
      );
      -- E-mail addresses are compared without case: Kim@Example.com and kim@example.com are one person.
      CREATE UNIQUE INDEX users_email ON users (lower(email));

      CREATE TABLE sessions (
        -- The SHA-256 of the cookie's token: a leaked table cannot be replayed as cookies.
        token_hash text PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz
      );
      CREATE INDEX sessions_user ON sessions (user_id);

      CREATE TABLE api_tokens (
        token_hash text PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        name text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz
      );
      CREATE INDEX api_tokens_user ON api_tokens (user_id);
    `,
  },
  accountsMigration,
  linkedCredentialsMigration,
  teamsDashboardsMigration,
];
