/**
 * A client that stops reading (a stalled tab, a sleeping laptop) over real sockets: its market data is conflated
 * to the latest per symbol while it is behind, another client's stream is untouched, and once it reads again it
 * gets the latest values and rejoins the live stream with a seq that says how much it skipped.
 */
import type { Socket as NetSocket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SymbolId, TickEvent } from '../../lib/contracts';
import { loadConfig } from '../config';
import { silentLogger } from '../logger';
import { MarketEngine } from '../market/market-engine';
import { startSiseServer, type SiseServer } from '../sise-server';
import { SLOW_ROOM } from './slow-consumers';
import { connectClient, inProcessFeeds, request, waitFor, type TestSocket } from './test-socket';

/** Small, so the kernel's socket buffers (megabytes on loopback) are the only wait before the server notices. */
const TEST_BACKLOG = 50;

let server: SiseServer;
const sockets: TestSocket[] = [];

beforeEach(async () => {
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', SIM: 'on' });
  const engine = new MarketEngine({ seed: 11, alwaysOpen: true, activity: 20 });
  server = await startSiseServer({ config, logger: silentLogger, web: false, store: false, engine, feeds: inProcessFeeds, slowClientBacklog: TEST_BACKLOG });
});

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.disconnect();
  await server.close();
});

/** The client's TCP socket under socket.io-client → engine.io-client → ws. */
function tcpOf(socket: TestSocket): NetSocket {
  const transport = (socket.io.engine as unknown as { transport: { ws: { _socket: NetSocket } } }).transport;
  return transport.ws._socket;
}

describe('a client that stops reading', () => {
  it('is conflated to the latest value per symbol while behind, and rejoins the live stream when it reads again', async () => {
    const symbols = server.engine.instruments().map((i) => i.symbol) as SymbolId[];
    const stalled = await connectClient(server.url);
    const healthy = await connectClient(server.url);
    sockets.push(stalled, healthy);
    const healthyTicks: TickEvent[] = [];
    healthy.on('tick', (tick) => healthyTicks.push(tick));
    const stalledTicks: TickEvent[] = [];
    stalled.on('tick', (tick) => stalledTicks.push(tick));
    await request(stalled, 'subscribe', { symbols });
    await request(healthy, 'subscribe', { symbols });

    tcpOf(stalled).pause();
    const serverSide = () => [...server.io.of('/').sockets.values()].find((s) => s.id === stalled.id);
    await waitFor(() => serverSide()?.rooms.has(SLOW_ROOM) === true, 'the server to notice the stalled client', 60_000);
    const healthyBefore = healthyTicks.length;
    await waitFor(() => healthyTicks.length > healthyBefore + 20, 'the healthy client to keep receiving');

    tcpOf(stalled).resume();
    await waitFor(() => serverSide()?.rooms.has(SLOW_ROOM) === false, 'the stalled client to catch up', 60_000);
    const caughtUpAt = stalledTicks.length;
    await waitFor(() => stalledTicks.length > caughtUpAt + 20, 'live ticks after catching up');

    // Per symbol, seq never goes back; somewhere it jumped (the conflated stretch), and after catching up it is
    // one gapless run again.
    let jumped = false;
    const last = new Map<SymbolId, number>();
    for (const tick of stalledTicks) {
      const previous = last.get(tick.symbol);
      if (previous !== undefined) {
        expect(tick.seq).toBeGreaterThan(previous);
        if (tick.seq > previous + 1) jumped = true;
      }
      last.set(tick.symbol, tick.seq);
    }
    expect(jumped).toBe(true);
    // The healthy client saw every tick of every symbol: no jump at all (ticks and hogas share a symbol's seq,
    // so only seq order is checked here, and the count of ticks is far above the stalled client's).
    expect(healthyTicks.length).toBeGreaterThan(stalledTicks.length);
  }, 120_000);
});
