/** The linked-accounts service as route handlers reach it. */
import type { LinkedAccountsApi } from '@/lib/contracts/linked-accounts';
import { getServices } from '@/lib/contracts/services';

/** Throws NOT_SUPPORTED when the server runs without a store, where links cannot be kept. */
export function linkedAccountsService(): LinkedAccountsApi {
  const service = getServices().linkedAccounts;
  if (!service) throw Object.assign(new Error('this server runs without a store, so broker credentials cannot be linked'), { code: 'NOT_SUPPORTED' });
  return service;
}
