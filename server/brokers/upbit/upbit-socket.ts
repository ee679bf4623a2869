/**
 * One Upbit WebSocket that stays up: connects (within the handshake rate limit), keeps the line alive with the
 * text `PING` Upbit answers with `{"status":"UP"}` (protocols/upbit.md §1.3), declares it dead when nothing at all
 * arrives for a while, and reconnects with jittered exponential backoff — longer after a 429, and as long as the
 * server asks after a 418 ban. What to send on (re)connect is the owner's business (`onOpen`).
 */
import WebSocket from 'ws';
import type { IncomingMessage } from 'node:http';
import { backoffDelay, type SlidingWindowLimiter } from './rate-limit';

export interface SocketTimings {
  /** Text PING interval: well inside the 120 s idle close, and often enough to notice a dead line quickly. */
  keepAliveMs: number;
  /** No frame at all (not even the UP answers) for this long → the connection is dead. */
  deadAfterMs: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** Least wait after a 429 on the handshake: the connect budget is per second, so one more second clears it. */
  rateLimitedMs: number;
  /** Wait after a 418 ban that came without Retry-After. */
  bannedMs: number;
  /** A handshake that has not finished by then is abandoned. */
  connectTimeoutMs: number;
}

export const DEFAULT_SOCKET_TIMINGS: SocketTimings = {
  // ccxt pings every 30 s; the server closes after 120 s idle. 30 s leaves three misses before that.
  keepAliveMs: 30_000,
  // Two missed keep-alive answers, as ccxt's maxPingPongMisses = 2.
  deadAfterMs: 65_000,
  // First retry after about a second: fast enough to hide a blip, slow enough not to hammer a restarting server.
  backoffBaseMs: 1_000,
  // A minute between attempts at most: an outage is noticed within a minute of its end.
  backoffMaxMs: 60_000,
  rateLimitedMs: 1_500,
  // Upbit's ban grows with repetition; a first ban is short, so one minute without a hint.
  bannedMs: 60_000,
  connectTimeoutMs: 10_000,
};

/** A keep-alive tick this much later than its interval means the event loop was blocked meanwhile. */
const LATE_TIMER_FACTOR = 1.5;

export interface UpbitSocketOptions {
  /** For messages: 'public' or 'private'. */
  name: string;
  url: string;
  /** Headers of each handshake; called per attempt so a JWT gets a fresh nonce every time. */
  headers: () => Promise<Record<string, string>>;
  timings: SocketTimings;
  connectLimiter: SlidingWindowLimiter;
  random?: () => number;
  /** Connected: send the subscription set. */
  onOpen: () => void;
  onMessage: (data: Buffer, recvTs: number) => void;
  /** Lost or could not connect; the next attempt is in `retryInMs`. */
  onDown: (detail: string, retryInMs: number) => void;
}

export class UpbitSocket {
  private ws: WebSocket | null = null;
  private stopped = true;
  private attempt = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private keepAliveTimer: NodeJS.Timeout | null = null;
  private lastReceivedAt = 0;
  private lastError: string | null = null;
  private closed: Promise<void> = Promise.resolve();

  constructor(private readonly options: UpbitSocketOptions) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    void this.connect();
  }

  get isOpen(): boolean {
    return this.ws?.readyState === WebSocket.OPEN;
  }

  /** Sends a text frame; false when not connected (the owner resends everything on the next open). */
  send(text: string): boolean {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) return false;
    this.ws.send(text);
    return true;
  }

  /** Drops the current connection as if the network had (tests, and a fatal answer from the server). */
  drop(): void {
    this.ws?.terminate();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.clearKeepAlive();
    const ws = this.ws;
    if (ws && ws.readyState !== WebSocket.CLOSED) {
      ws.close(1000, 'client stopping');
      // A server that does not answer the close handshake must not hold stop() up.
      const force = setTimeout(() => ws.terminate(), 1_000);
      await this.closed;
      clearTimeout(force);
    }
    this.ws = null;
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const wait = this.options.connectLimiter.delay();
    if (wait > 0 || !this.options.connectLimiter.tryTake()) {
      this.schedule(Math.max(wait, 1));
      return;
    }
    let headers: Record<string, string>;
    try {
      headers = await this.options.headers();
    } catch (error) {
      this.down(`could not sign the ${this.options.name} connection: ${(error as Error).message}`, 0);
      return;
    }
    if (this.stopped) return;
    const ws = new WebSocket(this.options.url, { headers, handshakeTimeout: this.options.timings.connectTimeoutMs });
    this.ws = ws;
    this.lastError = null;
    let resolveClosed!: () => void;
    this.closed = new Promise((resolve) => (resolveClosed = resolve));

    ws.on('unexpected-response', (request, response: IncomingMessage) => {
      // ws leaves the failed handshake to us once this listener exists.
      ws.removeAllListeners();
      ws.on('error', () => undefined);
      request.destroy();
      response.resume();
      resolveClosed();
      const status = response.statusCode ?? 0;
      let least = 0;
      let detail = `Upbit refused the ${this.options.name} connection: HTTP ${status}`;
      if (status === 429) {
        least = this.options.timings.rateLimitedMs;
        detail = `Upbit rate-limited the ${this.options.name} connection (HTTP 429)`;
      } else if (status === 418) {
        const retryAfter = Number(response.headers['retry-after']);
        least = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1_000 : this.options.timings.bannedMs;
        detail = `Upbit temporarily banned this client (HTTP 418) after repeated rate-limit violations`;
      } else if (status === 401) {
        detail = `Upbit refused the ${this.options.name} connection's credentials (HTTP 401)`;
      }
      if (this.ws === ws) this.ws = null;
      this.down(detail, least);
    });
    ws.on('open', () => {
      this.lastReceivedAt = Date.now();
      this.startKeepAlive(ws);
      this.options.onOpen();
    });
    ws.on('message', (data: Buffer | ArrayBuffer | Buffer[]) => {
      const recvTs = Date.now();
      this.lastReceivedAt = recvTs;
      // A frame arrived: the connection works, so the next loss starts the backoff from the beginning.
      this.attempt = 0;
      const buffer = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
      this.options.onMessage(buffer, recvTs);
    });
    ws.on('error', (error) => {
      this.lastError = error.message;
    });
    ws.on('close', (code, reason) => {
      resolveClosed();
      this.clearKeepAlive();
      if (this.ws === ws) this.ws = null;
      if (this.stopped) return;
      const why = this.lastError ?? (reason.length > 0 ? `${code} ${reason.toString()}` : `code ${code}`);
      this.down(`the ${this.options.name} connection closed (${why})`, 0);
    });
  }

  private startKeepAlive(ws: WebSocket): void {
    this.clearKeepAlive();
    const { keepAliveMs, deadAfterMs } = this.options.timings;
    let lastTickAt = Date.now();
    this.keepAliveTimer = setInterval(() => {
      if (ws.readyState !== WebSocket.OPEN) return;
      const now = Date.now();
      // A late timer means this process was busy, not that the server went quiet: frames may be waiting unread
      // in the socket. Judge silence only over time the event loop was free to read.
      const late = now - lastTickAt > keepAliveMs * LATE_TIMER_FACTOR;
      lastTickAt = now;
      if (late) this.lastReceivedAt = Math.max(this.lastReceivedAt, now - keepAliveMs);
      if (now - this.lastReceivedAt > deadAfterMs) {
        this.lastError = `no answer for ${(deadAfterMs / 1000).toFixed(1)} s`;
        ws.terminate();
        return;
      }
      ws.send('PING');
    }, keepAliveMs);
    this.keepAliveTimer.unref();
  }

  private clearKeepAlive(): void {
    if (this.keepAliveTimer) clearInterval(this.keepAliveTimer);
    this.keepAliveTimer = null;
  }

  private down(detail: string, leastMs: number): void {
    if (this.stopped) return;
    const { backoffBaseMs, backoffMaxMs } = this.options.timings;
    const delay = Math.max(leastMs, backoffDelay(this.attempt++, backoffBaseMs, backoffMaxMs, this.options.random));
    this.options.onDown(detail, delay);
    this.schedule(delay);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.connect();
    }, delayMs);
  }
}
