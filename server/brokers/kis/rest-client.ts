/**
 * KIS REST: tokenP, Approval, and the authorised `/uapi` calls with their common headers (§2, §6). Every value
 * in and out is a string, as KIS sends them. Failures become FeedErrors whose message a user can act on.
 */
import { FeedError } from '../../relay/feed';
import { kstToEpoch } from './normalize';
import { KisTokenCache, type TokenCacheOptions } from './token-cache';

/** KIS answers in well under a second; ten means it is not answering. */
export const REST_TIMEOUT_MS = 10_000;
/**
 * KIS's per-app-key REST rates (§6): about 20/s real and 2/s paper (EGW00201 beyond). python-kis uses 19 and 2;
 * so do we, spacing calls rather than bursting into refusals.
 */
export const REAL_REST_PER_SECOND = 19;
export const PAPER_REST_PER_SECOND = 2;
/** EGW00201 (초당 거래건수 초과) despite the spacing (another program on the same key): wait a second, retry. */
const RATE_LIMITED = 'EGW00201';
const RATE_LIMIT_RETRIES = 3;
const RATE_LIMIT_RETRY_MS = 1_000;

export interface KisRestOptions {
  restUrl: string;
  appKey: string;
  appSecret: string;
  token?: TokenCacheOptions;
  /** Spacing of `/uapi` calls; unset: no spacing (tests, a simulator without rate limits). */
  maxRequestsPerSecond?: number;
  now?: () => number;
}

export interface KisRestResponse {
  body: Record<string, unknown>;
  /** Response header `tr_cont`: `M`/`F` = more pages (§6). */
  trCont: string;
}

export interface KisCall {
  trId: string;
  query?: Record<string, string>;
  body?: Record<string, string>;
  /** `N` asks for the next page. */
  trCont?: string;
}

/** REST answers saying the token is expired (EGW00123) or unknown (EGW00121): renew once and retry. */
const TOKEN_REJECTED = new Set(['EGW00123', 'EGW00121']);

export class KisRestClient {
  readonly tokens: KisTokenCache;
  private readonly now: () => number;

  constructor(private readonly options: KisRestOptions) {
    this.now = options.now ?? Date.now;
    this.tokens = new KisTokenCache(() => this.issueToken(), { now: this.now, ...options.token });
  }

  /** POST /oauth2/tokenP → `{access_token, access_token_token_expired, token_type, expires_in}`. */
  private async issueToken(): Promise<{ token: string; expiresAt: number }> {
    const { status, json } = await this.post('/oauth2/tokenP', {
      grant_type: 'client_credentials', appkey: this.options.appKey, appsecret: this.options.appSecret,
    });
    const token = typeof json.access_token === 'string' ? json.access_token : null;
    if (status !== 200 || token === null) throw authError('access token', status, json);
    const expiresIn = Number(json.expires_in);
    const expiredText = typeof json.access_token_token_expired === 'string' ? json.access_token_token_expired : '';
    const fromText = kstToEpoch(expiredText.slice(0, 10).replaceAll('-', ''), expiredText.slice(11).replaceAll(':', ''));
    const expiresAt = Number.isFinite(expiresIn) && expiresIn > 0 ? this.now() + expiresIn * 1000 : fromText;
    if (!Number.isFinite(expiresAt)) throw new FeedError('UPSTREAM_UNAVAILABLE', 'KIS issued a token without a usable expiry');
    return { token, expiresAt };
  }

  /** POST /oauth2/Approval — the secret goes as `secretkey`, not `appsecret` (§2.2). */
  async approvalKey(): Promise<string> {
    const { status, json } = await this.post('/oauth2/Approval', {
      grant_type: 'client_credentials', appkey: this.options.appKey, secretkey: this.options.appSecret,
    });
    if (status !== 200 || typeof json.approval_key !== 'string') throw authError('WebSocket approval key', status, json);
    return json.approval_key;
  }

  /** An authorised call; on an expired token, one renewal and one retry; on EGW00201, a few spaced retries. */
  async call(method: 'GET' | 'POST', path: string, call: KisCall): Promise<KisRestResponse> {
    let renewed = false;
    for (let limited = 0; ; ) {
      const token = await this.tokens.get();
      await this.slot();
      const response = await this.send(method, path, call, token);
      const msgCd = typeof response.body.msg_cd === 'string' ? response.body.msg_cd : '';
      if (TOKEN_REJECTED.has(msgCd) && !renewed) {
        renewed = true;
        this.tokens.invalidate(token);
        continue;
      }
      if (msgCd === RATE_LIMITED && limited < RATE_LIMIT_RETRIES) {
        limited++;
        await new Promise((resolve) => setTimeout(resolve, RATE_LIMIT_RETRY_MS));
        continue;
      }
      return response;
    }
  }

  private nextSlotAt = 0;

  /** Waits for this call's turn so calls leave at most maxRequestsPerSecond apart. */
  private async slot(): Promise<void> {
    const rate = this.options.maxRequestsPerSecond;
    if (!rate) return;
    const now = Date.now();
    const at = Math.max(now, this.nextSlotAt);
    this.nextSlotAt = at + 1000 / rate;
    if (at > now) await new Promise((resolve) => setTimeout(resolve, at - now));
  }

  private async send(method: 'GET' | 'POST', path: string, call: KisCall, token: string): Promise<KisRestResponse> {
    const url = new URL(path, this.options.restUrl);
    for (const [k, v] of Object.entries(call.query ?? {})) url.searchParams.set(k, v);
    const response = await this.fetch(url, {
      method,
      headers: {
        'content-type': 'application/json; charset=utf-8',
        authorization: `Bearer ${token}`,
        appkey: this.options.appKey,
        appsecret: this.options.appSecret,
        tr_id: call.trId,
        custtype: 'P',
        tr_cont: call.trCont ?? '',
      },
      ...(call.body ? { body: JSON.stringify(call.body) } : {}),
    });
    const body = await readBody(response, path);
    return { body, trCont: response.headers.get('tr_cont') ?? '' };
  }

  private async post(path: string, body: Record<string, string>): Promise<{ status: number; json: Record<string, unknown> }> {
    const response = await this.fetch(new URL(path, this.options.restUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', accept: 'text/plain', charset: 'UTF-8' },
      body: JSON.stringify(body),
    });
    return { status: response.status, json: await readBody(response, path) };
  }

  private async fetch(url: URL, init: RequestInit): Promise<Response> {
    try {
      return await fetch(url, { ...init, signal: AbortSignal.timeout(REST_TIMEOUT_MS) });
    } catch (error) {
      const why = error instanceof Error && error.name === 'TimeoutError' ? `no answer within ${REST_TIMEOUT_MS / 1000} s` : String(error instanceof Error ? (error.cause ?? error.message) : error);
      throw new FeedError('UPSTREAM_UNAVAILABLE', `KIS REST ${url.pathname} failed: ${why}`);
    }
  }
}

async function readBody(response: Response, path: string): Promise<Record<string, unknown>> {
  const text = await response.text();
  try {
    const json: unknown = JSON.parse(text);
    if (typeof json === 'object' && json !== null && !Array.isArray(json)) return json as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new FeedError('UPSTREAM_UNAVAILABLE', `KIS REST ${path} answered HTTP ${response.status} with something other than JSON`);
}

/** tokenP/Approval refusals: `{"error_code":"EGW00133","error_description":"…(1분당 1회)"}` and the like. */
function authError(what: string, status: number, json: Record<string, unknown>): FeedError {
  const code = typeof json.error_code === 'string' ? json.error_code : `HTTP ${status}`;
  const text = typeof json.error_description === 'string' ? json.error_description : '';
  if (code === 'EGW00133') return new FeedError('UPSTREAM_UNAVAILABLE', `KIS allows one access token per minute (${code}: ${text})`);
  return new FeedError('UNAUTHENTICATED', `KIS refused the ${what}: check KIS_APP_KEY and KIS_APP_SECRET (${code}${text ? `: ${text}` : ''})`);
}
