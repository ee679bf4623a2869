/**
 * Calls to the bridge's REST routes, unwrapping `{Success, Message, Data}` into data or a typed FeedError whose
 * message a user can act on.
 */
import { FeedError } from '../../relay/feed';
import { decodeEnvelope, MESSAGE } from './codec';

/** The bridge answers TRs within a second or two; OpenAPI+ throttles TRs to ~5/s, so allow a queue of them. */
export const REQUEST_TIMEOUT_MS = 10_000;

/** The bridge answered, with `Success:false`: a refusal in its own words, not a transport failure. */
export class BridgeRefusal extends FeedError {
  constructor(
    code: ConstructorParameters<typeof FeedError>[0],
    message: string,
    /** The wrapper's `Message`, e.g. `Not Logged In`, `Order Failed: -308`. */
    readonly bridgeMessage: string,
  ) {
    super(code, message);
  }
}

export class BridgeRestClient {
  constructor(
    readonly baseUrl: string,
    private readonly timeoutMs: number = REQUEST_TIMEOUT_MS,
    /** Told whenever the bridge says OpenAPI+ is logged out, so the session can log in again. */
    private readonly onNotLoggedIn: () => void = () => {},
  ) {}

  get(path: string, query: Record<string, string> = {}, timeoutMs?: number): Promise<unknown> {
    return this.call('GET', path, query, undefined, timeoutMs);
  }

  post(path: string, body: unknown): Promise<unknown> {
    return this.call('POST', path, {}, body);
  }

  private async call(method: string, path: string, query: Record<string, string>, body: unknown, timeoutMs?: number): Promise<unknown> {
    const url = new URL(path, this.baseUrl);
    for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
    let status: number;
    let text: string;
    try {
      const response = await fetch(url, {
        method,
        signal: AbortSignal.timeout(timeoutMs ?? this.timeoutMs),
        ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
      });
      status = response.status;
      text = await response.text();
    } catch (error) {
      const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      throw new FeedError(
        'UPSTREAM_UNAVAILABLE',
        timedOut
          ? `KiwoomServer did not answer ${path} within ${Math.round((timeoutMs ?? this.timeoutMs) / 1000)} s`
          : `KiwoomServer at ${this.baseUrl} is unreachable (${error instanceof Error ? error.message : String(error)})`,
      );
    }
    const envelope = decodeEnvelope(text);
    if (!envelope) throw new FeedError('UPSTREAM_UNAVAILABLE', `KiwoomServer answered ${path} with HTTP ${status} and no {Success, Message, Data} wrapper`);
    if (envelope.Success) return envelope.Data;
    if (envelope.Message === MESSAGE.notLoggedIn) this.onNotLoggedIn();
    throw errorFor(path, envelope.Message);
  }
}

export function errorFor(path: string, message: string): BridgeRefusal {
  if (message === MESSAGE.notLoggedIn) {
    return new BridgeRefusal('UPSTREAM_UNAVAILABLE', 'KiwoomServer is not logged in to Kiwoom OpenAPI+; log in on the bridge PC (or wait for its auto-login)', message);
  }
  if (message === MESSAGE.loginTimeout) {
    return new BridgeRefusal('UPSTREAM_UNAVAILABLE', 'KiwoomServer could not log in to Kiwoom OpenAPI+ within 30 s (Login Timeout); check the bridge PC', message);
  }
  if (message === MESSAGE.notFound) return new BridgeRefusal('NOT_SUPPORTED', `This KiwoomServer has no route ${path}`, message);
  if (message.startsWith(MESSAGE.orderFailedPrefix)) return new BridgeRefusal('BAD_REQUEST', `Kiwoom OpenAPI+ refused the order (${message})`, message);
  return new BridgeRefusal('UPSTREAM_UNAVAILABLE', `KiwoomServer refused ${path}: ${message}`, message);
}
