/**
 * The socket keeper alone, against bare ws servers: back-off reconnects after a drop, and a link that stops
 * answering pings is cut and reopened.
 */
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { BridgeSocket } from './bridge-socket';
import { waitFor } from './test-helpers';

let cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

async function server(autoPong: boolean): Promise<{ wss: WebSocketServer; url: string }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, autoPong });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  cleanup.push(() => new Promise<void>((resolve) => wss.close(() => resolve())));
  return { wss, url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/ws/realtime` };
}

function keeper(url: string, livenessIntervalMs = 60_000) {
  const log = { opens: [] as boolean[], downs: [] as string[], texts: [] as string[] };
  const socket = new BridgeSocket({
    url,
    reconnectBaseMs: 10,
    reconnectMaxMs: 50,
    livenessIntervalMs,
    onText: (t) => log.texts.push(t),
    onOpen: (reconnect) => log.opens.push(reconnect),
    onDown: (d) => log.downs.push(d),
  });
  cleanup.push(() => socket.stop());
  socket.start();
  return { socket, log };
}

describe('BridgeSocket', () => {
  it('reconnects after a drop and says so', async () => {
    const { wss, url } = await server(true);
    const { socket, log } = keeper(url);
    await waitFor(() => log.opens.length === 1, 'first open');
    for (const ws of wss.clients) ws.terminate();
    await waitFor(() => log.opens.length === 2, 'reopened');
    expect(log.opens).toEqual([false, true]);
    expect(log.downs[0]).toMatch(/closed \(code 1006\); reconnecting/);
    expect(socket.reconnects).toBe(1);
    for (const ws of wss.clients) ws.send('{"type":"tick"}');
    await waitFor(() => log.texts.length === 1, 'a frame on the new socket');
  });

  it('cuts a link whose far end stops answering pings, and opens a new one', async () => {
    const { url } = await server(false);
    const { log } = keeper(url, 30);
    await waitFor(() => log.opens.length >= 2, 'a reconnect after missed pongs');
    expect(log.opens[1]).toBe(true);
  });

  it('keeps a link whose far end answers pings', async () => {
    const { wss, url } = await server(true);
    let pings = 0;
    wss.on('connection', (ws) => ws.on('ping', () => pings++));
    // Generous next to loopback pong latency, so only a missing pong could cut the link.
    const { socket } = keeper(url, 250);
    await waitFor(() => pings >= 3, 'three pings answered');
    expect(socket.reconnects).toBe(0);
    expect(socket.open).toBe(true);
  });
});
