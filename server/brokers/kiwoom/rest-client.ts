/**
 * REST TR calls: `api-id` header, bearer token, `cont-yn`/`next-key` paging (§2.3). An invalid-token answer
 * (HTTP 401 or return_code 8005/8031/8103) renews the token and retries once; a rate-limit answer (1700–1702)
 * backs off and retries a few times; anything else non-zero is thrown as KiwoomApiError with the broker's words.
 */
import type { Logger } from '../../logger';
import { KiwoomApiError, RATE_LIMIT_CODES, returnCodeOf, returnMsgOf, TOKEN_RENEW_CODES, TR_PATH, type Body } from './rest-codec';
import type { TokenManager } from './token';

/** The official client sleeps 0.2 s between pages (§2.3): the per-API quota is a few calls a second. */
export const PAGE_DELAY_MS = 200;
/** Paging stops here even if the broker keeps saying cont-yn=Y: a loop, not an account, would be that big. */
export const MAX_PAGES = 50;
/** First wait after 1700–1702; doubles per retry, with jitter. A second clears a per-second quota. */
export const RATE_LIMIT_BACKOFF_MS = 1_000;
/** Three retries span ~7 s; past that the caller hears the broker's refusal. */
export const RATE_LIMIT_RETRIES = 3;
/** A TR that has not answered in 10 s is treated as failed; order entry must not hang a request forever. */
export const REST_TIMEOUT_MS = 10_000;

export interface RestClientOptions {
  restUrl: string;
  tokens: TokenManager;
  logger: Logger;
  pageDelayMs?: number;
  rateLimitBackoffMs?: number;
  timeoutMs?: number;
}

interface Page {
  body: Body;
  contYn: string;
  nextKey: string;
}

export class KiwoomRestClient {
  private readonly pageDelayMs: number;
  private readonly backoffMs: number;
  private readonly timeoutMs: number;
  /** Counters for tests and health: how often a token was renewed mid-call, how often we backed off. */
  readonly stats = { calls: 0, tokenRetries: 0, rateLimitWaits: 0 };

  constructor(private readonly options: RestClientOptions) {
    this.pageDelayMs = options.pageDelayMs ?? PAGE_DELAY_MS;
    this.backoffMs = options.rateLimitBackoffMs ?? RATE_LIMIT_BACKOFF_MS;
    this.timeoutMs = options.timeoutMs ?? REST_TIMEOUT_MS;
  }

  /**
   * Calls a TR. With `listKey`, follows cont-yn pages and returns the first page's fields with that list
   * holding every page's rows.
   * @example await rest.call('kt00018', { qry_tp: '1', dmst_stex_tp: 'KRX' }, 'acnt_evlt_remn_indv_tot')
   */
  async call(apiId: string, body: Body, listKey?: string): Promise<Body> {
    const path = TR_PATH[apiId];
    if (!path) throw new KiwoomApiError(1505, `no path known for ${apiId}`, apiId);
    let page = await this.request(apiId, path, body, null);
    if (!listKey) return page.body;
    const merged: Body = { ...page.body };
    const rows: unknown[] = Array.isArray(page.body[listKey]) ? [...(page.body[listKey] as unknown[])] : [];
    for (let n = 1; page.contYn === 'Y' && page.nextKey && n < MAX_PAGES; n++) {
      await delay(this.pageDelayMs);
      page = await this.request(apiId, path, body, page.nextKey);
      if (Array.isArray(page.body[listKey])) rows.push(...(page.body[listKey] as unknown[]));
    }
    merged[listKey] = rows;
    return merged;
  }

  private async request(apiId: string, path: string, body: Body, nextKey: string | null): Promise<Page> {
    let renewed = false;
    for (let rateAttempt = 0; ; ) {
      this.stats.calls++;
      const token = await this.options.tokens.get();
      const headers: Record<string, string> = {
        'content-type': 'application/json;charset=UTF-8',
        'api-id': apiId,
        authorization: `Bearer ${token}`,
      };
      if (nextKey !== null) {
        headers['cont-yn'] = 'Y';
        headers['next-key'] = nextKey;
      }
      const response = await fetch(new URL(path, this.options.restUrl), {
        method: 'POST',
        headers,
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      const text = await response.text();
      let parsed: Body;
      try {
        const value: unknown = JSON.parse(text);
        if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not an object');
        parsed = value as Body;
      } catch {
        if (response.status === 401 && !renewed) {
          renewed = true;
          this.stats.tokenRetries++;
          await this.options.tokens.renew();
          continue;
        }
        throw new KiwoomApiError(-1, `HTTP ${response.status}, unreadable body: ${text.slice(0, 120)}`, apiId);
      }
      const code = returnCodeOf(parsed);
      if ((response.status === 401 || TOKEN_RENEW_CODES.has(code)) && !renewed) {
        // Renew and retry exactly once (§2.3): a second refusal is not a stale token any more.
        renewed = true;
        this.stats.tokenRetries++;
        this.options.logger.info({ apiId, code }, 'kiwoom: token refused; renewing and retrying once');
        await this.options.tokens.renew();
        continue;
      }
      if (RATE_LIMIT_CODES.has(code) && rateAttempt < RATE_LIMIT_RETRIES) {
        const wait = this.backoffMs * 2 ** rateAttempt * (0.5 + Math.random() / 2);
        rateAttempt++;
        this.stats.rateLimitWaits++;
        this.options.logger.warn({ apiId, code, waitMs: Math.round(wait) }, 'kiwoom: rate limited; backing off');
        await delay(wait);
        continue;
      }
      if (code !== 0) throw new KiwoomApiError(code, returnMsgOf(parsed), apiId);
      return {
        body: parsed,
        contYn: response.headers.get('cont-yn')?.trim() ?? 'N',
        nextKey: response.headers.get('next-key')?.trim() ?? '',
      };
    }
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
