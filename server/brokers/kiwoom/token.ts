/**
 * The au10001 access token: issued on first use, renewed RENEW_BEFORE_EXPIRY_MS before `expires_dt` (read as
 * KST), renewed at once when the broker says it is invalid (8005/8031/8103), revoked with au10002 on shutdown.
 * Concurrent callers share one in-flight issue request, so a burst of REST calls never issues ten tokens.
 */
import type { Logger } from '../../logger';
import { KiwoomApiError, parseTokenResponse, PATHS, type Body } from './rest-codec';

/** The official client re-issues 600 s before expiry (§2.1). */
export const RENEW_BEFORE_EXPIRY_MS = 600_000;
/** A token call that has not answered in 10 s is not going to; the caller's retry logic takes over. */
export const TOKEN_REQUEST_TIMEOUT_MS = 10_000;
/** After a failed scheduled renewal, try again this much later (the current token may still be good). */
const RENEW_RETRY_MS = 30_000;

export interface TokenManagerOptions {
  restUrl: string;
  appKey: string;
  secretKey: string;
  logger: Logger;
  now?: () => number;
  renewBeforeMs?: number;
  requestTimeoutMs?: number;
}

export class TokenManager {
  private token: string | null = null;
  private expiresAt = 0;
  private inflight: Promise<string> | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private closed = false;
  private readonly now: () => number;
  private readonly renewBeforeMs: number;
  private readonly timeoutMs: number;
  /** How many tokens this manager has issued; tests and logs read it. */
  issued = 0;

  constructor(private readonly options: TokenManagerOptions) {
    this.now = options.now ?? Date.now;
    this.renewBeforeMs = options.renewBeforeMs ?? RENEW_BEFORE_EXPIRY_MS;
    this.timeoutMs = options.requestTimeoutMs ?? TOKEN_REQUEST_TIMEOUT_MS;
  }

  /** When the current token expires (epoch ms), 0 before the first issue. */
  get expiry(): number {
    return this.expiresAt;
  }

  /** A token valid for a while yet: the current one, or a fresh one. */
  async get(): Promise<string> {
    // A renewal under way means the current token was refused: wait for the new one rather than reuse it.
    if (this.inflight) return this.inflight;
    if (this.token && this.now() < this.expiresAt - this.renewBeforeMs) return this.token;
    return this.renew();
  }

  /** Issues a new token, e.g. after the broker called the current one invalid. Shared by concurrent callers. */
  renew(): Promise<string> {
    this.inflight ??= this.issue().finally(() => {
      this.inflight = null;
    });
    return this.inflight;
  }

  /** Revokes the current token (au10002) and stops renewing. Failures are logged: shutdown must not hang on them. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const token = this.token;
    this.token = null;
    if (!token) return;
    try {
      const body = await this.post(PATHS.revoke, { appkey: this.options.appKey, secretkey: this.options.secretKey, token });
      const code = typeof body.return_code === 'number' ? body.return_code : Number(body.return_code ?? 0);
      if (code !== 0) this.options.logger.warn({ code, msg: body.return_msg }, 'kiwoom: token revoke refused');
    } catch (error) {
      this.options.logger.warn({ err: String(error) }, 'kiwoom: token revoke failed');
    }
  }

  private async issue(): Promise<string> {
    const body = await this.post(PATHS.token, { grant_type: 'client_credentials', appkey: this.options.appKey, secretkey: this.options.secretKey });
    const { token, expiresAt } = parseTokenResponse(body);
    this.token = token;
    this.expiresAt = expiresAt;
    this.issued++;
    this.schedule(expiresAt - this.renewBeforeMs - this.now());
    this.options.logger.info({ expiresAt: new Date(expiresAt).toISOString() }, 'kiwoom: token issued');
    return token;
  }

  private schedule(delayMs: number): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.renew().catch((error: unknown) => {
        this.options.logger.warn({ err: String(error) }, 'kiwoom: scheduled token renewal failed; retrying');
        this.schedule(RENEW_RETRY_MS);
      });
    }, Math.max(0, delayMs));
    this.timer.unref();
  }

  private async post(path: string, payload: Body): Promise<Body> {
    const response = await fetch(new URL(path, this.options.restUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json;charset=UTF-8' },
      body: JSON.stringify(payload),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const text = await response.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new KiwoomApiError(-1, `HTTP ${response.status}, not JSON: ${text.slice(0, 120)}`, path === PATHS.token ? 'au10001' : 'au10002');
    }
    if (typeof body !== 'object' || body === null) throw new KiwoomApiError(-1, `HTTP ${response.status}, not an object`, 'au10001');
    return body as Body;
  }
}
