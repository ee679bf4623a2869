/**
 * Upbit's JWT (protocols/upbit.md §2): HS512 over `{access_key, nonce}` plus, for REST calls with parameters,
 * `query_hash` (hex SHA-512 of the unescaped `k=v&k2=v2` string) and `query_hash_alg: "SHA512"`. A fresh UUID
 * nonce on every token: whether Upbit accepts a reused nonce is unconfirmed, and the simulator refuses one.
 */
import { createHash, randomUUID } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';

/** The algorithm of the official example token; the simulator also accepts ccxt's HS256. */
export const UPBIT_JWT_ALG = 'HS512';
export const ACCEPTED_JWT_ALGS = ['HS512', 'HS256'];

export interface UpbitCredentials {
  accessKey: string;
  secretKey: string;
}

export type QueryParams = ReadonlyArray<readonly [string, string]>;

/** `[['market','KRW-BTC'],['side','bid']]` → `market=KRW-BTC&side=bid`, unescaped, as ccxt and upbeat hash it. */
export function queryString(params: QueryParams): string {
  return params.map(([key, value]) => `${key}=${value}`).join('&');
}

export function queryHash(params: QueryParams): string {
  return createHash('sha512').update(queryString(params), 'utf8').digest('hex');
}

/** `Bearer <jwt>` for the private WebSocket upgrade or one REST call. */
export async function authorization(credentials: UpbitCredentials, params: QueryParams = []): Promise<string> {
  const payload: Record<string, string> = { access_key: credentials.accessKey, nonce: randomUUID() };
  if (params.length > 0) {
    payload.query_hash = queryHash(params);
    payload.query_hash_alg = 'SHA512';
  }
  const token = await new SignJWT(payload).setProtectedHeader({ alg: UPBIT_JWT_ALG, typ: 'JWT' }).sign(new TextEncoder().encode(credentials.secretKey));
  return `Bearer ${token}`;
}

export type VerifyResult = { ok: true; accessKey: string; nonce: string } | { ok: false; reason: string };

/**
 * Checks an `Authorization` header the way the exchange does: a known access key, a valid signature with that
 * key's secret, a nonce, and a query hash matching `params` whenever there are any. Used by the simulator.
 */
export async function verifyAuthorization(
  header: string | undefined,
  secretOf: (accessKey: string) => string | undefined,
  params: QueryParams = [],
): Promise<VerifyResult> {
  if (!header?.startsWith('Bearer ')) return { ok: false, reason: 'no Bearer token' };
  const token = header.slice('Bearer '.length).trim();
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false, reason: 'not a JWT' };
  let claims: Record<string, unknown>;
  try {
    claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return { ok: false, reason: 'unreadable JWT payload' };
  }
  const accessKey = claims.access_key;
  if (typeof accessKey !== 'string') return { ok: false, reason: 'no access_key claim' };
  const secret = secretOf(accessKey);
  if (secret === undefined) return { ok: false, reason: 'unknown access key' };
  try {
    await jwtVerify(token, new TextEncoder().encode(secret), { algorithms: ACCEPTED_JWT_ALGS });
  } catch {
    return { ok: false, reason: 'bad signature' };
  }
  if (typeof claims.nonce !== 'string' || claims.nonce.length === 0) return { ok: false, reason: 'no nonce' };
  if (params.length > 0) {
    if (claims.query_hash !== queryHash(params)) return { ok: false, reason: 'query_hash does not match the parameters' };
  }
  return { ok: true, accessKey, nonce: claims.nonce };
}
