/**
 * Sliding-window rate limits (protocols/upbit.md §1.4): Upbit counts requests over several windows at once
 * (5 per second and 100 per minute for WebSocket requests), and answers 429 — then bans with 418 — when a
 * client exceeds them. Both the adapter (to stay under) and the simulator (to enforce) use this.
 */

export interface RateWindow {
  limit: number;
  windowMs: number;
}

/** WebSocket data requests per connection (subscribe messages, LIST_SUBSCRIPTIONS). */
export const WS_REQUEST_LIMITS: readonly RateWindow[] = [
  { limit: 5, windowMs: 1_000 },
  { limit: 100, windowMs: 60_000 },
];
/** WebSocket handshakes per IP / account. */
export const WS_CONNECT_LIMITS: readonly RateWindow[] = [{ limit: 5, windowMs: 1_000 }];
/** REST "Exchange default" group (accounts, orders). */
export const REST_LIMITS: readonly RateWindow[] = [{ limit: 30, windowMs: 1_000 }];

export class SlidingWindowLimiter {
  private readonly stamps: number[] = [];
  private readonly horizonMs: number;

  constructor(
    private readonly windows: readonly RateWindow[],
    private readonly now: () => number = Date.now,
  ) {
    this.horizonMs = Math.max(...windows.map((w) => w.windowMs));
  }

  /** Milliseconds until one more request fits every window; 0 when it fits now. */
  delay(): number {
    const now = this.now();
    this.prune(now);
    let wait = 0;
    for (const { limit, windowMs } of this.windows) {
      const inWindow = this.stamps.filter((t) => t > now - windowMs);
      if (inWindow.length >= limit) wait = Math.max(wait, inWindow[inWindow.length - limit]! + windowMs - now);
    }
    return wait;
  }

  /** Counts a request; returns false (and does not count it) when it would exceed a window. */
  tryTake(): boolean {
    if (this.delay() > 0) return false;
    this.stamps.push(this.now());
    return true;
  }

  reset(): void {
    this.stamps.length = 0;
  }

  private prune(now: number): void {
    while (this.stamps.length > 0 && this.stamps[0]! <= now - this.horizonMs) this.stamps.shift();
  }
}

/** Exponential backoff with full-range jitter between half and all of the step, so clients do not reconnect in step. */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const step = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 30));
  return Math.round(step * (0.5 + random() * 0.5));
}
