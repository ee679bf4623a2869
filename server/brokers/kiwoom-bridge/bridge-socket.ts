/**
 * One of the bridge's two server → client sockets, kept open: reconnects with jittered exponential backoff, and
 * notices a link that went quiet by WebSocket pings (websocket-sharp answers them itself), since the bridge sends
 * nothing on an idle market and the client sends nothing at all (§8.2).
 */
import WebSocket from 'ws';

/** First retry soon: a bridge restart takes seconds; client_kit itself retries every 5 s (§8.2). */
export const RECONNECT_BASE_MS = 500;
/** Cap near client_kit's 5 s so a Sise restart never waits much longer than the user's own tools. */
export const RECONNECT_MAX_MS = 8_000;
/** A pong must come back within this; a bridge whose process hangs keeps the TCP link but stops ponging. */
export const LIVENESS_INTERVAL_MS = 15_000;

export interface BridgeSocketOptions {
  url: string;
  onText(text: string): void;
  onOpen(reconnect: boolean): void;
  onDown(detail: string): void;
  reconnectBaseMs?: number;
  reconnectMaxMs?: number;
  livenessIntervalMs?: number;
  random?: () => number;
}

export class BridgeSocket {
  private ws: WebSocket | null = null;
  private stopped = false;
  private attempt = 0;
  private everOpened = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private livenessTimer: NodeJS.Timeout | null = null;
  private awaitingPong = false;
  /** Times the socket came back after being open. */
  reconnects = 0;

  constructor(private readonly options: BridgeSocketOptions) {}

  get open(): boolean {
    return this.ws?.readyState === WebSocket.OPEN;
  }

  start(): void {
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.livenessTimer) clearInterval(this.livenessTimer);
    this.retryTimer = null;
    this.livenessTimer = null;
    this.ws?.terminate();
    this.ws = null;
  }

  private connect(): void {
    const ws = new WebSocket(this.options.url);
    this.ws = ws;
    ws.on('open', () => {
      const reconnect = this.everOpened;
      this.everOpened = true;
      if (reconnect) this.reconnects++;
      this.attempt = 0;
      this.awaitingPong = false;
      this.livenessTimer = setInterval(() => this.checkLiveness(ws), this.options.livenessIntervalMs ?? LIVENESS_INTERVAL_MS);
      this.options.onOpen(reconnect);
    });
    ws.on('pong', () => {
      this.awaitingPong = false;
    });
    ws.on('message', (data, isBinary) => {
      if (!isBinary) this.options.onText(data.toString());
    });
    // 'error' always precedes 'close' here; the close handler schedules the retry.
    ws.on('error', () => {});
    ws.on('close', (code) => {
      if (this.ws !== ws) return;
      if (this.livenessTimer) clearInterval(this.livenessTimer);
      this.livenessTimer = null;
      this.ws = null;
      if (this.stopped) return;
      this.options.onDown(`${this.options.url} closed (code ${code}); reconnecting`);
      this.scheduleRetry();
    });
  }

  private checkLiveness(ws: WebSocket): void {
    if (this.awaitingPong) {
      ws.terminate();
      return;
    }
    this.awaitingPong = true;
    ws.ping();
  }

  private scheduleRetry(): void {
    const base = this.options.reconnectBaseMs ?? RECONNECT_BASE_MS;
    const max = this.options.reconnectMaxMs ?? RECONNECT_MAX_MS;
    const ceiling = Math.min(max, base * 2 ** this.attempt);
    this.attempt++;
    // Full jitter: several Sise nodes (or a restart) never hit a recovering bridge in lockstep.
    const delay = Math.round((this.options.random ?? Math.random)() * ceiling);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (!this.stopped) this.connect();
    }, delay);
  }
}
