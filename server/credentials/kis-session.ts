/**
 * A KIS Open API session for a user's own app key: the broker's real adapter against the configured (or
 * simulated) endpoint. KIS has no account-list call, so linking asks for the given account's balance, which
 * proves the key, the secret and that the account is this key's, before anything is stored.
 */
import type { z } from 'zod';
import type { kisCredentialsSchema } from '../../lib/contracts/linked-accounts';
import { KisFeed } from '../brokers/kis/adapter';
import { isKisPaperService } from '../brokers/kis';
import { KisRestClient, PAPER_REST_PER_SECOND, REAL_REST_PER_SECOND } from '../brokers/kis/rest-client';
import { brokerRefusal } from './broker-refusal';
import type { LinkedSession, SessionContext } from './linked-session';

export type KisCredentials = z.infer<typeof kisCredentialsSchema>;

export async function openKisSession(credentials: KisCredentials, context: SessionContext): Promise<LinkedSession> {
  const { upstream } = context;
  // The simulator is a paper account, as is KIS's paper host; both keep the paper REST rate.
  const paper = upstream.simulated || isKisPaperService(upstream.restUrl);
  const feed = new KisFeed({
    rest: new KisRestClient({
      restUrl: upstream.restUrl,
      appKey: credentials.appKey,
      appSecret: credentials.appSecret,
      maxRequestsPerSecond: paper ? PAPER_REST_PER_SECOND : REAL_REST_PER_SECOND,
    }),
    wsUrl: upstream.wsUrl,
    account: credentials.account,
    htsId: credentials.htsId,
    paper,
    ordersAllowed: paper || context.allowRealOrders,
    logger: context.logger,
  });
  try {
    for (const account of feed.accounts) await account.balance();
    return { accounts: [...feed.accounts], start: (sink) => feed.start(sink), stop: () => feed.stop() };
  } catch (error) {
    await feed.stop().catch(() => {});
    throw brokerRefusal('kis', error);
  }
}
