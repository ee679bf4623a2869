/**
 * KiwoomServer bridge wiring: with KIWOOM_BRIDGE_URL set, connect to that bridge; otherwise, with SIM=on and a
 * market engine, start the loopback bridge simulator and connect the same adapter to it over real HTTP and
 * WebSockets; otherwise there is no bridge feed.
 */
import type { SymbolId } from '../../../lib/contracts';
import type { SiseConfig } from '../../config';
import type { BrokerDeps, BrokerRuntime } from '../broker-runtime';
import { ACCOUNT_RECHECK_MS, accountsOrNone, accountsWhenFound, closeInOrder } from '../broker-runtime';
import { KiwoomBridgeAdapter } from './adapter';
import { KiwoomBridgeSimulator } from './simulator';

export interface KiwoomBridgeRuntime extends BrokerRuntime {
  feed: KiwoomBridgeAdapter;
  /** The adapter offers condition search (조건검색) through the bridge's condition routes. */
  conditions: KiwoomBridgeAdapter;
  simulator: KiwoomBridgeSimulator | null;
}

export async function startKiwoomBridge(config: SiseConfig, deps: BrokerDeps): Promise<KiwoomBridgeRuntime | null> {
  const logger = deps.logger.child({ broker: 'kiwoom-bridge' });
  if (config.kiwoomBridgeUrl) {
    const feed = new KiwoomBridgeAdapter({
      baseUrl: config.kiwoomBridgeUrl,
      logger,
      // OpenAPI+ behind the bridge may be logged in to the real server or 모의투자, and the bridge does not say
      // which (ServerName is null): treat it as real money, so ALLOW_REAL_ORDERS decides.
      realMoney: true,
      allowRealOrders: config.allowRealOrders,
    });
    const accounts = await accountsOrNone(() => feed.discoverAccounts(), logger, 'kiwoom-bridge: account list');
    let closed = false;
    // A bridge is often started before anyone logs in to OpenAPI+: its accounts join when the login happens.
    const lateAccounts =
      accounts.length > 0
        ? undefined
        : accountsWhenFound(() => feed.discoverAccounts(), () => closed, deps.accountRecheckMs ?? ACCOUNT_RECHECK_MS, logger, 'kiwoom-bridge');
    return {
      feed,
      conditions: feed,
      accounts,
      ...(lateAccounts ? { lateAccounts } : {}),
      simulator: null,
      close: () => {
        closed = true;
        return feed.stop();
      },
    };
  }
  if (!config.sim || !deps.engine) return null;
  const engine = deps.engine;
  const simulator = new KiwoomBridgeSimulator({ engine });
  const { baseUrl } = await simulator.start();
  const feed = new KiwoomBridgeAdapter({
    baseUrl,
    logger,
    realMoney: false,
    allowRealOrders: config.allowRealOrders,
    knows: (symbol: SymbolId) => symbol.startsWith('KRX:') && engine.instrument(symbol) !== undefined,
    nameOf: (symbol: SymbolId) => engine.instrument(symbol)?.name ?? null,
  });
  const accounts = await accountsOrNone(() => feed.discoverAccounts(), logger, 'kiwoom-bridge: account list');
  logger.info({ baseUrl, accounts: accounts.map((a) => a.accountId) }, 'kiwoom-bridge: connected to the simulator');
  return {
    feed,
    conditions: feed,
    accounts,
    simulator,
    close: closeInOrder(feed, simulator),
  };
}


export { KiwoomBridgeAdapter, type KiwoomBridgeAdapterOptions } from './adapter';
export { KiwoomBridgeSimulator, type KiwoomBridgeSimulatorOptions } from './simulator';
