/**
 * The factory: simulator when nothing is configured and SIM=on, the configured URLs otherwise, null when neither.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config';
import { silentLogger } from '../../logger';
import { MarketEngine } from '../../market/market-engine';
import { waitFor } from '../../relay/test-socket';
import { startUpbit, type UpbitRuntime } from './index';
import { SIM_CREDENTIALS, UpbitSimulator } from './simulator';
import { RecordingSink } from './test-sink';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const engine = () => new MarketEngine({ seed: 3, alwaysOpen: true, symbols: ['UPBIT:KRW-BTC', 'UPBIT:KRW-ETH'] });

async function started(runtime: UpbitRuntime | null): Promise<{ runtime: UpbitRuntime; sink: RecordingSink }> {
  expect(runtime).not.toBeNull();
  cleanups.push(() => runtime!.close());
  const sink = new RecordingSink();
  await runtime!.feed.start(sink);
  return { runtime: runtime!, sink };
}

describe('startUpbit', () => {
  it('with SIM=on and nothing configured, runs the simulator and connects the adapter to it', async () => {
    const { runtime, sink } = await started(await startUpbit(loadConfig({ SIM: 'on' }), { engine: engine(), logger: silentLogger }));
    expect(runtime.simulator).toBeInstanceOf(UpbitSimulator);
    expect(runtime.accounts.map((a) => a.accountId)).toEqual(['upbit:simupbit']);
    expect(runtime.accounts[0]!.capabilities).toEqual({ cancel: true, modify: false, realMoney: false });
    expect(runtime.feed.knows('UPBIT:KRW-BTC')).toBe(true);
    expect(runtime.feed.knows('UPBIT:KRW-SOL')).toBe(false);
    await waitFor(() => sink.lastState === 'connected', 'connected to the simulator');
    await waitFor(() => sink.balances.some((b) => b.full), 'the first balance snapshot');
  });

  it('returns null with SIM=off and nothing configured, or without an engine', async () => {
    expect(await startUpbit(loadConfig({ SIM: 'off' }), { engine: engine(), logger: silentLogger })).toBeNull();
    expect(await startUpbit(loadConfig({ SIM: 'on' }), { engine: null, logger: silentLogger })).toBeNull();
  });

  it('with URLs and keys configured, connects there as a real-money account that refuses orders unless allowed', async () => {
    const sim = new UpbitSimulator({ engine: engine() });
    const urls = await sim.start();
    cleanups.push(() => sim.stop());
    const config = loadConfig({ SIM: 'off', UPBIT_WS_URL: urls.wsUrl, UPBIT_REST_URL: urls.restUrl, UPBIT_ACCESS_KEY: SIM_CREDENTIALS.accessKey, UPBIT_SECRET_KEY: SIM_CREDENTIALS.secretKey });
    const { runtime, sink } = await started(await startUpbit(config, { engine: null, logger: silentLogger }));
    expect(runtime.simulator).toBeNull();
    expect(runtime.feed.knows('UPBIT:KRW-ANYCOIN')).toBe(true);
    await waitFor(() => sink.lastState === 'connected', 'connected to the configured URL');
    const account = runtime.accounts[0]!;
    expect(account.capabilities.realMoney).toBe(true);
    await expect(account.placeOrder({ symbol: 'UPBIT:KRW-BTC', side: 'buy', type: 'limit', qty: 0.001, price: 100_000_000 })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect((await account.balance()).cash).toMatchObject({ currency: 'KRW', deposit: '100000000' });
  });
});
