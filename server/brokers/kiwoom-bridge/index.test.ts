import { afterEach, describe, expect, it } from 'vitest';
import type { SymbolId } from '../../../lib/contracts';
import { loadConfig } from '../../config';
import { silentLogger } from '../../logger';
import { MarketEngine } from '../../market/market-engine';
import type { FeedSink } from '../../relay/feed';
import { startKiwoomBridge } from './index';
import { KiwoomBridgeSimulator } from './simulator';
import { waitFor } from './test-helpers';

const SYMBOLS: SymbolId[] = ['KRX:005930', 'KRX:000660', 'UPBIT:KRW-BTC'];
const quietSink: FeedSink = { tick() {}, hoga() {}, order() {}, balance() {}, condition() {}, state() {} };
const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

const engine = () => new MarketEngine({ seed: 1, alwaysOpen: true, symbols: SYMBOLS });

describe('startKiwoomBridge', () => {
  it('without KIWOOM_BRIDGE_URL and with SIM=on starts the simulator and connects to it over HTTP and WebSockets', async () => {
    const runtime = (await startKiwoomBridge(loadConfig({}), { engine: engine(), logger: silentLogger }))!;
    cleanups.push(() => runtime.close());
    expect(runtime.simulator).not.toBeNull();
    expect(runtime.conditions).toBe(runtime.feed);
    expect(runtime.accounts.map((a) => a.accountId)).toEqual(['kiwoom-bridge:8012345611']);
    expect(runtime.accounts[0]!.capabilities).toEqual({ cancel: false, modify: false, realMoney: false });
    await runtime.feed.start(quietSink);
    await waitFor(() => runtime.feed.state() === 'connected', 'connected');
    expect(runtime.feed.knows('KRX:005930')).toBe(true);
    expect(runtime.feed.knows('KRX:999999')).toBe(false);
    expect(runtime.feed.knows('UPBIT:KRW-BTC')).toBe(false);
  });

  it('returns null with SIM=off and no URL, or without an engine', async () => {
    expect(await startKiwoomBridge(loadConfig({ SIM: 'off' }), { engine: engine(), logger: silentLogger })).toBeNull();
    expect(await startKiwoomBridge(loadConfig({}), { engine: null, logger: silentLogger })).toBeNull();
  });

  it('with KIWOOM_BRIDGE_URL connects there (a simulator standing in for the bridge), as real money', async () => {
    const sim = new KiwoomBridgeSimulator({ engine: engine() });
    const { baseUrl } = await sim.start();
    cleanups.push(() => sim.stop());
    const runtime = (await startKiwoomBridge(loadConfig({ KIWOOM_BRIDGE_URL: baseUrl, SIM: 'off' }), { engine: null, logger: silentLogger }))!;
    cleanups.push(() => runtime.close());
    expect(runtime.simulator).toBeNull();
    expect(runtime.accounts[0]!.capabilities.realMoney).toBe(true);
    expect(runtime.feed.knows('KRX:123456')).toBe(true);
    expect(runtime.feed.knows('KRX:12345')).toBe(false);
    await runtime.feed.start(quietSink);
    await waitFor(() => runtime.feed.state() === 'connected', 'connected');
  });
});
