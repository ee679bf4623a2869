/**
 * The relay over real sockets: a Sise server on 127.0.0.1:0 with the simulated market, and socket.io-client.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FeedStatus, HogaEvent, SymbolId, TickEvent } from '../../lib/contracts';
import { loadConfig } from '../config';
import { silentLogger } from '../logger';
import { MarketEngine } from '../market/market-engine';
import { startSiseServer, type SiseServer } from '../sise-server';
import { connectClient, inProcessFeeds, request, waitFor, type TestSocket } from './test-socket';

/** Short enough to keep the test quick, long enough to see that the unsubscribe waits for it. */
const TEST_LINGER_MS = 300;
const SAMSUNG: SymbolId = 'KRX:005930';

let server: SiseServer;
const sockets: TestSocket[] = [];

beforeEach(async () => {
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', SIM: 'on' });
  // A busy market so every test sees events within a few hundred milliseconds.
  const engine = new MarketEngine({ seed: 7, alwaysOpen: true, activity: 8 });
  server = await startSiseServer({ config, logger: silentLogger, web: false, store: false, engine, lingerMs: TEST_LINGER_MS, feeds: inProcessFeeds });
});

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.disconnect();
  await server.close();
});

async function client(): Promise<TestSocket> {
  const socket = await connectClient(server.url);
  sockets.push(socket);
  return socket;
}

/** Market events of one symbol as one seq-ordered stream, the way a client sees them. */
function record(socket: TestSocket, symbol: SymbolId) {
  const events: Array<TickEvent | HogaEvent> = [];
  socket.on('tick', (e) => e.symbol === symbol && events.push(e));
  socket.on('hoga', (e) => e.symbol === symbol && events.push(e));
  return events;
}

function expectConsecutive(seqs: number[]) {
  for (let i = 1; i < seqs.length; i++) expect(seqs[i], `seq after ${seqs[i - 1]}`).toBe(seqs[i - 1]! + 1);
}

describe('relay', () => {
  it('shares one upstream subscription between viewers, with one gapless seq run, and releases it after the linger', async () => {
    const feed = server.router.feeds()[0]!;
    const subscribe = vi.spyOn(feed, 'subscribe');
    const unsubscribe = vi.spyOn(feed, 'unsubscribe');

    const a = await client();
    const b = await client();
    const seenByA = record(a, SAMSUNG);
    const seenByB = record(b, SAMSUNG);

    expect((await request(a, 'subscribe', { symbols: [SAMSUNG] })).results).toEqual([{ kind: 'symbol', id: SAMSUNG, ok: true }]);
    await waitFor(() => seenByA.length >= 5, 'A to receive events');
    expect((await request(b, 'subscribe', { symbols: [SAMSUNG] })).results[0]?.ok).toBe(true);
    await waitFor(() => seenByB.length >= 30, 'B to receive 30 events');

    expect(subscribe).toHaveBeenCalledTimes(1);
    expectConsecutive(seenByA.map((e) => e.seq));
    expectConsecutive(seenByB.map((e) => e.seq));
    // B joined late: its run is the tail of A's, event for event.
    const firstOfB = seenByB[0]!.seq;
    const tailOfA = seenByA.filter((e) => e.seq >= firstOfB).slice(0, 25);
    expect(seenByB.slice(0, tailOfA.length)).toEqual(tailOfA);

    await request(a, 'unsubscribe', { symbols: [SAMSUNG] });
    b.disconnect();
    await new Promise((resolve) => setTimeout(resolve, TEST_LINGER_MS / 3));
    expect(unsubscribe).not.toHaveBeenCalled();
    await waitFor(() => unsubscribe.mock.calls.length === 1, 'the upstream unsubscribe after the linger', 3_000);
    expect(unsubscribe).toHaveBeenCalledWith(SAMSUNG);
  });

  it('refuses unknown and malformed symbols in the ack and keeps the connection usable', async () => {
    const socket = await client();
    const ack = await request(socket, 'subscribe', { symbols: ['KRX:999999', 'bogus'] });
    expect(ack.results).toMatchObject([
      { id: 'KRX:999999', ok: false, error: { code: 'UNKNOWN_SYMBOL' } },
      { id: 'bogus', ok: false, error: { code: 'MALFORMED_SYMBOL' } },
    ]);

    const ticks: TickEvent[] = [];
    socket.on('tick', (e) => ticks.push(e));
    const ok = await request(socket, 'subscribe', { symbols: [SAMSUNG] });
    expect(ok.results).toEqual([{ kind: 'symbol', id: SAMSUNG, ok: true }]);
    await waitFor(() => ticks.length > 0, 'a tick after the refused request');
    expect(ticks[0]!.symbol).toBe(SAMSUNG);
  });

  it('answers a request of the wrong shape with an error instead of dropping the connection', async () => {
    const socket = await client();
    const wrong = await socket.timeout(5_000).emitWithAck('subscribe', 'KRX:005930' as never);
    expect(wrong.error?.code).toBe('BAD_REQUEST');
    const tooMany = await request(socket, 'subscribe', { symbols: Array.from({ length: 201 }, () => SAMSUNG) });
    expect(tooMany.error?.code).toBe('BAD_REQUEST');
    expect(socket.connected).toBe(true);
    expect((await request(socket, 'subscribe', { symbols: ['UPBIT:KRW-BTC'] })).results[0]?.ok).toBe(true);
  });

  it('sends the last tick and hoga to a client that joins, in seq order', async () => {
    const first = await client();
    const firstSeen = record(first, SAMSUNG);
    await request(first, 'subscribe', { symbols: [SAMSUNG] });
    await waitFor(() => firstSeen.some((e) => 'price' in e) && firstSeen.some((e) => 'asks' in e), 'a tick and a hoga');

    const late = await client();
    const lateSeen = record(late, SAMSUNG);
    await request(late, 'subscribe', { symbols: [SAMSUNG] });
    // The snapshot is emitted before the ack, so it is already here.
    const kinds = new Set(lateSeen.slice(0, 2).map((e) => ('price' in e ? 'tick' : 'hoga')));
    expect(kinds).toEqual(new Set(['tick', 'hoga']));
    expectConsecutive(lateSeen.map((e) => e.seq).filter((_, i) => i >= 1));
  });

  it('tells every client on connect which feeds exist, their state and what they serve', async () => {
    // Statuses are sent on connect, so the listener must be in place before connecting.
    const statuses = await connectClientWithFeeds(server.url);
    expect(statuses).toContainEqual(expect.objectContaining({ broker: 'sim', state: 'connected', serving: ['KRX', 'UPBIT'] }));
  });

  it('folds relayed ticks into candles whose close follows the last tick', async () => {
    const socket = await client();
    const ticks: TickEvent[] = [];
    socket.on('tick', (e) => e.symbol === SAMSUNG && ticks.push(e));
    await request(socket, 'subscribe', { symbols: [SAMSUNG] });
    await waitFor(() => ticks.length >= 20, '20 ticks');
    server.engine.stop();
    await new Promise((resolve) => setTimeout(resolve, 100)); // let what was already sent arrive

    const last = ticks.at(-1)!;
    for (const interval of ['1s', '1m', '1d'] as const) {
      const history = server.relay.candles.history(SAMSUNG, interval);
      expect(history.lastSeq).toBe(last.seq);
      const current = history.candles.at(-1)!;
      expect(current.close).toBe(last.price);
      expect(current.high).toBeGreaterThanOrEqual(current.close);
      expect(current.low).toBeLessThanOrEqual(current.close);
    }
    // Every tick the client saw is in the day's candle.
    const day = server.relay.candles.history(SAMSUNG, '1d').candles.at(-1)!;
    expect(day.volume).toBeGreaterThanOrEqual(ticks.reduce((sum, t) => sum + t.qty, 0));
  });

  it('keeps serving other clients when one disconnects abruptly', async () => {
    const leaving = await client();
    const staying = await client();
    const seen = record(staying, SAMSUNG);
    await request(leaving, 'subscribe', { symbols: [SAMSUNG] });
    await request(staying, 'subscribe', { symbols: [SAMSUNG] });
    leaving.io.engine.close();
    const before = seen.length;
    await waitFor(() => seen.length > before + 10, 'events after the other client dropped');
    expectConsecutive(seen.map((e) => e.seq));
  });
});

async function connectClientWithFeeds(url: string): Promise<FeedStatus[]> {
  const { io } = await import('socket.io-client');
  const socket = io(url, { transports: ['websocket'], reconnection: false, forceNew: true, autoConnect: false });
  sockets.push(socket as TestSocket);
  const statuses: FeedStatus[] = [];
  socket.on('feed', (s: FeedStatus) => statuses.push(s));
  socket.connect();
  await waitFor(() => statuses.length > 0, 'feed statuses on connect');
  return statuses;
}
