/**
 * A stored link whose broker is down when the server starts: its account is listed at once as not connected,
 * saying why (its stand-in session refuses with UPSTREAM_UNAVAILABLE), and the link is retried until the broker
 * answers, then serves the real account. A link sealed with another key says so and is not retried.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../test-wait';
import { InMemoryAccountDirectory } from '../accounts/in-memory-account-directory';
import type { BrokerUpstream } from '../brokers/registry';
import { KiwoomSimulator, SIM_ISSUED_CREDENTIALS } from '../brokers/kiwoom/simulator';
import { silentLogger } from '../logger';
import { MarketEngine } from '../market/market-engine';
import type { FeedSink } from '../relay/feed';
import { openStore } from '../store/open-store';
import type { SqlClient } from '../store/sql-client';
import { LinkedAccountService } from './linked-account-service';
import { LinkedCredentialStore } from './linked-credential-store';
import { SecretBox } from './secret-box';

const ACCOUNT = `kiwoom:${SIM_ISSUED_CREDENTIALS.accountNo}`;
const CREDENTIALS = { broker: 'kiwoom', appKey: SIM_ISSUED_CREDENTIALS.appKey, secretKey: SIM_ISSUED_CREDENTIALS.secretKey };
/** Fast retries keep the test short; production starts at 2 s. */
const TEST_REOPEN_MS = 50;

const ignore: FeedSink = { tick() {}, hoga() {}, order() {}, balance() {}, condition() {}, state() {} };

let dataDir: string;
let sql: SqlClient;
let userId: string;
const box = new SecretBox(randomBytes(32));

const until = (check: () => Promise<boolean> | boolean, what: string, timeoutMs = 15_000) => waitFor(check, what, timeoutMs, 25);

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'sise-restore-'));
  sql = await openStore({ dataDir, databaseUrl: null });
  const [user] = await sql.query<{ id: string }>(`INSERT INTO users (email, password_hash, role) VALUES ('kim@example.com', 'x', 'user') RETURNING id`);
  userId = user!.id;
}, 60_000);

afterAll(async () => {
  await sql?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('reopening stored links at start', () => {
  it('lists the account as unavailable while the broker is down, and connects once it answers', async () => {
    const store = new LinkedCredentialStore(sql);
    const stored = await store.insert({
      ownerUserId: userId, broker: 'kiwoom', label: '키움 데모', keyHint: 'sim-', keyFingerprint: box.fingerprint(`kiwoom:${CREDENTIALS.appKey}`),
      sealedCredentials: box.seal(JSON.stringify(CREDENTIALS)), accountIds: [ACCOUNT],
    });
    // Port 1 on loopback: nothing listens there, so every attempt is refused at once.
    const upstreams: Partial<Record<'kiwoom', BrokerUpstream>> = { kiwoom: { restUrl: 'http://127.0.0.1:1', wsUrl: 'ws://127.0.0.1:1', simulated: true } };
    const directory = new InMemoryAccountDirectory();
    const service = new LinkedAccountService({
      sql, box, directory, sink: ignore, upstreams, logger: silentLogger, allowRealOrders: false,
      reopenBaseDelayMs: TEST_REOPEN_MS, reopenMaxDelayMs: TEST_REOPEN_MS,
    });
    const engine = new MarketEngine({ seed: 3, alwaysOpen: true });
    const simulator = new KiwoomSimulator({ engine, issued: [SIM_ISSUED_CREDENTIALS] });
    try {
      await service.restore();
      expect(directory.get(ACCOUNT)).toMatchObject({ ownerUserId: userId, label: '키움 데모' });
      await until(async () => (await service.list(userId))[0]?.status === 'unavailable', 'the link to be reported unavailable');
      const [down] = await service.list(userId);
      expect(down).toMatchObject({ id: stored.id, accountIds: [ACCOUNT], detail: expect.stringContaining('키움증권') });
      await expect(directory.get(ACCOUNT)!.session.balance()).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });

      // The broker comes back (at a new address, as a restarted simulator would).
      upstreams.kiwoom = { ...(await simulator.start()), simulated: true };
      await until(async () => (await service.list(userId))[0]?.status === 'connected', 'the link to reconnect');
      const balance = await directory.get(ACCOUNT)!.session.balance();
      expect(balance).toMatchObject({ accountId: ACCOUNT, full: true });
    } finally {
      await service.close();
      await simulator.stop();
      await store.delete(stored.id);
    }
  });

  it('says a link sealed with another key cannot be opened, and does not retry it', async () => {
    const store = new LinkedCredentialStore(sql);
    const other = new SecretBox(randomBytes(32));
    const stored = await store.insert({
      ownerUserId: userId, broker: 'kiwoom', label: '다른 키', keyHint: 'sim-', keyFingerprint: box.fingerprint('kiwoom:other'),
      sealedCredentials: other.seal(JSON.stringify(CREDENTIALS)), accountIds: [ACCOUNT],
    });
    const service = new LinkedAccountService({
      sql, box, directory: new InMemoryAccountDirectory(), sink: ignore, upstreams: {}, logger: silentLogger, allowRealOrders: false,
    });
    try {
      await service.restore();
      const [link] = await service.list(userId);
      expect(link).toMatchObject({ status: 'unavailable', detail: expect.stringContaining('저장된 키를 열 수 없습니다') });
    } finally {
      await service.close();
      await store.delete(stored.id);
    }
  });
});
