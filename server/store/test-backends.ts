/**
 * The store backends every store test runs on, in the same run: the embedded PGlite and a real PostgreSQL server
 * started on a free port. The PostgreSQL one reports itself skipped, with the reason, only when the machine has
 * no PostgreSQL binaries.
 *
 *   for (const backend of STORE_BACKENDS) {
 *     describe.skipIf(backend.skipReason !== null)(backend.skipReason ?? backend.name, () => { … await backend.make() … });
 *   }
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openStore } from './open-store';
import type { SqlClient } from './sql-client';
import { findPostgresBinaries, startTestPostgres } from './test-postgres';

export interface TestBackend {
  /** Opens the same database again, as a restarted server would; migrations run on each open. */
  open(): Promise<SqlClient>;
  /** What a server's config needs to use this database: DATA_DIR for the embedded store, DATABASE_URL otherwise. */
  readonly dataDir: string;
  readonly databaseUrl: string | null;
  dispose(): Promise<void>;
}

export interface StoreBackend {
  name: string;
  make(): Promise<TestBackend>;
  /** Null when it runs; otherwise why it cannot run here. */
  skipReason: string | null;
}

const binaries = findPostgresBinaries();

export const STORE_BACKENDS: readonly StoreBackend[] = [
  {
    name: 'embedded (PGlite under DATA_DIR)',
    make: async () => {
      const dataDir = mkdtempSync(path.join(tmpdir(), 'sise-store-'));
      return {
        dataDir,
        databaseUrl: null,
        open: () => openStore({ dataDir, databaseUrl: null }),
        dispose: async () => rmSync(dataDir, { recursive: true, force: true }),
      };
    },
    skipReason: null,
  },
  {
    name: 'PostgreSQL (a real server on a free port)',
    make: async () => {
      const server = await startTestPostgres(binaries!);
      // The server's own files (secret key, tokens) still need a directory of their own.
      const dataDir = mkdtempSync(path.join(tmpdir(), 'sise-store-pg-'));
      return {
        dataDir,
        databaseUrl: server.url,
        open: () => openStore({ dataDir, databaseUrl: server.url }),
        dispose: async () => {
          await server.stop();
          rmSync(dataDir, { recursive: true, force: true });
        },
      };
    },
    skipReason: binaries ? null : 'skipped: no PostgreSQL binaries (initdb, postgres) on this machine; `apt-get install postgresql` runs this part',
  },
];
