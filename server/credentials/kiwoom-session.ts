/**
 * A Kiwoom REST API session for a user's own app key: the broker's real adapter against the configured (or
 * simulated) endpoint. Linking lists the key's accounts (ka00001), which proves the key and secret at once.
 */
import type { z } from 'zod';
import type { kiwoomCredentialsSchema } from '../../lib/contracts/linked-accounts';
import { KiwoomAdapter } from '../brokers/kiwoom/adapter';
import { isKiwoomRealMoney } from '../brokers/kiwoom';
import { FeedError } from '../relay/feed';
import { brokerRefusal } from './broker-refusal';
import type { LinkedSession, SessionContext } from './linked-session';

export type KiwoomCredentials = z.infer<typeof kiwoomCredentialsSchema>;

export async function openKiwoomSession(credentials: KiwoomCredentials, context: SessionContext): Promise<LinkedSession> {
  const { upstream } = context;
  const adapter = new KiwoomAdapter({
    restUrl: upstream.restUrl,
    wsUrl: upstream.wsUrl,
    appKey: credentials.appKey,
    secretKey: credentials.secretKey,
    logger: context.logger,
    realMoney: !upstream.simulated && isKiwoomRealMoney(upstream.restUrl),
    allowRealOrders: context.allowRealOrders,
  });
  try {
    const accounts = await adapter.discoverAccounts();
    if (accounts.length === 0) throw new FeedError('BAD_REQUEST', '키움증권: 이 App Key로 조회되는 계좌가 없습니다 (ka00001)');
    return { accounts, start: (sink) => adapter.start(sink), stop: () => adapter.stop() };
  } catch (error) {
    await adapter.stop().catch(() => {});
    throw error instanceof FeedError && error.code === 'BAD_REQUEST' ? error : brokerRefusal('kiwoom', error);
  }
}
