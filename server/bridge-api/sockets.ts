/**
 * The two sockets' plumbing: a `ws` server without its own listener, fed upgrades by the HTTP server's `upgrade`
 * event; the two ways a frame reaches a client whose buffer is backed up (market data: the client is cut off;
 * execution frames: the client is closed with a reason after what it was already sent); refused upgrades as
 * plain HTTP; and the close codes a tool sees.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';

/**
 * Above this many unsent bytes a client is cut off rather than buffered for without end. 4 MB is minutes of
 * order and balance frames for a busy account and several seconds of ticks for a full screen of codes; a tool
 * that falls that far behind is stalled, not slow.
 */
export const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

/** Close codes (4000–4999 are the application's; the others are RFC 6455's) and their reasons, shown to tools. */
export const CLOSE = {
  /** The API token the socket was opened with was revoked (4401 mirrors HTTP 401). */
  revoked: { code: 4401, reason: 'API token revoked' },
  /** 1013 Try Again Later: the server is fine, this client fell behind. */
  backedUp: { code: 1013, reason: 'execution frames backed up; reconnect and re-read /api/accounts/orders and balance' },
  /** 1011 Internal Error: the account list could not be read, so no frame can be checked. */
  accessUnknown: { code: 1011, reason: 'could not check which accounts this token may see; reconnect' },
} as const;

export type CloseReason = (typeof CLOSE)[keyof typeof CLOSE];

export function closeWith(client: WebSocket, why: CloseReason): void {
  if (client.readyState === WebSocket.OPEN) client.close(why.code, why.reason);
}

/**
 * Market data to every client: a stalled tool is terminated (it misses ticks either way, and a reconnect gets the
 * snapshot again) rather than holding memory for the others.
 */
export function broadcast(clients: Iterable<WebSocket>, text: string): void {
  for (const client of clients) {
    if (client.readyState !== WebSocket.OPEN) continue;
    if (client.bufferedAmount > MAX_BUFFERED_BYTES) {
      client.terminate();
      continue;
    }
    client.send(text);
  }
}

/**
 * An execution frame to one client. A fill must never go missing without the tool knowing: a backed-up client
 * is closed with a reason instead of skipped, so it receives every frame queued before the close frame and then
 * learns, by the close code, that it must reconnect and reconcile over REST. ws destroys the socket if the peer
 * never answers the close (its 30 s close timeout), so the backlog is not held for ever.
 */
export function sendOrClose(client: WebSocket, text: string): void {
  if (client.readyState !== WebSocket.OPEN) return;
  if (client.bufferedAmount > MAX_BUFFERED_BYTES) return closeWith(client, CLOSE.backedUp);
  client.send(text);
}

export function createSocketServer(): WebSocketServer {
  // The bridge's sockets are server → client only; a client message is ignored, so a small cap is enough.
  return new WebSocketServer({ noServer: true, maxPayload: 4096 });
}

/** Answers an upgrade with a plain HTTP status and closes the socket. */
export function refuseUpgrade(socket: Duplex, status: number, reason: string, body: string): void {
  if (!socket.writable) return void socket.destroy();
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

/** Completes the upgrade; `onOpen` is not called when the client went away while the token was being checked. */
export function accept(server: WebSocketServer, req: IncomingMessage, socket: Duplex, head: Buffer, onOpen: (ws: WebSocket) => void): void {
  if (socket.destroyed) return;
  server.handleUpgrade(req, socket, head, (ws) => {
    ws.on('error', () => ws.terminate());
    onOpen(ws);
  });
}
