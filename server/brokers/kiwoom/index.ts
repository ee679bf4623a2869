/**
 * Kiwoom REST API wiring: with KIWOOM_APP_KEY/KIWOOM_SECRET_KEY set, connect to the configured URLs (the real
 * endpoints by default); otherwise, with SIM=on and a market engine, start the loopback simulator and connect the
 * same adapter to it over a real socket; otherwise there is no Kiwoom feed.
 */
import type { SymbolId } from '../../../lib/contracts';
import type { SiseConfig } from '../../config';
import type { BrokerDeps, BrokerRuntime } from '../broker-runtime';
import { accountsOrNone, closeInOrder } from '../broker-runtime';
import { KiwoomAdapter } from './adapter';
import type { BrokerUpstream } from '../registry';
import { KiwoomSimulator, SIM_ISSUED_CREDENTIALS } from './simulator';

/** Real endpoints (§1); the mock environment is `https://mockapi.kiwoom.com` / `wss://mockapi.kiwoom.com:10000`. */
export const KIWOOM_REST_URL = 'https://api.kiwoom.com';
export const KIWOOM_WS_URL = 'wss://api.kiwoom.com:10000';
/** Only the production host moves real money; the mock host and anything else (a simulator) do not. */
const REAL_MONEY_HOST = 'api.kiwoom.com';

export function isKiwoomRealMoney(restUrl: string): boolean {
  return new URL(restUrl).hostname === REAL_MONEY_HOST;
}

export interface KiwoomRuntime extends BrokerRuntime {
  feed: KiwoomAdapter;
  /** The adapter offers condition search (조건검색) itself. */
  conditions: KiwoomAdapter;
  simulator: KiwoomSimulator | null;
  upstream: BrokerUpstream;
}

export async function startKiwoom(config: SiseConfig, deps: BrokerDeps): Promise<KiwoomRuntime | null> {
  const logger = deps.logger.child({ broker: 'kiwoom' });
  if (config.kiwoom) {
    const restUrl = config.kiwoom.restUrl ?? KIWOOM_REST_URL;
    const feed = new KiwoomAdapter({
      restUrl,
      wsUrl: config.kiwoom.wsUrl ?? KIWOOM_WS_URL,
      appKey: config.kiwoom.appKey,
      secretKey: config.kiwoom.secretKey,
      logger,
      realMoney: isKiwoomRealMoney(restUrl),
      allowRealOrders: config.allowRealOrders,
    });
    const accounts = await accountsOrNone(() => feed.discoverAccounts(), logger, 'kiwoom: account list (ka00001)');
    const upstream = { restUrl, wsUrl: config.kiwoom.wsUrl ?? KIWOOM_WS_URL, simulated: false };
    return { feed, conditions: feed, accounts, simulator: null, upstream, close: () => feed.stop() };
  }
  if (!config.sim || !deps.engine) return null;
  const engine = deps.engine;
  // A second issued key pair, so users can link "their own" account in the demo (README: demo credentials).
  const simulator = new KiwoomSimulator({ engine, issued: [SIM_ISSUED_CREDENTIALS] });
  const urls = await simulator.start();
  const feed = new KiwoomAdapter({
    ...urls,
    appKey: simulator.appKey,
    secretKey: simulator.secretKey,
    logger,
    knows: (symbol: SymbolId) => symbol.startsWith('KRX:') && engine.instrument(symbol) !== undefined,
    nameOf: (symbol: SymbolId) => engine.instrument(symbol)?.name ?? null,
  });
  const accounts = await accountsOrNone(() => feed.discoverAccounts(), logger, 'kiwoom: account list (ka00001)');
  logger.info({ ...urls, accounts: accounts.map((a) => a.accountId) }, 'kiwoom: connected to the simulator');
  return {
    feed,
    conditions: feed,
    accounts,
    simulator,
    upstream: { ...urls, simulated: true },
    close: closeInOrder(feed, simulator),
  };
}


export { KiwoomAdapter, type ConditionHit, type ConditionInfo } from './adapter';
export { KiwoomSimulator } from './simulator';
