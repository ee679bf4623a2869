import type { Migration } from '../migrations';

/**
 * Broker credentials users link to their own Sise user. Only the sealed form of the secrets is stored
 * (server/credentials/secret-box.ts: AES-256-GCM under the server's key), never the plain text.
 */
export const linkedCredentialsMigration: Migration = {
  id: 3,
  name: 'linked broker credentials, sealed',
  sql: `
    CREATE TABLE linked_credentials (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      owner_user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      broker text NOT NULL CHECK (broker IN ('kis', 'kiwoom', 'upbit')),
      label text NOT NULL,
      -- The first characters of the app key / access key, so the owner can tell two links apart.
      key_hint text NOT NULL,
      -- HMAC of the app key under the server's key: one app key is linked once (the broker allows one
      -- session per key), without storing the key in a comparable plain form.
      key_fingerprint text NOT NULL,
      -- Every credential field (secrets included) as JSON, sealed: v1.<key id>.<iv>.<ciphertext>.<tag>.
      sealed_credentials text NOT NULL,
      -- The accounts the broker listed for these credentials when they were linked.
      account_ids text[] NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE UNIQUE INDEX linked_credentials_key ON linked_credentials (broker, key_fingerprint);
    CREATE INDEX linked_credentials_owner ON linked_credentials (owner_user_id);
  `,
};
