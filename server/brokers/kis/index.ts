/**
 * KIS wiring: with KIS_APP_KEY/KIS_APP_SECRET, the real service (or the configured URLs); otherwise, with SIM=on
 * and a market engine, the KIS simulator on 127.0.0.1 and the same adapter talking to it over a real socket.
 */
import type { SiseConfig } from '../../config';
import type { BrokerDeps, BrokerRuntime } from '../broker-runtime';
import { closeInOrder } from '../broker-runtime';
import { KisFeed } from './adapter';
import { KisRestClient, PAPER_REST_PER_SECOND, REAL_REST_PER_SECOND } from './rest-client';
import { fileTokenStore } from './token-store';
import type { BrokerUpstream } from '../registry';
import { KisSimulator, SIM_ACCOUNT, SIM_APP_KEY, SIM_APP_SECRET, SIM_HTS_ID, SIM_ISSUED_CREDENTIALS } from './simulator';

/** Real service (실전) endpoints (§1). The WebSocket is plain ws:// on KIS's side. */
export const KIS_REAL_REST_URL = 'https://openapi.koreainvestment.com:9443';
export const KIS_REAL_WS_URL = 'ws://ops.koreainvestment.com:21000/tryitout';
/** The paper service (모의투자) is recognised by its REST host; it uses V-prefixed tr_ids and H0STCNI9. */
const PAPER_HOST = /openapivts\./;

/** True for KIS's paper service (모의투자): no real money moves there. */
export function isKisPaperService(restUrl: string): boolean {
  return PAPER_HOST.test(restUrl);
}

export interface KisRuntime extends BrokerRuntime {
  feed: KisFeed;
  accounts: KisFeed['accounts'];
  simulator: KisSimulator | null;
  upstream: BrokerUpstream;
}

export async function startKis(config: SiseConfig, deps: BrokerDeps): Promise<KisRuntime | null> {
  const logger = deps.logger.child({ broker: 'kis' });
  if (config.kis) {
    const restUrl = config.kis.restUrl ?? KIS_REAL_REST_URL;
    const paper = isKisPaperService(restUrl);
    if (config.kis.account && !config.kis.htsId) {
      logger.warn('KIS_ACCOUNT is set without KIS_HTS_ID: balances and orders work, but fills arrive only on the next refresh');
    }
    const wsUrl = config.kis.wsUrl ?? (paper ? KIS_REAL_WS_URL.replace(':21000', ':31000') : KIS_REAL_WS_URL);
    const feed = new KisFeed({
      rest: new KisRestClient({
        restUrl,
        appKey: config.kis.appKey,
        appSecret: config.kis.appSecret,
        maxRequestsPerSecond: paper ? PAPER_REST_PER_SECOND : REAL_REST_PER_SECOND,
        token: {
          store: fileTokenStore(config.dataDir, config.kis.appKey, restUrl, (error) =>
            logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'KIS token file under DATA_DIR not usable; the token lives in memory only'),
          ),
        },
      }),
      wsUrl,
      account: config.kis.account,
      htsId: config.kis.htsId,
      paper,
      ordersAllowed: paper || config.allowRealOrders,
      logger,
    });
    return { feed, accounts: feed.accounts, simulator: null, upstream: { restUrl, wsUrl, simulated: false }, close: () => feed.stop() };
  }
  if (!config.sim || !deps.engine) return null;

  const engine = deps.engine;
  // The simulator is a paper (모의) account, and keeps the paper service's REST rate; the adapter spaces its calls to it.
  const simulator = new KisSimulator({
    engine, appKey: SIM_APP_KEY, appSecret: SIM_APP_SECRET, account: SIM_ACCOUNT, htsId: SIM_HTS_ID, restRatePerSecond: PAPER_REST_PER_SECOND,
    // A second issued key pair, so users can link "their own" account in the demo (README: demo credentials).
    issued: [SIM_ISSUED_CREDENTIALS],
  });
  const urls = await simulator.start();
  logger.info({ restUrl: urls.restUrl, wsUrl: urls.wsUrl, account: SIM_ACCOUNT }, 'KIS simulator listening');
  const feed = new KisFeed({
    rest: new KisRestClient({ restUrl: urls.restUrl, appKey: SIM_APP_KEY, appSecret: SIM_APP_SECRET, maxRequestsPerSecond: PAPER_REST_PER_SECOND }),
    wsUrl: urls.wsUrl,
    account: SIM_ACCOUNT,
    htsId: SIM_HTS_ID,
    paper: true,
    ordersAllowed: true,
    logger,
    knows: (symbol) => engine.instrument(symbol) !== undefined,
  });
  return {
    feed,
    accounts: feed.accounts,
    simulator,
    upstream: { ...urls, simulated: true },
    close: closeInOrder(feed, simulator),
  };
}
