/**
 * The linked_credentials table on both store backends (embedded PGlite and a real PostgreSQL): what is written
 * is the sealed form only, the bytes read back differ from the plain secret and open to it with the server's key,
 * and one key cannot be linked twice.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../store/open-store';
import type { SqlClient } from '../store/sql-client';
import { findPostgresBinaries, startTestPostgres, type TestPostgres } from '../store/test-postgres';
import { LinkedCredentialStore } from './linked-credential-store';
import { SecretBox } from './secret-box';

const PLAIN = { broker: 'kiwoom', appKey: 'demo-app-key-0001', secretKey: 'plain-secret-that-must-not-be-stored' };

const binaries = findPostgresBinaries();
const backends: Array<[string, () => Promise<{ sql: SqlClient; dispose(): Promise<void> }>, string | null]> = [
  [
    'embedded (PGlite under DATA_DIR)',
    async () => {
      const dataDir = mkdtempSync(path.join(tmpdir(), 'sise-links-'));
      const sql = await openStore({ dataDir, databaseUrl: null });
      return { sql, dispose: async () => { await sql.close(); rmSync(dataDir, { recursive: true, force: true }); } };
    },
    null,
  ],
  [
    'PostgreSQL (a real server on a free port)',
    async () => {
      const server: TestPostgres = await startTestPostgres(binaries!);
      const sql = await openStore({ dataDir: '/nonexistent', databaseUrl: server.url });
      return { sql, dispose: async () => { await sql.close(); await server.stop(); } };
    },
    binaries ? null : 'skipped: no PostgreSQL binaries (initdb, postgres) on this machine; `apt-get install postgresql` runs this part',
  ],
];

for (const [name, make, skipReason] of backends) {
  describe.skipIf(skipReason !== null)(skipReason ?? name, () => {
    let backend: { sql: SqlClient; dispose(): Promise<void> };
    let userId: string;
    const box = new SecretBox(randomBytes(32));

    beforeAll(async () => {
      backend = await make();
      const [user] = await backend.sql.query<{ id: string }>(`INSERT INTO users (email, password_hash, role) VALUES ('owner@example.com', 'x', 'user') RETURNING id`);
      userId = user!.id;
    }, 60_000);
    afterAll(async () => {
      await backend?.dispose();
    });

    it('keeps only the sealed form, whose bytes differ from the plain secret and open back to it', async () => {
      const store = new LinkedCredentialStore(backend.sql);
      const link = await store.insert({
        ownerUserId: userId,
        broker: 'kiwoom',
        label: '키움 데모',
        keyHint: PLAIN.appKey.slice(0, 4),
        keyFingerprint: box.fingerprint(`kiwoom:${PLAIN.appKey}`),
        sealedCredentials: box.seal(JSON.stringify(PLAIN)),
        accountIds: ['kiwoom:5098765432'],
      });
      const [row] = await backend.sql.query<Record<string, unknown>>('SELECT * FROM linked_credentials WHERE id = $1', [link.id]);
      const storedBytes = Buffer.from(String(row!.sealed_credentials), 'utf8');
      expect(storedBytes.equals(Buffer.from(PLAIN.secretKey, 'utf8'))).toBe(false);
      expect(storedBytes.includes(Buffer.from(PLAIN.secretKey, 'utf8'))).toBe(false);
      expect(JSON.stringify(row)).not.toContain(PLAIN.secretKey);
      expect(JSON.stringify(row)).not.toContain(PLAIN.appKey);
      expect(row!.account_ids).toEqual(['kiwoom:5098765432']);
      expect(JSON.parse(box.open(String(row!.sealed_credentials)))).toEqual(PLAIN);
      expect((await store.listAll()).map((l) => l.id)).toEqual([link.id]);
    });

    it('refuses one key linked twice with CONFLICT, whoever links it', async () => {
      const store = new LinkedCredentialStore(backend.sql);
      await expect(
        store.insert({
          ownerUserId: userId,
          broker: 'kiwoom',
          label: 'again',
          keyHint: 'demo',
          keyFingerprint: box.fingerprint(`kiwoom:${PLAIN.appKey}`),
          sealedCredentials: box.seal(JSON.stringify(PLAIN)),
          accountIds: ['kiwoom:5098765432'],
        }),
      ).rejects.toMatchObject({ code: 'CONFLICT' });
    });

    it('forgets a link when it is deleted, and treats a malformed id as absent', async () => {
      const store = new LinkedCredentialStore(backend.sql);
      const [link] = await store.listAll();
      expect(await store.get('1; DROP TABLE users')).toBeNull();
      expect(await store.delete(link!.id)).toBe(true);
      expect(await store.get(link!.id)).toBeNull();
      expect(await store.listAll()).toEqual([]);
    });
  });
}
