/**
 * The two sockets' plumbing: a `ws` server without its own listener, fed upgrades by the HTTP server's `upgrade`
 * event, and a broadcast that skips clients whose buffers are backed up (a stalled tool must not hold memory).
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';

/** Above this many unsent bytes a client is cut off rather than buffered for without end. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

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

export function accept(server: WebSocketServer, req: IncomingMessage, socket: Duplex, head: Buffer, clients: Set<WebSocket>, onOpen?: (ws: WebSocket) => void): void {
  server.handleUpgrade(req, socket, head, (ws) => {
    clients.add(ws);
    ws.on('close', () => clients.delete(ws));
    ws.on('error', () => clients.delete(ws));
    onOpen?.(ws);
  });
}
