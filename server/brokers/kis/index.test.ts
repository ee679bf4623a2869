/**
 * The factory: SIM=on without KIS variables starts the simulator and the adapter over a real socket; KIS
 * variables select the real (or configured) endpoints; neither gives null.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { TickEvent } from '../../../lib/contracts';
import { loadConfig } from '../../config';
import { silentLogger } from '../../logger';
import { MarketEngine } from '../../market/market-engine';
import type { FeedSink, Unstamped } from '../../relay/feed';
import { waitFor } from '../../relay/test-socket';
import { startKis, type KisRuntime } from './index';

const runtimes: KisRuntime[] = [];
afterEach(async () => {
  for (const r of runtimes.splice(0)) await r.close();
});

describe('startKis', () => {
  it('with SIM=on and no KIS variables serves KRX quotes from its simulator over a socket, with the paper account', async () => {
    const engine = new MarketEngine({ seed: 4, alwaysOpen: true, activity: 8 });
    engine.start();
    const runtime = await startKis(loadConfig({ SIM: 'on' }), { engine, logger: silentLogger });
    expect(runtime).not.toBeNull();
    runtimes.push(runtime!);
    const ticks: Unstamped<TickEvent>[] = [];
    const sink: FeedSink = { tick: (e) => void ticks.push(e), hoga: () => {}, order: () => {}, balance: () => {}, condition: () => {}, state: () => {} };
    await runtime!.feed.start(sink);
    await waitFor(() => runtime!.feed.state() === 'connected', 'connected');
    expect(runtime!.simulator).not.toBeNull();
    expect(runtime!.accounts.map((a) => a.accountId)).toEqual(['kis:50012345-01']);
    expect(runtime!.feed.knows('KRX:005930')).toBe(true);
    expect(runtime!.feed.knows('KRX:999999')).toBe(false);
    await runtime!.feed.subscribe('KRX:005930');
    await waitFor(() => ticks.some((t) => t.symbol === 'KRX:005930'), 'a tick');
    engine.stop();
  });

  it('with KIS variables builds an adapter for the configured service (not started) and no simulator', async () => {
    const config = loadConfig({ SIM: 'on', KIS_APP_KEY: 'k', KIS_APP_SECRET: 's', KIS_ACCOUNT: '12345678-01', KIS_HTS_ID: 'me', KIS_REST_URL: 'https://openapivts.koreainvestment.com:29443' });
    const runtime = await startKis(config, { engine: null, logger: silentLogger });
    runtimes.push(runtime!);
    expect(runtime!.simulator).toBeNull();
    expect(runtime!.accounts[0]!.accountId).toBe('kis:12345678-01');
    // The paper host: paper money, so orders are allowed without ALLOW_REAL_ORDERS.
    expect(runtime!.accounts[0]!.capabilities.realMoney).toBe(false);
    // Offline, any well-formed KRX code is accepted.
    expect(runtime!.feed.knows('KRX:999999')).toBe(true);
  });

  it('without KIS variables and with SIM=off (or no engine) gives null', async () => {
    expect(await startKis(loadConfig({ SIM: 'off' }), { engine: null, logger: silentLogger })).toBeNull();
    expect(await startKis(loadConfig({ SIM: 'on' }), { engine: null, logger: silentLogger })).toBeNull();
  });
});
