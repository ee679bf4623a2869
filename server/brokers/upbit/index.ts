/**
 * Upbit for Sise: the factory the registry calls.
 *
 * - Any Upbit variable set (UPBIT_WS_URL, UPBIT_REST_URL, or the key pair): the adapter connects to the configured
 *   URLs, or to Upbit's real ones for those not set; with keys it also opens the private stream and offers the
 *   account (real money: orders need ALLOW_REAL_ORDERS=true).
 * - Otherwise, with SIM=on and a market engine: the Upbit simulator starts on 127.0.0.1:0 with its own key pair
 *   (`SIM_CREDENTIALS`, account `upbit:simupbit`) and the same adapter connects to it over real sockets.
 * - Otherwise: null (no Upbit feed).
 */
import type { SiseConfig } from '../../config';
import { UpbitAdapter } from './adapter';
import { SIM_CREDENTIALS, SIM_INITIAL_KRW, SIM_ISSUED_CREDENTIALS, UpbitSimulator } from './simulator';
import type { BrokerUpstream } from '../registry';
import { closeInOrder, type BrokerDeps, type BrokerRuntime } from '../broker-runtime';

export { UpbitAdapter } from './adapter';
export { UpbitSimulator, SIM_CREDENTIALS } from './simulator';

export const UPBIT_WS_URL = 'wss://api.upbit.com/websocket/v1';
export const UPBIT_REST_URL = 'https://api.upbit.com';

export interface UpbitRuntime extends BrokerRuntime {
  simulator: UpbitSimulator | null;
  upstream: BrokerUpstream;
}

export async function startUpbit(config: SiseConfig, deps: BrokerDeps): Promise<UpbitRuntime | null> {
  const { upbit } = config;
  const configured = upbit.wsUrl !== null || upbit.restUrl !== null || upbit.accessKey !== null;
  const logger = deps.logger.child({ broker: 'upbit' });
  if (configured) {
    const credentials = upbit.accessKey && upbit.secretKey ? { accessKey: upbit.accessKey, secretKey: upbit.secretKey } : null;
    const adapter = new UpbitAdapter({
      wsUrl: upbit.wsUrl ?? UPBIT_WS_URL,
      restUrl: upbit.restUrl ?? UPBIT_REST_URL,
      credentials,
      // A real broker's universe is not listed offline: every well-formed KRW/BTC/USDT code is accepted.
      lists: null,
      realMoney: true,
      allowRealOrders: config.allowRealOrders,
      logger,
    });
    const upstream = { restUrl: upbit.restUrl ?? UPBIT_REST_URL, wsUrl: upbit.wsUrl ?? UPBIT_WS_URL, simulated: false };
    return { feed: adapter, accounts: adapter.account ? [adapter.account] : [], simulator: null, upstream, close: () => adapter.stop() };
  }
  const engine = deps.engine;
  if (!config.sim || !engine) return null;
  // The second issued key pair is for users to link "their own" account in the demo (README: demo credentials).
  const simulator = new UpbitSimulator({
    engine,
    accounts: [
      { ...SIM_CREDENTIALS, krw: SIM_INITIAL_KRW },
      { ...SIM_ISSUED_CREDENTIALS, krw: SIM_INITIAL_KRW },
    ],
  });
  const urls = await simulator.start();
  logger.info({ wsUrl: urls.wsUrl }, 'upbit simulator listening');
  const adapter = new UpbitAdapter({
    wsUrl: urls.wsUrl,
    restUrl: urls.restUrl,
    credentials: SIM_CREDENTIALS,
    lists: (symbol) => engine.instrument(symbol) !== undefined,
    nameOf: (currency) => engine.instrument(`UPBIT:KRW-${currency}`)?.name ?? currency,
    realMoney: false,
    allowRealOrders: config.allowRealOrders,
    logger,
  });
  return {
    feed: adapter,
    accounts: adapter.account ? [adapter.account] : [],
    simulator,
    upstream: { ...urls, simulated: true },
    close: closeInOrder(adapter, simulator),
  };
}
