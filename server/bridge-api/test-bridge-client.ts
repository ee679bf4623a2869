/**
 * For the bridge API's tests: a client written to the KiwoomServer bridge's documented format (protocol reference
 * §8, §11.5) with plain fetch and `ws`, none of Sise's code.
 */
import WebSocket from 'ws';

export interface Wrapper {
  Success: boolean;
  Message: string;
  Data: unknown;
}

export interface Frame {
  type: string;
  code?: string;
  timestamp: string;
  data: Record<string, unknown>;
}

/** How long a test waits for a frame before it fails with what it did get. */
const FRAME_WAIT_MS = 15_000;

/** Collects a socket's frames; `next` waits for the first (already received or coming) that matches. */
export function frameLog(ws: WebSocket) {
  const frames: Frame[] = [];
  const waiters: Array<{ match: (f: Frame) => boolean; resolve: (f: Frame) => void }> = [];
  ws.on('message', (raw) => {
    const frame = JSON.parse(String(raw)) as Frame;
    frames.push(frame);
    for (const w of [...waiters]) {
      if (!w.match(frame)) continue;
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(frame);
    }
  });
  return {
    frames,
    next(match: (f: Frame) => boolean, timeoutMs = FRAME_WAIT_MS): Promise<Frame> {
      const seen = frames.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no matching frame in ${timeoutMs} ms; got ${JSON.stringify(frames.slice(-3))}`)), timeoutMs);
        waiters.push({ match, resolve: (f) => (clearTimeout(timer), resolve(f)) });
      });
    },
  };
}

export function open(url: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

/** Resolves with the close code and reason the server closed the socket with. */
export function closed(ws: WebSocket): Promise<{ code: number; reason: string }> {
  if (ws.readyState === WebSocket.CLOSED) return Promise.reject(new Error('the socket was already closed'));
  return new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
}

/** The HTTP status an upgrade is refused with (or 101 if it was accepted). */
export function upgradeStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => {
      ws.close();
      resolve(101);
    });
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      res.resume();
      ws.terminate();
    });
    ws.once('error', () => resolve(-1));
  });
}

export async function call(url: string, init?: RequestInit): Promise<{ status: number; body: Wrapper }> {
  const res = await fetch(url, init);
  return { status: res.status, body: (await res.json()) as Wrapper };
}

/** A market buy of one share in the bridge's order body (client_kit's camelCase binds as well as PascalCase). */
export function marketBuy(base: string, accountNo: string, stockCode = '005930'): Promise<{ status: number; body: Wrapper }> {
  return call(`${base}/api/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ accountNo, stockCode, orderType: 1, quantity: 1, price: 0, quoteType: '03' }),
  });
}
