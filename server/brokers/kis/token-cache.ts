/**
 * The KIS access token (tokenP, §2.1), cached and reused: KIS issues at most one per minute, each issuance sends
 * the account holder a KakaoTalk message, and a token lives a day. So: one request in flight at a time, renewal a
 * while before expiry, and never a second issuance inside the minute (a still-valid token is used meanwhile;
 * without one, the caller waits for the minute to pass rather than getting EGW00133).
 */

import type { TokenStore } from './token-store';

/** KIS's issuance limit (§2.1), plus a second so clocks that disagree slightly do not meet EGW00133. */
export const TOKEN_MIN_INTERVAL_MS = 61_000;
/** Renew this long before expiry, so a call never carries a token that expires on its way. */
export const TOKEN_RENEW_BEFORE_MS = 10 * 60_000;

export interface IssuedToken {
  token: string;
  /** Epoch ms. */
  expiresAt: number;
}

export interface TokenCacheOptions {
  /** Survives restarts (token-store.ts); the issuance time too, so the one-a-minute rule holds across them. */
  store?: TokenStore;
  now?: () => number;
  minIntervalMs?: number;
  renewBeforeMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

export class KisTokenCache {
  private current: IssuedToken | null = null;
  private inflight: Promise<string> | null = null;
  private lastIssueAt = -Infinity;
  private readonly now: () => number;
  private readonly minIntervalMs: number;
  private readonly renewBeforeMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly store: TokenStore | null;
  private loaded = false;
  /** Tokens actually requested from KIS; tests read it. */
  issued = 0;

  constructor(
    private readonly issue: () => Promise<IssuedToken>,
    options: TokenCacheOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.minIntervalMs = options.minIntervalMs ?? TOKEN_MIN_INTERVAL_MS;
    this.renewBeforeMs = options.renewBeforeMs ?? TOKEN_RENEW_BEFORE_MS;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.store = options.store ?? null;
  }

  /** A usable token; concurrent callers share one issuance. */
  get(): Promise<string> {
    if (!this.loaded) {
      this.loaded = true;
      const saved = this.store?.load();
      if (saved && saved.expiresAt > this.now()) {
        this.current = { token: saved.token, expiresAt: saved.expiresAt };
        this.lastIssueAt = saved.issuedAt;
      }
    }
    const current = this.current;
    if (current && this.now() < current.expiresAt - this.renewBeforeMs) return Promise.resolve(current.token);
    if (!this.inflight) {
      this.inflight = this.renew().finally(() => {
        this.inflight = null;
      });
    }
    return this.inflight;
  }

  /** The service said this token is expired or invalid (EGW00123/EGW00121): the next get() renews. */
  invalidate(token: string): void {
    if (this.current?.token === token) this.current = null;
  }

  private async renew(): Promise<string> {
    const wait = this.lastIssueAt + this.minIntervalMs - this.now();
    if (wait > 0) {
      const current = this.current;
      // Due for renewal but still valid: keep using it until issuance is allowed again.
      if (current && this.now() < current.expiresAt) return current.token;
      await this.sleep(wait);
    }
    const issuedAt = this.now();
    this.lastIssueAt = issuedAt;
    this.issued++;
    const token = await this.issue();
    this.current = token;
    this.store?.save({ ...token, issuedAt });
    return token.token;
  }
}
