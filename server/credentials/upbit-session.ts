/**
 * An Upbit session for a user's own key pair: the broker's real adapter against the configured (or simulated)
 * endpoint. Upbit names the account after the access key; linking reads its balances (`GET /v1/accounts`),
 * which proves the pair before anything is stored.
 */
import type { z } from 'zod';
import type { upbitCredentialsSchema } from '../../lib/contracts/linked-accounts';
import { UpbitAdapter } from '../brokers/upbit/adapter';
import { brokerRefusal } from './broker-refusal';
import type { LinkedSession, SessionContext } from './linked-session';

export type UpbitCredentials = z.infer<typeof upbitCredentialsSchema>;

export async function openUpbitSession(credentials: UpbitCredentials, context: SessionContext): Promise<LinkedSession> {
  const { upstream } = context;
  const adapter = new UpbitAdapter({
    wsUrl: upstream.wsUrl,
    restUrl: upstream.restUrl,
    credentials: { accessKey: credentials.accessKey, secretKey: credentials.secretKey },
    // A linked session carries no quotes, so its instrument list is never consulted.
    lists: null,
    realMoney: !upstream.simulated,
    allowRealOrders: context.allowRealOrders,
    logger: context.logger,
  });
  const account = adapter.account;
  try {
    if (!account) throw new Error('the adapter made no account from the key pair');
    await account.balance();
    return { accounts: [account], start: (sink) => adapter.start(sink), stop: () => adapter.stop() };
  } catch (error) {
    await adapter.stop().catch(() => {});
    throw brokerRefusal('upbit', error);
  }
}
