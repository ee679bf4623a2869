/**
 * Live condition search end to end over real sockets: Socket.IO clients → relay → Kiwoom adapter → Kiwoom
 * simulator (WebSocket) → the simulator's condition scanners on the market engine.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ConditionEvent } from '../../lib/contracts';
import { addTestUser } from '../auth/test-users';
import { loadConfig } from '../config';
import { silentLogger } from '../logger';
import { MarketEngine } from '../market/market-engine';
import { startSiseServer, type SiseServer } from '../sise-server';
import { connectClient, request, waitFor, type TestSocket } from './test-socket';

let server: SiseServer | undefined;
const sockets: TestSocket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.disconnect();
  await server?.close();
});

describe('live condition rooms', () => {
  it('share one live search between viewers and deliver the same insert and delete events to both', async () => {
    server = await startSiseServer({
      config: loadConfig({ PORT: '0', SIM: 'on' }),
      logger: silentLogger,
      web: false,
      store: false,
      lingerMs: 200,
      engine: new MarketEngine({ seed: 9, alwaysOpen: true, activity: 6 }),
    });
    const provider = server.brokers.conditionSources.find((source) => source.provider.id === 'kiwoom')!.provider;
    const conditions = await provider.listConditions();
    const surge = conditions.find((c) => c.name === '거래량급증')!;
    const key = `kiwoom:${surge.id}`;
    const start = vi.spyOn(provider, 'startLiveCondition');
    const stop = vi.spyOn(provider, 'stopLiveCondition');

    const [a, b] = [await connectClient(server.url), await connectClient(server.url)];
    sockets.push(a, b);
    const seen: Record<'a' | 'b', ConditionEvent[]> = { a: [], b: [] };
    a.on('condition', (e) => seen.a.push(e));
    b.on('condition', (e) => seen.b.push(e));
    const [ackA, ackB] = await Promise.all([request(a, 'subscribe', { conditions: [key] }), request(b, 'subscribe', { conditions: [key] })]);
    expect(ackA.results[0]).toMatchObject({ kind: 'condition', id: key, ok: true });
    expect(ackB.results[0]).toMatchObject({ kind: 'condition', id: key, ok: true });
    expect(start).toHaveBeenCalledTimes(1);

    await waitFor(() => seen.a.length >= 3 && seen.b.length >= 3, 'condition events on both sockets', 60_000);
    const common = Math.min(seen.a.length, seen.b.length);
    expect(seen.b.slice(0, common)).toEqual(seen.a.slice(0, common));
    for (let i = 1; i < seen.a.length; i++) expect(seen.a[i]!.seq).toBe(seen.a[i - 1]!.seq + 1);

    a.disconnect();
    b.disconnect();
    await waitFor(() => stop.mock.calls.length === 1, 'the live search to stop after the linger', 5_000);
  }, 90_000);

  it('refuses an unknown condition with a reason', async () => {
    server = await startSiseServer({ config: loadConfig({ PORT: '0', SIM: 'on' }), logger: silentLogger, web: false, store: false });
    const socket = await connectClient(server.url);
    sockets.push(socket);
    const ack = await request(socket, 'subscribe', { conditions: ['kiwoom:999', 'nobroker:1'] });
    expect(ack.results).toMatchObject([
      { id: 'kiwoom:999', ok: false, error: { code: 'NOT_FOUND' } },
      { id: 'nobroker:1', ok: false, error: { code: 'NOT_FOUND' } },
    ]);
  });
});

describe('who may watch a live condition', () => {
  it('lets users who may see the login\'s account watch it, and refuses others and unknown keys alike', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'sise-cond-access-'));
    try {
      server = await startSiseServer({
        config: loadConfig({ PORT: '0', SIM: 'on', DATA_DIR: dataDir }),
        logger: silentLogger,
        web: false,
        lingerMs: 200,
        engine: new MarketEngine({ seed: 9, alwaysOpen: true, activity: 6 }),
      });
      const provider = server.brokers.conditionSources.find((source) => source.provider.id === 'kiwoom')!.provider;
      const key = `kiwoom:${(await provider.listConditions())[0]!.id}`;
      // The simulated Kiwoom login's accounts belong to the admins.
      const admin = await addTestUser(server.auth!, { role: 'admin' });
      const outsider = await addTestUser(server.auth!);
      const [a, b] = [await connectClient(server.url, { token: admin.token }), await connectClient(server.url, { token: outsider.token })];
      sockets.push(a, b);

      expect((await request(a, 'subscribe', { conditions: [key] })).results[0]).toMatchObject({ kind: 'condition', id: key, ok: true });
      const refused = await request(b, 'subscribe', { conditions: [key, 'kiwoom:does-not-exist'] });
      expect(refused.results).toEqual([
        { kind: 'condition', id: key, ok: false, error: { code: 'FORBIDDEN', message: `no access to condition ${key}` } },
        { kind: 'condition', id: 'kiwoom:does-not-exist', ok: false, error: { code: 'FORBIDDEN', message: 'no access to condition kiwoom:does-not-exist' } },
      ]);
    } finally {
      await server?.close();
      server = undefined;
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 90_000);
});
