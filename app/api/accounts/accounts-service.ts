/**
 * The account service as route handlers reach it, and their route parameters.
 */
import type { AccountsService } from '@/lib/contracts/accounts';
import { getServices } from '@/lib/contracts/services';

/** Throws UPSTREAM_UNAVAILABLE (503) when the server runs without a store, where accounts cannot be served. */
export function accountsService(): AccountsService {
  const accounts = getServices().accounts;
  if (!accounts) {
    throw Object.assign(new Error('this server runs without a store, so broker accounts are not served'), { code: 'UPSTREAM_UNAVAILABLE' });
  }
  return accounts;
}

/** A route parameter as sent: account ids have a colon, which clients may percent-encode. */
export async function param<K extends string>(params: Promise<Record<K, string>>, name: K): Promise<string> {
  return decodeURIComponent((await params)[name]);
}
