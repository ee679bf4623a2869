/**
 * Builds the whole server from a config: market engine → feeds → relay → web handler → one HTTP listener.
 * server/index.ts calls it for `npm start`; integration tests call it with `web: false` on port 0.
 */
import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { registerServices, clearServices, type SiseServices } from '../lib/contracts/services';
import { accountRoom } from '../lib/contracts/rooms';
import { AuthService, type FirstRun } from './auth/auth-service';
import { createHttpGate } from './auth/http-gate';
import { OriginPolicy } from './auth/origin-policy';
import { installSocketAuth } from './auth/socket-auth';
import { AccountAccessService } from './accounts/account-access-service';
import type { AccountDirectory } from './accounts/account-directory';
import { AccountService } from './accounts/account-service';
import { AccountShareRepository } from './accounts/account-share-repository';
import { FillJournal } from './accounts/fill-journal';
import { environmentAccount, InMemoryAccountDirectory } from './accounts/in-memory-account-directory';
import { createBridgeApi } from './bridge-api';
import { LinkedAccountService } from './credentials/linked-account-service';
import { SecretBox } from './credentials/secret-box';
import { loadSecretKey } from './credentials/secret-key';
import { createDashboardServices, type DashboardStack } from './dashboards/create-dashboard-services';
import { attachDashboardSockets } from './dashboards/dashboard-socket';
import { startBrokers, type Brokers, type FeedSet } from './brokers/registry';
import type { SiseConfig } from './config';
import { createInstrumentDirectory } from './instrument-directory';
import type { Logger } from './logger';
import { MarketEngine } from './market/market-engine';
import { FeedRouter } from './relay/feed-router';
import { openStore } from './store/open-store';
import type { SqlClient } from './store/sql-client';
import { Relay, type SiseIo } from './relay/relay';
import { createWebHandler, type WebHandler } from './web-handler';

export interface SiseServerOptions {
  config: SiseConfig;
  logger: Logger;
  /** Serve the Next.js pages (needs `next build`); tests of the relay alone leave it off. */
  web: boolean;
  /** Project root holding .next/. */
  dir?: string;
  /** Shorter lingers make interest tests quick; production uses the relay's default. */
  lingerMs?: number;
  /** Run the engine's clock (tests may step it by hand). */
  startEngine?: boolean;
  /** A prepared engine (tests pick its activity or clock); otherwise one is built from the config. */
  engine?: MarketEngine;
  /** How long a subscribe waits for a feed before the client is told it is unavailable. */
  subscribeTimeoutMs?: number;
  /** Open the store (default). Tests of the relay alone leave it closed, so they write nothing to disk. */
  store?: boolean;
  /** Packets queued for a client before its market data is conflated; a test of a stalled client passes a small one. */
  slowClientBacklog?: number;
  /** How often a broker without accounts at start asks again (ACCOUNT_RECHECK_MS); a test passes a short one. */
  accountRecheckMs?: number;
  /** Sessions last SESSION_TTL_MS; a test of expiry passes a short one. */
  sessionTtlMs?: number;
  /** Feeds to run instead of the configured brokers (benchmarks drive the relay at an exact rate). */
  feeds?: (engine: MarketEngine) => FeedSet;
}

export interface SiseServer {
  url: string;
  port: number;
  http: HttpServer;
  io: SiseIo;
  engine: MarketEngine;
  relay: Relay;
  brokers: Brokers;
  router: FeedRouter;
  store: SqlClient | null;
  /** Every broker account the server holds; linked accounts are added and removed here. */
  accountDirectory: AccountDirectory;
  /** Accounts and orders for signed-in users; null without a store. */
  accounts: AccountService | null;
  /** Sign-in and tokens; null without a store (then sockets are anonymous: relay-only tests). */
  auth: AuthService | null;
  /** Team dashboards and teams; null without a store. */
  dashboards: DashboardStack | null;
  /** How the first person signs in, for the start-up message. */
  firstRun: FirstRun | null;
  close(): Promise<void>;
}

export async function startSiseServer(options: SiseServerOptions): Promise<SiseServer> {
  const { config, logger } = options;
  const startedAt = Date.now();

  // Said at start rather than ignored: a team that sets it expects it to do something.
  if (config.redisUrl) logger.warn('REDIS_URL is set, but this build runs one node only; rooms are not shared across nodes');

  // The store first: a database that is unreachable or cannot be migrated stops start-up with its reason.
  const store = options.store === false ? null : await openStore(config);
  const auth = store ? new AuthService({ sql: store, logger, ...(options.sessionTtlMs === undefined ? {} : { sessionTtlMs: options.sessionTtlMs }) }) : null;
  const firstRun = auth ? await auth.prepareFirstRun(config) : null;
  // The key that seals linked broker secrets: loaded before any broker starts, so a damaged key file stops start-up.
  const secretBox = store ? new SecretBox((await loadSecretKey({ configured: config.secretKey, dataDir: config.dataDir })).key) : null;
  const origins = new OriginPolicy(config.allowedOrigins);

  const engine = options.engine ?? new MarketEngine({ seed: config.simSeed, alwaysOpen: config.simAlwaysOpen });
  const brokers: Brokers = options.feeds
    ? { ...options.feeds(engine), accounts: [], conditionSources: [], close: async () => {} }
    : await startBrokers(config, { engine, logger, ...(options.accountRecheckMs === undefined ? {} : { accountRecheckMs: options.accountRecheckMs }) });
  const { feeds, preference } = brokers;
  // Accounts of brokers configured by environment (or simulated) belong to the admins; linked ones are added later.
  const accountDirectory = new InMemoryAccountDirectory();
  for (const session of brokers.accounts) accountDirectory.add(environmentAccount(session));
  brokers.onLateAccounts?.((sessions) => {
    for (const session of sessions) accountDirectory.add(environmentAccount(session));
  });
  const accountShares = store ? new AccountShareRepository(store) : null;
  const accountAccess = accountShares ? new AccountAccessService(accountDirectory, accountShares) : null;
  const router = new FeedRouter(preference);
  const relay = new Relay({
    router,
    logger,
    conditionSources: brokers.conditionSources,
    ...(accountAccess ? { accountAccess } : {}),
    ...(options.lingerMs === undefined ? {} : { lingerMs: options.lingerMs }),
    ...(options.subscribeTimeoutMs === undefined ? {} : { subscribeTimeoutMs: options.subscribeTimeoutMs }),
    ...(options.slowClientBacklog === undefined ? {} : { slowClientBacklog: options.slowClientBacklog }),
  });
  const directory = createInstrumentDirectory(engine.instruments());
  const accounts =
    store && accountShares && accountAccess
      ? new AccountService({
          directory: accountDirectory,
          access: accountAccess,
          shares: accountShares,
          journal: new FillJournal(store, logger),
          relay,
          instruments: directory,
          allowRealOrders: config.allowRealOrders,
          logger,
          onAccessRevoked: (accountId, userId) => {
            for (const socket of io.sockets.sockets.values()) if (socket.data.userId === userId) void socket.leave(accountRoom(accountId));
          },
        })
      : null;

  const dashboards = store ? createDashboardServices(store) : null;
  // Users' own broker credentials: each link its own upstream session; only orders and balances reach the relay.
  const linkedAccounts =
    store && secretBox
      ? new LinkedAccountService({
          sql: store,
          box: secretBox,
          directory: accountDirectory,
          sink: relay.sink,
          upstreams: brokers.upstreams ?? {},
          logger,
          allowRealOrders: config.allowRealOrders,
          onUnlinked: async (accountIds) => {
            for (const accountId of accountIds) await accountShares?.removeAll(accountId);
          },
        })
      : null;

  const services: SiseServices = {
    ...(auth ? { auth } : {}),
    ...(accounts ? { accounts } : {}),
    ...(dashboards ? { dashboards: dashboards.api } : {}),
    ...(linkedAccounts ? { linkedAccounts } : {}),
    instruments: directory,
    health: () => {
      const statuses = router.statuses();
      return {
        status: statuses.every((s) => s.state === 'connected') ? 'ok' : 'degraded',
        startedAt,
        uptimeMs: Date.now() - startedAt,
        feeds: statuses,
        clients: relay.clients(),
        activeSymbols: relay.activeSymbols(),
      };
    },
    candles: (symbol, interval) => relay.candles.history(symbol, interval),
    conditions: { list: () => relay.conditions.list(), run: (key) => relay.conditions.run(key) },
  };
  registerServices(services);

  // Pages are ready before the port opens, so the first request never meets a half-started server.
  const web: WebHandler | null = options.web ? await createWebHandler({ dir: options.dir ?? process.cwd(), hostname: config.host, port: config.port }) : null;
  // The KiwoomServer-compatible API for client_kit tools, under /bridge/ only (never /api/).
  // Personal API tokens (SISE_API_TOKEN is the first admin's) open it, each with exactly its user's accounts.
  const bridgeApi = createBridgeApi({
    resolveToken: async (token) => {
      const credential = auth ? await auth.resolveApiToken(token) : null;
      return credential ? { userId: credential.user.id, credentialHash: credential.hash } : null;
    },
    accountsFor: async (userId) => {
      const ids = accountAccess ? await accountAccess.visibleAccountIds(userId) : [];
      return ids.flatMap((id) => accountDirectory.get(id)?.session ?? []);
    },
    onRevocation: (listener) => (auth ? auth.onRevocation(listener) : () => {}),
    relay,
    logger,
    nameOf: (symbol) => engine.instrument(symbol)?.name ?? '',
  });
  const gate = auth ? createHttpGate({ auth, origins, logger }) : null;
  const serve = async (req: IncomingMessage, res: ServerResponse) => {
    if (gate && (await gate.handle(req, res))) return;
    if (web) return web.handle(req, res);
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { code: 'NOT_FOUND', message: 'pages are not served by this instance' } }));
  };
  const http = createServer((req, res) => {
    if (bridgeApi.handleRequest(req, res)) return;
    serve(req, res).catch((error: unknown) => {
      logger.error({ err: error instanceof Error ? error.message : String(error), url: req.url }, 'request failed');
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('internal error');
    });
  });
  const io = relay.attach(http);
  const stopSocketAuth = auth ? installSocketAuth(io, { auth, origins, logger }) : () => {};
  // An unlinked account's stream ends for everyone who watched it, owner included.
  accountDirectory.onRemove((accountId) => io.in(accountRoom(accountId)).socketsLeave(accountRoom(accountId)));
  const stopDashboardSockets = dashboards ? attachDashboardSockets(io, dashboards.dashboards, dashboards.events, logger) : () => {};
  // Socket.IO keeps /socket.io/ upgrades; /bridge/ ones are the bridge API's (an untaken path is left alone).
  http.on('upgrade', (req, socket, head) => bridgeApi.handleUpgrade(req, socket, head));

  for (const feed of feeds) await feed.start(relay.sink);
  // Stored links reopen in the background: a broker that is down is retried, not a reason to fail start-up.
  await linkedAccounts?.restore();
  if (options.startEngine ?? true) engine.start();

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(config.port, config.host, () => {
      http.off('error', reject);
      resolve();
    });
  });
  const port = (http.address() as AddressInfo).port;

  let closing: Promise<void> | null = null;
  const close = () => {
    closing ??= (async () => {
      engine.stop();
      stopSocketAuth();
      stopDashboardSockets();
      bridgeApi.close();
      await relay.close();
      await Promise.allSettled(feeds.map((feed) => feed.stop()));
      // Linked sessions before the brokers: their simulators, when simulated, stop with the brokers.
      await linkedAccounts?.close();
      await brokers.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
      await web?.close();
      auth?.close();
      // Fills observed before the feeds stopped are written before the store closes.
      await accounts?.close();
      await store?.close();
      clearServices();
    })();
    return closing;
  };

  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  return { url: `http://${host}:${port}`, port, http, io, engine, relay, brokers, router, store, accountDirectory, accounts, auth, dashboards, firstRun, close };
}
