/**
 * A KiwoomServer bridge whose OpenAPI+ login happens after Sise started (the usual morning): its account joins
 * the admins' accounts, its stream and its live conditions once the login is made, without a restart. Real
 * server on 127.0.0.1:0, the bridge simulator over real HTTP, the embedded store.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { addTestUser } from '../auth/test-users';
import { KiwoomBridgeSimulator } from '../brokers/kiwoom-bridge/simulator';
import { loadConfig } from '../config';
import { silentLogger } from '../logger';
import { MarketEngine } from '../market/market-engine';
import { connectClient, request, waitFor } from '../relay/test-socket';
import { startSiseServer, type SiseServer } from '../sise-server';

/** Short, so the test sees the recheck after the login within a moment. */
const TEST_RECHECK_MS = 200;

let dataDir: string;
let simulator: KiwoomBridgeSimulator;
let server: SiseServer;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'sise-late-accounts-'));
  const engine = new MarketEngine({ seed: 5, alwaysOpen: true });
  // Logged out, and Sise's own login attempt at start does not succeed (OpenAPI+ needs a person at the bridge).
  simulator = new KiwoomBridgeSimulator({ engine, loggedIn: false, loginTimeoutMs: 50 });
  simulator.loginTimesOut = true;
  const { baseUrl } = await simulator.start();
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', SIM: 'on', DATA_DIR: dataDir, KIWOOM_BRIDGE_URL: baseUrl });
  server = await startSiseServer({ config, logger: silentLogger, web: false, engine, accountRecheckMs: TEST_RECHECK_MS });
}, 60_000);

afterAll(async () => {
  await server?.close();
  await simulator?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

it('adds a bridge\'s account when OpenAPI+ logs in after start, with its stream and its conditions', async () => {
  const account = `kiwoom-bridge:${simulator.account.accountNo}`;
  const admin = await addTestUser(server.auth!, { role: 'admin' });
  const socket = await connectClient(server.url, { token: admin.token });
  try {
    expect(server.accountDirectory.get(account)).toBeUndefined();
    expect((await request(socket, 'subscribe', { accounts: [account] })).results[0]).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });

    // Someone logs in to OpenAPI+ on the bridge machine.
    simulator.loginTimesOut = false;
    simulator.loggedIn = true;

    await waitFor(() => server.accountDirectory.get(account) !== undefined, 'the bridge account to join');
    expect((await server.accounts!.list(admin.user)).map((a) => a.id)).toContain(account);
    expect((await request(socket, 'subscribe', { accounts: [account] })).results[0]).toMatchObject({ ok: true });
    expect(server.relay.conditions.accountsOf('kiwoom-bridge:0')).toContain(account);
  } finally {
    socket.disconnect();
  }
});
