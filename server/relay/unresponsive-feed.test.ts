/**
 * A broker that stops answering: the client is told, the connection stays usable, and other symbols flow.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { FeedState, Market, SymbolId, TickEvent } from '../../lib/contracts';
import { SimFeed } from '../brokers/sim/sim-feed';
import { loadConfig } from '../config';
import { silentLogger } from '../logger';
import { MarketEngine } from '../market/market-engine';
import { startSiseServer, type SiseServer } from '../sise-server';
import type { Feed, FeedSink } from './feed';
import { connectClient, request, waitFor, type TestSocket } from './test-socket';

/** Serves KRX but never answers a subscribe, like a broker session stuck behind a dead TCP connection. */
class SilentFeed implements Feed {
  readonly id = 'kis' as const;
  readonly markets: readonly Market[] = ['KRX'];
  async start(sink: FeedSink) {
    sink.state(this.id, 'connected', 'connected, then silent');
  }
  async stop() {}
  state(): FeedState {
    return 'connected';
  }
  knows(symbol: SymbolId) {
    return symbol.startsWith('KRX:');
  }
  subscribe(): Promise<void> {
    return new Promise(() => {});
  }
  async unsubscribe() {}
}

let server: SiseServer | undefined;
let socket: TestSocket | undefined;
afterEach(async () => {
  socket?.disconnect();
  await server?.close();
});

describe('a feed that stops answering', () => {
  it('gets a clear error in the ack while the connection and the other markets keep working', async () => {
    server = await startSiseServer({
      config: loadConfig({ PORT: '0' }),
      logger: silentLogger,
      web: false,
      store: false,
      engine: new MarketEngine({ seed: 2, alwaysOpen: true, activity: 8 }),
      subscribeTimeoutMs: 300,
      feeds: (engine) => {
        const silent = new SilentFeed();
        const sim = new SimFeed(engine);
        return { feeds: [silent, sim], preference: new Map<Market, Feed[]>([['KRX', [silent]], ['UPBIT', [sim]]]) };
      },
    });
    socket = await connectClient(server.url);
    const ack = await request(socket, 'subscribe', { symbols: ['KRX:005930', 'UPBIT:KRW-BTC'] });
    expect(ack.results).toMatchObject([
      { id: 'KRX:005930', ok: false, error: { code: 'UPSTREAM_UNAVAILABLE', message: expect.stringMatching(/kis did not accept KRX:005930/) } },
      { id: 'UPBIT:KRW-BTC', ok: true },
    ]);
    const ticks: TickEvent[] = [];
    socket.on('tick', (t) => ticks.push(t));
    await waitFor(() => ticks.some((t) => t.symbol === 'UPBIT:KRW-BTC'), 'Upbit ticks');
    expect(ticks.every((t) => t.symbol === 'UPBIT:KRW-BTC')).toBe(true);
  });
});
