/**
 * Which brokers this process runs and in what order of preference per market. A new broker is one folder
 * under server/brokers/ plus its line in BROKER_STARTERS.
 */
import type { BrokerId, Market } from '../../lib/contracts';
import type { SiseConfig } from '../config';
import type { ConditionSource } from '../relay/condition-provider';
import type { Feed } from '../relay/feed';
import type { AccountSession } from './account-session';
import type { BrokerDeps, BrokerRuntime, BrokerStarter } from './broker-runtime';
import { startBo } from './bo';
import { DownFeed } from './down-feed';
import { startKis } from './kis';
import { startKiwoom } from './kiwoom';
import { startKiwoomBridge } from './kiwoom-bridge';
import { SimFeed } from './sim/sim-feed';
import { startUpbit } from './upbit';

/** Every broker Sise speaks, in start order, with the markets it serves quotes for. */
const BROKER_STARTERS: ReadonlyArray<{ id: BrokerId; markets: readonly Market[]; start: BrokerStarter }> = [
  { id: 'kis', markets: ['KRX'], start: startKis },
  { id: 'kiwoom', markets: ['KRX'], start: startKiwoom },
  { id: 'kiwoom-bridge', markets: ['KRX'], start: startKiwoomBridge },
  { id: 'upbit', markets: ['UPBIT'], start: startUpbit },
  { id: 'bo', markets: ['BO'], start: startBo },
];

export interface FeedSet {
  feeds: Feed[];
  preference: Map<Market, Feed[]>;
}

/** Where a broker's upstream is, so sessions for users' own credentials open against the same endpoints. */
export interface BrokerUpstream {
  restUrl: string;
  wsUrl: string;
  /** True when these are the loopback simulator's URLs (SIM=on and the broker not configured). */
  simulated: boolean;
}

export interface Brokers extends FeedSet {
  accounts: AccountSession[];
  /** Endpoints of the brokers that run, by id; absent when feeds were given directly (benchmarks). */
  upstreams?: Partial<Record<BrokerId, BrokerUpstream>>;
  conditionSources: ConditionSource[];
  /** Stops every adapter and simulator. */
  /**
   * Accounts found after start (a bridge logged in later), as they are found; accounts found before the call are
   * given to the listener at once. Their condition sources already list them when the listener runs.
   */
  onLateAccounts?(listener: (accounts: AccountSession[]) => void): void;
  close(): Promise<void>;
}

/** The brokers the environment configures, by the variable that says so. */
function configuredBrokers(config: SiseConfig): Array<[BrokerId, string]> {
  const configured: Array<[BrokerId, string | null]> = [
    ['kis', config.kis && 'KIS_APP_KEY'],
    ['kiwoom', config.kiwoom && 'KIWOOM_APP_KEY'],
    ['kiwoom-bridge', config.kiwoomBridgeUrl && 'KIWOOM_BRIDGE_URL'],
    // Upbit's quotes need no keys: a URL alone points the feed somewhere.
    ['upbit', (config.upbit.accessKey && 'UPBIT_ACCESS_KEY') || (config.upbit.wsUrl && 'UPBIT_WS_URL') || (config.upbit.restUrl && 'UPBIT_REST_URL')],
    ['bo', config.bo && 'BO_AES_ADDR'],
  ];
  return configured.filter((entry): entry is [BrokerId, string] => entry[1] !== null);
}

export async function startBrokers(config: SiseConfig, deps: BrokerDeps): Promise<Brokers> {
  const missing = configuredBrokers(config).filter(([id]) => !BROKER_STARTERS.some((broker) => broker.id === id));
  if (missing.length > 0) {
    // Said at start rather than ignored: someone who set these expects a connection.
    deps.logger.warn({ variables: missing.map(([, variable]) => variable) }, `not part of this build yet: ${missing.map(([id]) => id).join(', ')}`);
  }
  const runtimes: BrokerRuntime[] = [];
  const feeds: Feed[] = [];
  for (const broker of BROKER_STARTERS) {
    try {
      const runtime = await broker.start(config, deps);
      if (!runtime) continue;
      runtimes.push(runtime);
      feeds.push(runtime.feed);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      deps.logger.error({ broker: broker.id, reason }, 'broker failed to start');
      feeds.push(new DownFeed(broker.id, broker.markets, reason));
    }
  }

  const serving = (market: Market) => feeds.filter((feed) => feed.markets.includes(market));
  const krxOrder = (feed: Feed) => {
    const index = (config.krxFeeds as readonly string[]).indexOf(feed.id);
    return index === -1 ? Number.MAX_SAFE_INTEGER : index;
  };
  const preference = new Map<Market, Feed[]>([
    ['KRX', serving('KRX').sort((a, b) => krxOrder(a) - krxOrder(b))],
    ['UPBIT', serving('UPBIT')],
    ['BO', serving('BO')],
  ]);

  // The in-process market feed fills only a market no broker serves, and only in simulation: it must never
  // stand in for a real broker that is down, because its prices are not real.
  const extra: Feed[] = [];
  if (config.sim && deps.engine) {
    const unserved = (['KRX', 'UPBIT'] as const).filter((market) => preference.get(market)!.length === 0);
    if (unserved.length > 0) {
      const sim = new SimFeed(deps.engine, unserved);
      extra.push(sim);
      for (const market of unserved) preference.get(market)!.push(sim);
    }
  }

  const conditionSources = runtimes.flatMap((runtime) =>
    runtime.conditions ? [{ runtime, source: { provider: runtime.conditions, accountIds: runtime.accounts.map((account) => account.accountId) } }] : [],
  );
  const found: AccountSession[][] = [];
  const lateListeners: Array<(accounts: AccountSession[]) => void> = [];
  for (const runtime of runtimes) {
    void runtime.lateAccounts?.then((accounts) => {
      // The condition source's list is the one the relay checks access against: it grows in place.
      conditionSources.find((entry) => entry.runtime === runtime)?.source.accountIds.push(...accounts.map((account) => account.accountId));
      found.push(accounts);
      for (const listener of lateListeners) listener(accounts);
    });
  }

  return {
    feeds: [...feeds, ...extra],
    preference,
    accounts: runtimes.flatMap((runtime) => runtime.accounts),
    upstreams: Object.fromEntries(
      runtimes.flatMap((runtime) => ('upstream' in runtime && runtime.upstream ? [[runtime.feed.id, runtime.upstream as BrokerUpstream]] : [])),
    ),
    conditionSources: conditionSources.map((entry) => entry.source),
    onLateAccounts: (listener) => {
      lateListeners.push(listener);
      for (const accounts of found) listener(accounts);
    },
    close: async () => {
      await Promise.allSettled([...runtimes.map((runtime) => runtime.close()), ...extra.map((feed) => feed.stop())]);
    },
  };
}
