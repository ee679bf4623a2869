/** The auth part of the server's services; a server without a store (relay tests) has none. */
import type { AuthApi } from '../contracts/services';
import { getServices } from '../contracts/services';

export function authApi(): AuthApi {
  const auth = getServices().auth;
  if (!auth) throw Object.assign(new Error('this server runs without a store, so there are no accounts to sign in to'), { code: 'NOT_SUPPORTED' });
  return auth;
}
