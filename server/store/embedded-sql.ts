/**
 * The embedded store: PGlite, persisted in a folder under DATA_DIR. Nothing to install, and the same SQL as
 * PostgreSQL. PGlite serves one connection, so transactions are serialised by PGlite itself.
 */
import { mkdir } from 'node:fs/promises';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import type { SqlClient } from './sql-client';

function wrap(db: PGlite | Transaction, close: () => Promise<void>): SqlClient {
  const client: SqlClient = {
    kind: 'embedded',
    async query<Row extends object>(text: string, params: readonly unknown[] = []) {
      const result = await db.query<Row>(text, params as unknown[]);
      return result.rows;
    },
    async exec(text: string) {
      await db.exec(text);
    },
    async transaction<T>(work: (tx: SqlClient) => Promise<T>) {
      if (!('transaction' in db)) return work(client); // already inside one
      return db.transaction((tx) => work(wrap(tx, async () => {})));
    },
    close,
  };
  return client;
}

export async function openEmbeddedSql(directory: string): Promise<SqlClient> {
  await mkdir(directory, { recursive: true });
  const db = await PGlite.create(directory);
  return wrap(db, () => db.close());
}
