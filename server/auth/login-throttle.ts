/**
 * Failed sign-ins are counted per account (e-mail) and per client address over a sliding window; past the
 * limit, further attempts are refused without checking the password until the oldest failure ages out.
 * Per account stops a slow guess at one person's password from many addresses; per address stops one machine
 * from spraying guesses across many accounts.
 */

/** A person who mistypes a few times is not locked out; a guesser gets 5 tries per quarter hour. */
export const MAX_FAILURES_PER_ACCOUNT = 5;
/** Higher, because an office or a carrier NAT puts many honest people behind one address. */
export const MAX_FAILURES_PER_ADDRESS = 20;
export const FAILURE_WINDOW_MS = 15 * 60_000;
/** Bounds memory under a flood of made-up e-mails: beyond this many keys the stalest are forgotten. */
const MAX_TRACKED_KEYS = 50_000;

export type ThrottleVerdict = { allowed: true } | { allowed: false; retryAfterMs: number };

export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly limits = { perAccount: MAX_FAILURES_PER_ACCOUNT, perAddress: MAX_FAILURES_PER_ADDRESS, windowMs: FAILURE_WINDOW_MS },
  ) {}

  check(email: string, address: string, now: number): ThrottleVerdict {
    const waits = [
      this.waitFor(accountKey(email), this.limits.perAccount, now),
      this.waitFor(addressKey(address), this.limits.perAddress, now),
    ];
    const retryAfterMs = Math.max(...waits);
    return retryAfterMs > 0 ? { allowed: false, retryAfterMs } : { allowed: true };
  }

  recordFailure(email: string, address: string, now: number): void {
    for (const key of [accountKey(email), addressKey(address)]) {
      const list = this.recent(key, now);
      list.push(now);
      // Re-inserting moves the key to the end: the Map's order is then least recently failed first.
      this.failures.delete(key);
      this.failures.set(key, list);
    }
    while (this.failures.size > MAX_TRACKED_KEYS) {
      const oldest = this.failures.keys().next().value;
      if (oldest === undefined) break;
      this.failures.delete(oldest);
    }
  }

  /** A correct password clears the account's count (not the address's: a guesser may also know one password). */
  recordSuccess(email: string): void {
    this.failures.delete(accountKey(email));
  }

  private waitFor(key: string, limit: number, now: number): number {
    const list = this.recent(key, now);
    if (list.length < limit) return 0;
    // Allowed again when enough of the failures have left the window to be under the limit.
    const freeing = list[list.length - limit]!;
    return freeing + this.limits.windowMs - now;
  }

  private recent(key: string, now: number): number[] {
    const list = (this.failures.get(key) ?? []).filter((at) => now - at < this.limits.windowMs);
    if (list.length === 0) this.failures.delete(key);
    else this.failures.set(key, list);
    return list;
  }
}

const accountKey = (email: string) => `email:${email.trim().toLowerCase()}`;
const addressKey = (address: string) => `addr:${address}`;
