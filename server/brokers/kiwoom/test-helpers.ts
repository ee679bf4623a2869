/**
 * Test helpers for the Kiwoom folder: a raw WebSocket client that records every frame, REST calls written from
 * the protocol reference, and a polling wait. Tests only; nothing in production imports this.
 */
import WebSocket from 'ws';
import { waitFor } from '../../test-wait';

export { waitFor };

export interface RawClient {
  ws: WebSocket;
  /** Every text frame received, parsed (or `{ raw }` when not JSON). */
  frames: Array<Record<string, unknown>>;
  closed: { code: number } | null;
  send(frame: unknown): void;
  /** Waits for a frame matching `predicate` that arrived after index `from`, and returns it. */
  next(predicate: (frame: Record<string, unknown>) => boolean, what: string, from?: number): Promise<Record<string, unknown>>;
  close(): void;
}

export async function rawClient(url: string, options: { echoPing?: boolean } = {}): Promise<RawClient> {
  const ws = new WebSocket(url);
  const client: RawClient = {
    ws,
    frames: [],
    closed: null,
    send: (frame) => ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame)),
    async next(predicate, what, from = 0) {
      let found: Record<string, unknown> | undefined;
      await waitFor(() => (found = client.frames.slice(from).find(predicate)) !== undefined, what);
      return found!;
    },
    close: () => ws.terminate(),
  };
  ws.on('message', (data) => {
    const text = data.toString();
    let frame: Record<string, unknown>;
    try {
      frame = JSON.parse(text) as Record<string, unknown>;
    } catch {
      frame = { raw: text };
    }
    client.frames.push(frame);
    // §3.2: echo the received PING text unchanged.
    if (options.echoPing !== false && frame.trnm === 'PING') ws.send(text);
  });
  ws.on('close', (code) => {
    client.closed = { code };
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return client;
}

export interface RestAnswer {
  status: number;
  body: Record<string, unknown>;
  headers: Headers;
}

export async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<RestAnswer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json;charset=UTF-8', ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown>, headers: response.headers };
}
