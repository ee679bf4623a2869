/**
 * Upbit's REST exchange API, the part Sise needs (protocols/upbit.md §6): the balance snapshot, open orders,
 * order entry and cancel, and the last price for sizing market buys. Every call carries a fresh JWT; calls queue
 * behind the 30/s group limit, and a 429 is retried after a backoff rather than surfaced.
 */
import { FeedError } from '../../relay/feed';
import { authorization, type QueryParams, type UpbitCredentials } from './auth';
import { decodeAccounts, decodeRestError, type AccountRow, type RestOrder } from './codec';
import { backoffDelay, REST_LIMITS, SlidingWindowLimiter } from './rate-limit';

/** A 429 is a passing condition (someone else used the budget this second); a fourth in a row is not. */
const REST_RATE_LIMIT_RETRIES = 3;
/** First wait after a 429: the window is one second. */
const REST_RETRY_BASE_MS = 250;
const REST_RETRY_MAX_MS = 2_000;
/** An exchange call that takes longer than this is treated as failed; the caller may retry. */
const REST_TIMEOUT_MS = 10_000;

export class UpbitRestError extends Error {
  override readonly name = 'UpbitRestError';
  constructor(
    readonly status: number,
    readonly errorName: string,
    message: string,
  ) {
    super(message);
  }
}

export class UpbitRestClient {
  private readonly limiter = new SlidingWindowLimiter(REST_LIMITS);

  constructor(
    private readonly baseUrl: string,
    private readonly credentials: UpbitCredentials,
  ) {}

  async accounts(): Promise<AccountRow[]> {
    const text = await this.call('GET', '/v1/accounts', []);
    const rows = decodeAccounts(text);
    if (typeof rows === 'string') throw new UpbitRestError(200, 'bad_answer', `Upbit's accounts answer was unreadable: ${rows}`);
    return rows;
  }

  async openOrders(): Promise<RestOrder[]> {
    return this.json<RestOrder[]>(await this.call('GET', '/v1/orders/open', []));
  }

  async placeOrder(params: QueryParams): Promise<RestOrder> {
    return this.json<RestOrder>(await this.call('POST', '/v1/orders', params));
  }

  async cancelOrder(uuid: string): Promise<RestOrder> {
    return this.json<RestOrder>(await this.call('DELETE', '/v1/order', [['uuid', uuid]]));
  }

  /** The last trade price of a market (public quotation endpoint, no JWT). */
  async lastPrice(market: string): Promise<number> {
    const rows = this.json<Array<{ trade_price?: unknown }>>(await this.call('GET', '/v1/ticker', [['markets', market]], false));
    const price = rows[0]?.trade_price;
    if (typeof price !== 'number' || !(price > 0)) throw new UpbitRestError(200, 'bad_answer', `no price for ${market}`);
    return price;
  }

  private json<T>(text: string): T {
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new UpbitRestError(200, 'bad_answer', 'Upbit answered with something that is not JSON');
    }
  }

  private async call(method: 'GET' | 'POST' | 'DELETE', path: string, params: QueryParams, signed = true): Promise<string> {
    for (let attempt = 0; ; attempt++) {
      const wait = this.limiter.delay();
      if (wait > 0) await sleep(wait);
      this.limiter.tryTake();
      const headers: Record<string, string> = { accept: 'application/json' };
      if (signed) headers.authorization = await authorization(this.credentials, params);
      let url = `${this.baseUrl}${path}`;
      let body: string | undefined;
      if (method === 'POST') {
        headers['content-type'] = 'application/json; charset=utf-8';
        body = JSON.stringify(Object.fromEntries(params));
      } else if (params.length > 0) {
        url += `?${new URLSearchParams(params.map(([k, v]) => [k, v])).toString()}`;
      }
      let response: Response;
      try {
        response = await fetch(url, { method, headers, body, signal: AbortSignal.timeout(REST_TIMEOUT_MS) });
      } catch (error) {
        throw new FeedError('UPSTREAM_UNAVAILABLE', `Upbit REST ${method} ${path} failed: ${(error as Error).message}`);
      }
      const text = await response.text();
      if (response.ok) return text;
      if (response.status === 429 && attempt < REST_RATE_LIMIT_RETRIES) {
        await sleep(backoffDelay(attempt, REST_RETRY_BASE_MS, REST_RETRY_MAX_MS));
        continue;
      }
      if (response.status === 418 || response.status === 429) {
        throw new FeedError('UPSTREAM_UNAVAILABLE', `Upbit is rate-limiting this client (HTTP ${response.status}); try again later`);
      }
      const error = decodeRestError(text);
      throw new UpbitRestError(response.status, error?.name ?? `http_${response.status}`, error?.message || `HTTP ${response.status}`);
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
