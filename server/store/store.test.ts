/**
 * The store on both backends, in the same run: the embedded PGlite and a real PostgreSQL server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from './migrate';
import { MIGRATIONS } from './migrations';
import type { SqlClient } from './sql-client';
import { STORE_BACKENDS, type TestBackend } from './test-backends';

for (const { name, make, skipReason } of STORE_BACKENDS) {
  describe.skipIf(skipReason !== null)(skipReason ?? name, () => {
    let backend: TestBackend;
    let sql: SqlClient;

    beforeAll(async () => {
      backend = await make();
      sql = await backend.open();
    }, 60_000);
    afterAll(async () => {
      await sql?.close();
      await backend?.dispose();
    });

    it('applies every migration once and records it', async () => {
      const rows = await sql.query<{ id: number }>('SELECT id FROM schema_migrations ORDER BY id');
      expect(rows.map((r) => r.id)).toEqual(MIGRATIONS.map((m) => m.id).sort((a, b) => a - b));
      expect(await migrate(sql, MIGRATIONS)).toEqual([]);
    });

    it('enforces one account per e-mail address, whatever its case', async () => {
      await sql.query(`INSERT INTO users (email, password_hash, role) VALUES ($1, 'x', 'admin')`, ['Kim@Example.com']);
      await expect(sql.query(`INSERT INTO users (email, password_hash, role) VALUES ($1, 'y', 'user')`, ['kim@example.com'])).rejects.toThrow(/duplicate key|unique/i);
    });

    it('rolls a failed transaction back completely', async () => {
      await expect(
        sql.transaction(async (tx) => {
          await tx.query(`INSERT INTO users (email, password_hash, role) VALUES ('lee@example.com', 'x', 'user')`);
          await tx.query(`INSERT INTO users (email, password_hash, role) VALUES ('park@example.com', 'x', 'superuser')`);
        }),
      ).rejects.toThrow();
      expect(await sql.query(`SELECT 1 FROM users WHERE email = 'lee@example.com'`)).toEqual([]);
    });

    it('keeps its data across a restart', async () => {
      await sql.close();
      sql = await backend.open();
      const rows = await sql.query<{ email: string }>('SELECT email FROM users');
      expect(rows.map((r) => r.email)).toEqual(['Kim@Example.com']);
    });
  });
}
