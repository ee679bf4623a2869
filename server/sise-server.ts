/**
 * Builds the whole server from a config: market engine → feeds → relay → web handler → one HTTP listener.
 * server/index.ts calls it for `npm start`; integration tests call it with `web: false` on port 0.
 */
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { registerServices, clearServices, type SiseServices } from '../lib/contracts/services';
import { createBridgeApi } from './bridge-api';
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
  close(): Promise<void>;
}

export async function startSiseServer(options: SiseServerOptions): Promise<SiseServer> {
  const { config, logger } = options;
  const startedAt = Date.now();

  // Said at start rather than ignored: a team that sets it expects it to do something.
  if (config.redisUrl) logger.warn('REDIS_URL is set, but this build runs one node only; rooms are not shared across nodes');

  // The store first: a database that is unreachable or cannot be migrated stops start-up with its reason.
  const store = options.store === false ? null : await openStore(config);

  const engine = options.engine ?? new MarketEngine({ seed: config.simSeed, alwaysOpen: config.simAlwaysOpen });
  const brokers: Brokers = options.feeds
    ? { ...options.feeds(engine), accounts: [], conditionSources: [], close: async () => {} }
    : await startBrokers(config, { engine, logger });
  const { feeds, preference } = brokers;
  const router = new FeedRouter(preference);
  const relay = new Relay({
    router,
    logger,
    conditionSources: brokers.conditionSources,
    ...(options.lingerMs === undefined ? {} : { lingerMs: options.lingerMs }),
    ...(options.subscribeTimeoutMs === undefined ? {} : { subscribeTimeoutMs: options.subscribeTimeoutMs }),
  });
  const directory = createInstrumentDirectory(engine.instruments());

  const services: SiseServices = {
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
  const bridgeApi = createBridgeApi({
    token: config.apiToken,
    relay,
    accounts: brokers.accounts,
    logger,
    nameOf: (symbol) => engine.instrument(symbol)?.name ?? '',
  });
  const http = createServer((req, res) => {
    if (bridgeApi.handleRequest(req, res)) return;
    if (web) {
      web.handle(req, res).catch((error: unknown) => {
        logger.error({ error, url: req.url }, 'page handler failed');
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end('internal error');
      });
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { code: 'NOT_FOUND', message: 'pages are not served by this instance' } }));
  });
  const io = relay.attach(http);
  // Socket.IO keeps /socket.io/ upgrades; /bridge/ ones are the bridge API's (an untaken path is left alone).
  http.on('upgrade', (req, socket, head) => bridgeApi.handleUpgrade(req, socket, head));

  for (const feed of feeds) await feed.start(relay.sink);
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
      bridgeApi.close();
      await relay.close();
      await Promise.allSettled(feeds.map((feed) => feed.stop()));
      await brokers.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
      await web?.close();
      await store?.close();
      clearServices();
    })();
    return closing;
  };

  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  return { url: `http://${host}:${port}`, port, http, io, engine, relay, brokers, router, store, close };
}
