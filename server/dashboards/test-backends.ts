/**
 * Test harness: the two store backends the dashboard and team tests run on in the same run — the embedded PGlite
 * under a temporary DATA_DIR and a real PostgreSQL server on a free port (skipped, with the reason, only when the
 * machine has no PostgreSQL binaries). Same shape as server/store/store.test.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openStore } from '../store/open-store';
import type { SqlClient } from '../store/sql-client';
import { findPostgresBinaries, startTestPostgres } from '../store/test-postgres';

export interface TestBackend {
  /** Opens the same database again, as a restarted server would. */
  open(): Promise<SqlClient>;
  dispose(): Promise<void>;
}

export interface BackendCase {
  name: string;
  make: () => Promise<TestBackend>;
  /** Why this backend is skipped on this machine, or null when it runs. */
  skipReason: string | null;
}

export function testBackends(): BackendCase[] {
  const binaries = findPostgresBinaries();
  return [
    {
      name: 'embedded (PGlite under DATA_DIR)',
      make: async () => {
        const dataDir = mkdtempSync(path.join(tmpdir(), 'sise-dash-'));
        return { open: () => openStore({ dataDir, databaseUrl: null }), dispose: async () => rmSync(dataDir, { recursive: true, force: true }) };
      },
      skipReason: null,
    },
    {
      name: 'PostgreSQL (a real server on a free port)',
      make: async () => {
        const server = await startTestPostgres(binaries!);
        return { open: () => openStore({ dataDir: '/nonexistent', databaseUrl: server.url }), dispose: () => server.stop() };
      },
      skipReason: binaries ? null : 'skipped: no PostgreSQL binaries (initdb, postgres) on this machine; `apt-get install postgresql` runs this part',
    },
  ];
}

/** A user row straight in the store (the auth service's password hashing is not what these tests are about). */
export async function insertUser(sql: SqlClient, email: string): Promise<string> {
  const [row] = await sql.query<{ id: string }>(`INSERT INTO users (email, password_hash, role) VALUES ($1, 'not-a-hash', 'user') RETURNING id`, [email]);
  return row!.id;
}
