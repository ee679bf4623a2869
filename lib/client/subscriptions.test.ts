/**
 * The browser's subscription manager against a real Sise server on 127.0.0.1 (socket.io-client runs in Node).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { io } from 'socket.io-client';
import { loadConfig } from '../../server/config';
import { silentLogger } from '../../server/logger';
import { MarketEngine } from '../../server/market/market-engine';
import { inProcessFeeds, waitFor } from '../../server/relay/test-socket';
import { startSiseServer, type SiseServer } from '../../server/sise-server';
import { MarketStore } from './market-store';
import type { SiseClientSocket } from './socket';
import { SubscriptionManager } from './subscriptions';

let server: SiseServer;
let socket: SiseClientSocket;

beforeEach(async () => {
  server = await startSiseServer({
    config: loadConfig({ PORT: '0' }),
    logger: silentLogger,
    web: false,
    store: false,
    feeds: inProcessFeeds,
    engine: new MarketEngine({ seed: 11, alwaysOpen: true, activity: 8 }),
    lingerMs: 50,
  });
});

afterEach(async () => {
  socket?.disconnect();
  await server.close();
});

describe('subscription manager', () => {
  it('sends one subscribe for components that want the same symbols, and one unsubscribe when all let go', async () => {
    socket = io(server.url, { transports: ['websocket'], forceNew: true });
    const store = new MarketStore();
    socket.on('tick', (e) => store.applyTick(e));
    const emit = vi.spyOn(socket, 'emit');
    const manager = new SubscriptionManager(socket, store);
    await waitFor(() => socket.connected, 'connection');

    const releases = [manager.retain('KRX:005930'), manager.retain('KRX:005930'), manager.retain('UPBIT:KRW-BTC')];
    await waitFor(() => store.get('KRX:005930').tick !== null && store.get('UPBIT:KRW-BTC').tick !== null, 'ticks for both');
    const subscribes = emit.mock.calls.filter(([event]) => event === 'subscribe');
    expect(subscribes).toHaveLength(1);
    expect(subscribes[0]![1]).toEqual({ symbols: ['KRX:005930', 'UPBIT:KRW-BTC'] });

    releases[0]!();
    releases[1]!();
    releases[2]!();
    await waitFor(() => emit.mock.calls.some(([event]) => event === 'unsubscribe'), 'the unsubscribe');
    expect(emit.mock.calls.filter(([event]) => event === 'unsubscribe')[0]![1]).toEqual({ symbols: ['KRX:005930', 'UPBIT:KRW-BTC'] });
  });

  it('shows the server refusal for a symbol that does not exist', async () => {
    socket = io(server.url, { transports: ['websocket'], forceNew: true });
    const store = new MarketStore();
    const manager = new SubscriptionManager(socket, store);
    manager.retain('KRX:999999');
    await waitFor(() => store.get('KRX:999999').error !== null, 'the refusal');
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(store.get('KRX:999999').error).toMatch(/not a listed instrument/);
  });

  it('subscribes again after the connection comes back', async () => {
    socket = io(server.url, { transports: ['websocket'], forceNew: true, reconnectionDelay: 50, reconnectionDelayMax: 100 });
    const store = new MarketStore();
    socket.on('tick', (e) => store.applyTick(e));
    const manager = new SubscriptionManager(socket, store);
    manager.retain('KRX:005930');
    await waitFor(() => store.get('KRX:005930').tick !== null, 'first tick');

    socket.io.engine.close(); // the transport drops; socket.io-client reconnects by itself
    await waitFor(() => !socket.connected, 'the drop');
    await waitFor(() => socket.connected, 'the reconnect');
    const seqAfter = store.get('KRX:005930').tick!.seq;
    await waitFor(() => (store.get('KRX:005930').tick?.seq ?? 0) > seqAfter + 5, 'ticks after the reconnect');
  });
});
