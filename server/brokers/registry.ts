/**
 * Which feeds this process runs and in what order of preference per market. A new broker is one folder
 * under server/brokers/ plus its line here.
 */
import type { Market } from '../../lib/contracts';
import type { SiseConfig } from '../config';
import type { Logger } from '../logger';
import type { MarketEngine } from '../market/market-engine';
import type { Feed } from '../relay/feed';
import { SimFeed } from './sim/sim-feed';

export interface FeedSet {
  feeds: Feed[];
  preference: Map<Market, Feed[]>;
}

export function createFeeds(config: SiseConfig, engine: MarketEngine | null, logger: Logger): FeedSet {
  const feeds: Feed[] = [];
  const preference = new Map<Market, Feed[]>([
    ['KRX', []],
    ['UPBIT', []],
    ['BO', []],
  ]);

  const configured = [
    config.kis && 'KIS_APP_KEY',
    config.kiwoom && 'KIWOOM_APP_KEY',
    config.kiwoomBridgeUrl && 'KIWOOM_BRIDGE_URL',
    config.upbit.accessKey && 'UPBIT_ACCESS_KEY',
    config.bo && 'BO_AES_ADDR',
  ].filter(Boolean);
  if (configured.length > 0) {
    // The broker adapters land issue by issue; saying so beats pretending to be connected.
    logger.warn({ configured }, 'broker adapters are not part of this build yet; these settings are not used');
  }

  if (config.sim && engine) {
    const sim = new SimFeed(engine);
    feeds.push(sim);
    preference.get('KRX')!.push(sim);
    preference.get('UPBIT')!.push(sim);
  }
  return { feeds, preference };
}
