/**
 * BO wiring: with BO_AES_ADDR (and BO_API_KEY, BO_USER, BO_ACCOUNT), the configured access server; otherwise,
 * with SIM=on and a market engine, the BO simulator (venue mode) on 127.0.0.1 and the same adapter talking to
 * it over real TCP.
 */
import type { SiseConfig } from '../../config';
import { BoFeed, DEFAULT_HEARTBEAT_MS } from './adapter';
import { BoSimulator, SIM_ACCOUNT, SIM_API_KEY, SIM_HEARTBEAT_MS, SIM_USER } from './simulator';
import { closeInOrder, type BrokerDeps, type BrokerRuntime } from '../broker-runtime';

export interface BoRuntime extends BrokerRuntime {
  simulator: BoSimulator | null;
}

/** Account numbers are a uint32 on the wire (`H` Account). */
const ACCOUNT_PATTERN = /^\d{1,10}$/;
/** UserName is a 6-byte ASCII field (§3.1); a longer name would be cut and the logon refused as USER_NOT_FOUND. */
const USER_PATTERN = /^[\x21-\x7e]{1,6}$/;

export async function startBo(config: SiseConfig, deps: BrokerDeps): Promise<BoRuntime | null> {
  const logger = deps.logger.child({ broker: 'bo' });
  if (config.bo) {
    const { aesAddr, apiKey, user, account } = config.bo;
    const missing = [!apiKey && 'BO_API_KEY', !user && 'BO_USER', !account && 'BO_ACCOUNT'].filter(Boolean);
    if (missing.length > 0 || !ACCOUNT_PATTERN.test(account ?? '') || Number(account) > 0xffffffff || !USER_PATTERN.test(user ?? '')) {
      logger.error(
        { missing },
        'BO_AES_ADDR is set but the logon needs BO_API_KEY, BO_USER (1 to 6 printable ASCII characters) and a numeric BO_ACCOUNT (up to 4294967295); the BO venue is left out',
      );
      return null;
    }
    const feed = new BoFeed({
      aesAddr,
      apiKey: apiKey!,
      userName: user!,
      account: Number(account),
      logger,
      heartbeatMs: DEFAULT_HEARTBEAT_MS,
      realMoney: true,
      ordersAllowed: config.allowRealOrders,
    });
    return { feed, accounts: feed.accounts, simulator: null, close: () => feed.stop() };
  }
  if (!config.sim || !deps.engine) return null;

  const engine = deps.engine;
  const simulator = new BoSimulator({ mode: 'venue', engine, apiKey: SIM_API_KEY, userName: SIM_USER, account: SIM_ACCOUNT, heartbeatMs: SIM_HEARTBEAT_MS });
  const { aesAddr } = await simulator.start();
  logger.info({ aesAddr, account: SIM_ACCOUNT }, 'BO simulator listening');
  const feed = new BoFeed({
    aesAddr,
    apiKey: SIM_API_KEY,
    userName: SIM_USER,
    account: SIM_ACCOUNT,
    logger,
    heartbeatMs: SIM_HEARTBEAT_MS,
    realMoney: false,
    ordersAllowed: true,
    knows: (symbol) => engine.instrument(symbol) !== undefined && symbol.startsWith('BO:'),
  });
  return {
    feed,
    accounts: feed.accounts,
    simulator,
    close: closeInOrder(feed, simulator),
  };
}
