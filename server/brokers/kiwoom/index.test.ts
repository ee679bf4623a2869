import { afterEach, describe, expect, it } from 'vitest';
import type { SymbolId } from '../../../lib/contracts';
import { loadConfig } from '../../config';
import { silentLogger } from '../../logger';
import { MarketEngine } from '../../market/market-engine';
import type { FeedSink } from '../../relay/feed';
import { startKiwoom, type KiwoomRuntime } from './index';
import { KiwoomSimulator } from './simulator';
import { waitFor } from './test-helpers';

const SYMBOLS: SymbolId[] = ['KRX:005930', 'KRX:000660', 'UPBIT:KRW-BTC'];
const quietSink: FeedSink = { tick() {}, hoga() {}, order() {}, balance() {}, condition() {}, state() {} };
const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

describe('startKiwoom', () => {
  it('without keys and with SIM=on starts the simulator and connects the adapter to it over a socket', async () => {
    const engine = new MarketEngine({ seed: 1, alwaysOpen: true, symbols: SYMBOLS });
    const runtime = (await startKiwoom(loadConfig({}), { engine, logger: silentLogger }))!;
    cleanups.push(() => runtime.close());
    expect(runtime.simulator).not.toBeNull();
    expect(runtime.accounts.map((a) => a.accountId)).toEqual(['kiwoom:5012345678']);
    expect(runtime.accounts[0]!.capabilities).toEqual({ cancel: true, modify: true, realMoney: false });
    await runtime.feed.start(quietSink);
    await waitFor(() => runtime.feed.state() === 'connected', 'connected');
    expect(runtime.feed.knows('KRX:005930')).toBe(true);
    expect(runtime.feed.knows('KRX:999999')).toBe(false);
    expect(runtime.feed.knows('UPBIT:KRW-BTC')).toBe(false);
  });

  it('returns null with SIM=off and no keys, or without an engine', async () => {
    expect(await startKiwoom(loadConfig({ SIM: 'off' }), { engine: new MarketEngine({ seed: 1, alwaysOpen: true, symbols: SYMBOLS }), logger: silentLogger })).toBeNull();
    expect(await startKiwoom(loadConfig({}), { engine: null, logger: silentLogger })).toBeNull();
  });

  it('with keys and URLs connects there (here: a simulator standing in for the broker), accepting ws:// URLs', async () => {
    const engine = new MarketEngine({ seed: 1, alwaysOpen: true, symbols: SYMBOLS });
    const broker = new KiwoomSimulator({ engine, appKey: 'my-key', secretKey: 'my-secret' });
    const urls = await broker.start();
    cleanups.push(() => broker.stop());
    const config = loadConfig({ KIWOOM_APP_KEY: 'my-key', KIWOOM_SECRET_KEY: 'my-secret', KIWOOM_REST_URL: urls.restUrl, KIWOOM_WS_URL: urls.wsUrl });
    const runtime: KiwoomRuntime = (await startKiwoom(config, { engine, logger: silentLogger }))!;
    cleanups.unshift(() => runtime.close());
    expect(runtime.simulator).toBeNull();
    expect(runtime.accounts.map((a) => a.accountId)).toEqual(['kiwoom:5012345678']);
    await runtime.feed.start(quietSink);
    await waitFor(() => runtime.feed.state() === 'connected', 'connected to the configured URLs');
    // Against a real broker the universe is not listed offline: any well-formed KRX code is accepted.
    expect(runtime.feed.knows('KRX:999999')).toBe(true);
    expect(runtime.feed.knows('UPBIT:KRW-BTC')).toBe(false);
    expect(broker.sessionCount()).toBe(1);
  });
});
