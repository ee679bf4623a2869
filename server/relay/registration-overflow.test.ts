/**
 * More KRX symbols than KIS can register on one app key: the rest are served by Kiwoom, both over real sockets
 * to their simulators, and every viewer gets an ok.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { SymbolId } from '../../lib/contracts';
import { loadConfig } from '../config';
import { silentLogger } from '../logger';
import { MarketEngine } from '../market/market-engine';
import { startSiseServer, type SiseServer } from '../sise-server';
import { connectClient, request, waitFor, type TestSocket } from './test-socket';

let server: SiseServer | undefined;
let socket: TestSocket | undefined;
afterEach(async () => {
  socket?.disconnect();
  await server?.close();
});

describe('a full registration budget', () => {
  it('moves the overflow to the next KRX feed instead of refusing the viewer', async () => {
    server = await startSiseServer({
      config: loadConfig({ PORT: '0', SIM: 'on', KRX_FEEDS: 'kis,kiwoom' }),
      logger: silentLogger,
      web: false,
      store: false,
      engine: new MarketEngine({ seed: 4, alwaysOpen: true, activity: 4 }),
    });
    const krx = server.engine.instruments().filter((i) => i.market === 'KRX').map((i) => i.symbol as SymbolId);
    const wanted = krx.slice(0, 26);
    expect(wanted).toHaveLength(26);

    socket = await connectClient(server.url);
    const sources = new Map<SymbolId, string>();
    socket.on('hoga', (h) => sources.set(h.symbol, h.source));
    const ack = await request(socket, 'subscribe', { symbols: wanted });
    expect(ack.results.filter((r) => !r.ok)).toEqual([]);

    await waitFor(() => wanted.every((s) => sources.has(s)), 'a book for every symbol', 30_000);
    const bySource = [...sources.values()].reduce<Record<string, number>>((n, s) => ({ ...n, [s]: (n[s] ?? 0) + 1 }), {});
    expect(bySource.kis).toBeGreaterThan(0);
    expect(bySource.kiwoom).toBeGreaterThan(0);
    expect(bySource.kis! + bySource.kiwoom!).toBe(26);
  }, 60_000);
});
