import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config';
import { silentLogger } from '../../logger';
import { MarketEngine } from '../../market/market-engine';
import { startBo, type BoRuntime } from './index';
import { RecordingSink, waitUntil } from './test-client';

let runtime: BoRuntime | null = null;
afterEach(async () => {
  await runtime?.close();
  runtime = null;
});

describe('startBo', () => {
  it('with SIM=on and an engine: the venue simulator and the adapter over real TCP, account bo:100700', async () => {
    const engine = new MarketEngine({ seed: 1, alwaysOpen: true, symbols: ['BO:BTCUSD', 'KRX:005930'] });
    runtime = await startBo(loadConfig({ SIM: 'on' }, '/tmp'), { engine, logger: silentLogger });
    expect(runtime?.simulator?.mode).toBe('venue');
    const sink = new RecordingSink();
    await runtime!.feed.start(sink);
    expect(runtime!.feed.state()).toBe('connected');
    expect(runtime!.accounts.map((a) => a.accountId)).toEqual(['bo:100700']);
    expect(runtime!.feed.knows('BO:BTCUSD')).toBe(true);
    expect(runtime!.feed.knows('KRX:005930')).toBe(false);
    await waitUntil(() => sink.balances.length > 0, 'the first balance');
  });

  it('without BO settings and with SIM=off: nothing', async () => {
    expect(await startBo(loadConfig({ SIM: 'off' }, '/tmp'), { engine: null, logger: silentLogger })).toBeNull();
  });

  it('BO_AES_ADDR without the logon settings is left out rather than connecting half-configured', async () => {
    expect(await startBo(loadConfig({ BO_AES_ADDR: '127.0.0.1:4444' }, '/tmp'), { engine: null, logger: silentLogger })).toBeNull();
  });

  it('a BO_USER longer than the 6-byte field is refused at start instead of being cut', async () => {
    expect(await startBo(loadConfig({ BO_AES_ADDR: '127.0.0.1:1', BO_API_KEY: 'k', BO_USER: 'TOOLONGUSER', BO_ACCOUNT: '42' }, '/tmp'), { engine: null, logger: silentLogger })).toBeNull();
  });

  it('BO_AES_ADDR with credentials: the adapter aimed at that address, no simulator', async () => {
    runtime = await startBo(loadConfig({ BO_AES_ADDR: '127.0.0.1:1', BO_API_KEY: 'k', BO_USER: 'U', BO_ACCOUNT: '42' }, '/tmp'), { engine: null, logger: silentLogger });
    expect(runtime?.simulator).toBeNull();
    expect(runtime?.accounts[0]?.accountId).toBe('bo:42');
    expect(runtime?.accounts[0]?.capabilities.realMoney).toBe(true);
  });
});
