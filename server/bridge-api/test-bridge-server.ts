/**
 * For the bridge API's tests: the bridge API on a real HTTP server on port 0, over real pieces — the simulated
 * brokers (over their loopback sockets), the relay, the auth service and the account access rule on an embedded
 * store in a temporary directory — wired as server/sise-server.ts wires them. The first admin owns the simulated
 * accounts and holds ADMIN_TOKEN (as SISE_API_TOKEN gives it); `newUser` makes a plain user with a personal token.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { SessionUser } from '../../lib/contracts';
import { AccountAccessService } from '../accounts/account-access-service';
import { AccountShareRepository } from '../accounts/account-share-repository';
import { environmentAccount, InMemoryAccountDirectory } from '../accounts/in-memory-account-directory';
import { AuthService } from '../auth/auth-service';
import { startBrokers } from '../brokers/registry';
import { loadConfig } from '../config';
import { silentLogger } from '../logger';
import { MarketEngine } from '../market/market-engine';
import { FeedRouter } from '../relay/feed-router';
import { Relay } from '../relay/relay';
import { openStore } from '../store/open-store';
import { createBridgeApi } from './bridge-api';

export const ADMIN_TOKEN = 'sise_test-admin-token-0123456789abcdef';
const ADMIN_EMAIL = 'admin@sise.test';
const PASSWORD = 'correct horse battery staple';

export interface BridgeTestUser {
  user: SessionUser;
  token: string;
  /** What revocation names the token by. */
  tokenId: string;
}

export interface BridgeTestServer {
  /** http://127.0.0.1:<port> */
  url: string;
  auth: AuthService;
  admin: SessionUser;
  shares: AccountShareRepository;
  router: FeedRouter;
  /** The simulated accounts, all the admin's. */
  accountIds: string[];
  newUser(email: string): Promise<BridgeTestUser>;
  close(): Promise<void>;
}

export async function startBridgeTestServer(options: { accountRefreshMs?: number } = {}): Promise<BridgeTestServer> {
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', SIM: 'on', SIM_ALWAYS_OPEN: 'on' });
  const dataDir = mkdtempSync(path.join(tmpdir(), 'sise-bridge-'));
  const store = await openStore({ dataDir, databaseUrl: null });
  const auth = new AuthService({ sql: store, logger: silentLogger });
  await auth.prepareFirstRun({ adminEmail: ADMIN_EMAIL, adminPassword: PASSWORD, apiToken: ADMIN_TOKEN });
  const admin = (await auth.findUserByEmail(ADMIN_EMAIL))!;

  const engine = new MarketEngine({ seed: config.simSeed, alwaysOpen: config.simAlwaysOpen });
  const brokers = await startBrokers(config, { engine, logger: silentLogger });
  const router = new FeedRouter(brokers.preference);
  const relay = new Relay({ router, logger: silentLogger, conditionSources: brokers.conditionSources, lingerMs: 50 });
  const directory = new InMemoryAccountDirectory();
  for (const session of brokers.accounts) directory.add(environmentAccount(session));
  const shares = new AccountShareRepository(store);
  const access = new AccountAccessService(directory, shares);

  const bridgeApi = createBridgeApi({
    resolveToken: async (token) => {
      const credential = await auth.resolveApiToken(token);
      return credential ? { userId: credential.user.id, credentialHash: credential.hash } : null;
    },
    accountsFor: async (userId) => (await access.visibleAccountIds(userId)).flatMap((id) => directory.get(id)?.session ?? []),
    onRevocation: (listener) => auth.onRevocation(listener),
    relay,
    logger: silentLogger,
    nameOf: (symbol) => engine.instrument(symbol)?.name ?? '',
    ...(options.accountRefreshMs === undefined ? {} : { accountRefreshMs: options.accountRefreshMs }),
  });
  const http = createServer((req, res) => {
    if (bridgeApi.handleRequest(req, res)) return;
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { code: 'NOT_FOUND', message: 'not a bridge route' } }));
  });
  http.on('upgrade', (req, socket, head) => {
    if (!bridgeApi.handleUpgrade(req, socket, head)) socket.destroy();
  });
  for (const feed of brokers.feeds) await feed.start(relay.sink);
  engine.start();
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));

  return {
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
    auth,
    admin,
    shares,
    router,
    accountIds: brokers.accounts.map((account) => account.accountId),
    async newUser(email) {
      const user = await auth.createUser(admin, { email, password: PASSWORD });
      const { token, info } = await auth.createApiToken(user, { name: 'bot' });
      return { user, token, tokenId: info.id };
    },
    async close() {
      engine.stop();
      bridgeApi.close();
      await relay.close();
      await Promise.allSettled(brokers.feeds.map((feed) => feed.stop()));
      await brokers.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
      auth.close();
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
