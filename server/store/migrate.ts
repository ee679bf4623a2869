import type { Migration } from './migrations';
import type { SqlClient } from './sql-client';

/**
 * A fixed key for PostgreSQL's advisory lock: when several Sise nodes start against one database at once,
 * one migrates and the others wait, instead of racing to create the same tables.
 */
const MIGRATION_LOCK_KEY = 20_260_101;

/** Applies every migration not yet recorded, in order; returns the ids it applied. */
export async function migrate(sql: SqlClient, migrations: readonly Migration[]): Promise<number[]> {
  await sql.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    id integer PRIMARY KEY,
    name text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`);
  return sql.transaction(async (tx) => {
    if (tx.kind === 'postgres') await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    const done = new Set((await tx.query<{ id: number }>('SELECT id FROM schema_migrations')).map((row) => row.id));
    const applied: number[] = [];
    for (const migration of [...migrations].sort((a, b) => a.id - b.id)) {
      if (done.has(migration.id)) continue;
      await tx.exec(migration.sql);
      await tx.query('INSERT INTO schema_migrations (id, name) VALUES ($1, $2)', [migration.id, migration.name]);
      applied.push(migration.id);
    }
    return applied;
  });
}
