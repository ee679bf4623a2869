/**
 * KIS through the real relay: a Sise server on 127.0.0.1:0 whose KRX feed is the KIS adapter talking to the
 * KIS simulator, and a Socket.IO client. Proves batched records reach a browser with a gapless seq, and that the
 * 41-registration limit reaches the user as a refusal in the subscribe ack.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { Market, SymbolId, TickEvent } from '../../../lib/contracts';
import { loadConfig } from '../../config';
import { silentLogger } from '../../logger';
import { MarketEngine } from '../../market/market-engine';
import type { Feed } from '../../relay/feed';
import { connectClient, request, waitFor, type TestSocket } from '../../relay/test-socket';
import { startSiseServer, type SiseServer } from '../../sise-server';
import { KisFeed } from './adapter';
import { KisRestClient } from './rest-client';
import { KisSimulator, SIM_ACCOUNT, SIM_APP_KEY, SIM_APP_SECRET, SIM_HTS_ID } from './simulator';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function kisServer(): Promise<{ server: SiseServer; simulator: KisSimulator; engine: MarketEngine; client: TestSocket }> {
  const engine = new MarketEngine({ seed: 8, alwaysOpen: true, activity: 8 });
  const simulator = new KisSimulator({ engine });
  const urls = await simulator.start();
  cleanups.push(() => simulator.stop());
  const feed = new KisFeed({
    rest: new KisRestClient({ restUrl: urls.restUrl, appKey: SIM_APP_KEY, appSecret: SIM_APP_SECRET }),
    wsUrl: urls.wsUrl, account: SIM_ACCOUNT, htsId: SIM_HTS_ID, paper: true, ordersAllowed: true, logger: silentLogger,
    knows: (symbol) => engine.instrument(symbol) !== undefined,
    timing: { reconnectBaseMs: 50, reconnectMaxMs: 400 },
  });
  const server = await startSiseServer({
    config: loadConfig({ PORT: '0', HOST: '127.0.0.1', SIM: 'on' }), logger: silentLogger, web: false, engine, store: false, startEngine: false,
    feeds: () => ({ feeds: [feed], preference: new Map<Market, Feed[]>([['KRX', [feed]], ['UPBIT', []], ['BO', []]]) }),
  });
  cleanups.push(() => server.close());
  const client = await connectClient(server.url);
  cleanups.push(() => void client.disconnect());
  await waitFor(() => feed.state() === 'connected', 'the KIS session');
  return { server, simulator, engine, client };
}

describe('KIS behind the relay', () => {
  it('a batched frame reaches the browser as consecutive ticks', async () => {
    const { simulator, client } = await kisServer();
    const ticks: TickEvent[] = [];
    client.on('tick', (t) => t.symbol === 'KRX:005930' && ticks.push(t));
    expect((await request(client, 'subscribe', { symbols: ['KRX:005930'] })).results[0]).toMatchObject({ ok: true });
    await waitFor(() => simulator.registrations()[0]?.length === 3, 'registered upstream');
    simulator.injectFrame(readFileSync(new URL('./fixtures/h0stcnt0-batch3.txt', import.meta.url), 'utf8'));
    await waitFor(() => ticks.length >= 3, '3 ticks');
    expect(ticks.slice(0, 3).map((t) => t.price)).toEqual([70000, 70100, 69400]);
    for (let i = 1; i < ticks.length; i++) expect(ticks[i]!.seq).toBe(ticks[i - 1]!.seq + 1);
  });

  it('the stock beyond the 41 registrations is refused in the ack with a message a user understands', async () => {
    const { engine, client } = await kisServer();
    const symbols = engine.instruments().filter((i) => i.market === 'KRX').slice(0, 21).map((i) => i.symbol) as SymbolId[];
    const ack = await request(client, 'subscribe', { symbols });
    expect(ack.results.filter((r) => r.ok)).toHaveLength(20);
    const refused = ack.results.find((r) => !r.ok)!;
    expect(refused.error).toMatchObject({ code: 'LIMIT_REACHED' });
    expect(refused.error!.message).toMatch(/41 live registrations.*Close a chart/);
  });
});
