/**
 * The simulator's own rules, proven with a raw client written from the protocol reference (§8, §11.5): plain
 * fetch for the REST routes and a bare WebSocket for the two sockets, none of the adapter's code.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { MarketEngine } from '../../market/market-engine';
import { KiwoomBridgeSimulator, type KiwoomBridgeSimulatorOptions } from './simulator';
import { call, drivenEngine, rawClient, waitFor, type RawClient } from './test-helpers';

const STAMP = /^\d{14}$/;

let cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

async function start(options: Partial<KiwoomBridgeSimulatorOptions> = {}): Promise<{ sim: KiwoomBridgeSimulator; base: string; ws: string; engine: MarketEngine }> {
  const driven = drivenEngine();
  const sim = new KiwoomBridgeSimulator({ engine: driven.engine, ...options });
  const { baseUrl } = await sim.start();
  cleanup.push(() => driven.stop(), () => sim.stop());
  return { sim, base: baseUrl, ws: baseUrl.replace('http', 'ws'), engine: driven.engine };
}

async function client(url: string): Promise<RawClient> {
  const c = await rawClient(url);
  cleanup.push(() => c.close());
  return c;
}

describe('KiwoomServer bridge simulator', () => {
  it('answers status, account routes and unknown routes in the {Success, Message, Data} wrapper', async () => {
    const { sim, base } = await start();
    const account = sim.account.accountNo;
    const status = await call(`${base}/api/status`);
    expect(status).toEqual({ status: 200, body: { Success: true, Message: 'OK', Data: { IsLoggedIn: true, AccountNo: account, ServerName: null } } });
    const balance = await call(`${base}/api/accounts/balance?accountNo=${account}&pass=`);
    expect((balance.body.Data as Array<Record<string, string>>)[0]).toMatchObject({ ROW_TYPE: 'SUMMARY', 예수금: '100000000' });
    const deposit = await call(`${base}/api/accounts/deposit?accountNo=${account}&pass=`);
    expect(deposit.body.Data).toEqual([{ 예수금: '100000000', 출금가능금액: '100000000', 주문가능금액: '100000000' }]);
    expect((await call(`${base}/api/accounts/orders?accountNo=${account}&code=`)).body.Data).toEqual([]);
    expect(await call(`${base}/api/nope`)).toEqual({ status: 404, body: { Success: false, Message: 'Not Found', Data: null } });
    expect((await fetch(`${base}/api/status`, { method: 'OPTIONS' })).status).toBe(204);
  });

  it('refuses account routes with "Not Logged In" (400) until /api/auth/login logs in', async () => {
    const { base } = await start({ loggedIn: false });
    expect((await call(`${base}/api/status`)).body.Data).toMatchObject({ IsLoggedIn: false });
    expect(await call(`${base}/api/accounts/deposit?accountNo=8012345611&pass=`)).toEqual({ status: 400, body: { Success: false, Message: 'Not Logged In', Data: null } });
    const login = await call(`${base}/api/auth/login`);
    expect(login.body).toEqual({ Success: true, Message: 'OK', Data: { loggedIn: true, account: '8012345611' } });
    expect((await call(`${base}/api/accounts/deposit?accountNo=8012345611&pass=`)).status).toBe(200);
  });

  it('answers "Login Timeout" with 504 when OpenAPI+ cannot log in', async () => {
    const { sim, base } = await start({ loggedIn: false, loginTimeoutMs: 50 });
    sim.loginTimesOut = true;
    expect(await call(`${base}/api/system/login`, { method: 'POST' })).toEqual({ status: 504, body: { Success: false, Message: 'Login Timeout', Data: null } });
  });

  it('streams tick and hoga for registered codes on /ws/realtime in the standard JSON', async () => {
    const { base, ws } = await start();
    const rt = await client(`${ws}/ws/realtime`);
    const reg = await call(`${base}/api/realtime/subscribe?codes=005930;000660&screen=1000`);
    expect(reg.body.Success).toBe(true);
    const tick = await rt.next((f) => f.type === 'tick', 'a tick');
    expect(tick).toMatchObject({ code: expect.stringMatching(/^(005930|000660)$/), timestamp: expect.stringMatching(STAMP) });
    const data = tick.data as Record<string, unknown>;
    for (const key of ['time', 'current_price', 'diff', 'rate', 'volume', 'cum_volume', 'cum_turnover_million', 'open', 'high', 'low']) expect(data).toHaveProperty(key);
    expect(data.current_price as number).toBeGreaterThan(0);
    const hoga = await rt.next((f) => f.type === 'hoga', 'a hoga');
    expect(hoga.data).toMatchObject({ ask_price_1: expect.any(Number), bid_vol_1: expect.any(Number), total_ask_vol: expect.any(Number) });
    expect(Object.keys(hoga.data as object)).not.toContain('ask_price_6');
    // unsubscribe ALL: the stream stops (frames in flight aside).
    await call(`${base}/api/realtime/unsubscribe?screen=1000`);
    const before = rt.frames.length;
    await new Promise((r) => setTimeout(r, 100));
    const settled = rt.frames.length;
    await new Promise((r) => setTimeout(r, 200));
    expect(rt.frames.length).toBe(settled);
    expect(settled - before).toBeLessThan(20);
  });

  it('places an order without returning an order number, then sends order and balance on /ws/execution', async () => {
    const { base, ws, sim } = await start();
    const ex = await client(`${ws}/ws/execution`);
    await ex.next((f) => f.type === 'dashboard', 'the snapshot sent on connect');
    const body = { AccountNo: sim.account.accountNo, StockCode: '005930', OrderType: 1, Quantity: 3, Price: 0, QuoteType: '03' };
    const placed = await call(`${base}/api/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(placed).toEqual({ status: 200, body: { Success: true, Message: 'OK', Data: 'Order Sent' } });
    const accepted = await ex.next((f) => f.type === 'order' && (f.data as Record<string, string>)['913'] === '접수', '접수');
    expect(accepted).not.toHaveProperty('code');
    expect(accepted.data).toMatchObject({ gubun: '0', '9201': sim.account.accountNo, '9001': 'A005930', '900': '3', '905': '+매수', '9203': expect.stringMatching(/^\d{7}$/) });
    const filled = await ex.next((f) => f.type === 'order' && (f.data as Record<string, string>)['913'] === '체결' && (f.data as Record<string, string>)['911'] === '3', 'the last 체결');
    const balance = await ex.next((f) => f.type === 'balance', 'a balance frame');
    expect(ex.frames.indexOf(balance)).toBeGreaterThan(ex.frames.indexOf(accepted));
    expect(filled.data).toHaveProperty('10');
    expect(balance.data).toMatchObject({ gubun: '1', '9001': 'A005930', '930': '3' });
    // Cancel (3) needs the original order number the bridge never sends: it fails.
    const cancel = await call(`${base}/api/orders`, { method: 'POST', body: JSON.stringify({ ...body, OrderType: 3 }) });
    expect(cancel.body).toMatchObject({ Success: false, Message: expect.stringMatching(/^Order Failed: /) });
    // client_kit's camelCase binds too.
    const camel = await call(`${base}/api/orders`, {
      method: 'POST',
      body: JSON.stringify({ accountNo: sim.account.accountNo, stockCode: '000660', orderType: 1, quantity: 1, price: 0, quoteType: '03' }),
    });
    expect(camel.body.Data).toBe('Order Sent');
  });

  it('lists, searches and runs conditions live with enter/exit frames on /ws/realtime', async () => {
    const { base, ws } = await start();
    expect((await call(`${base}/api/conditions`)).body.Data).toEqual([
      { Index: 0, Name: '상승종목' },
      { Index: 1, Name: '하락종목' },
    ]);
    const search = await call(`${base}/api/conditions/search?name=${encodeURIComponent('상승종목')}&index=0`);
    expect(search.body.Data).toMatchObject({ Codes: expect.any(Array), Stocks: [], Cached: false });
    const rt = await client(`${ws}/ws/realtime`);
    const started = await call(`${base}/api/conditions/start?name=${encodeURIComponent('상승종목')}&index=0&screen=9001`);
    expect(started.body.Data).toMatchObject({ Name: '상승종목', Index: 0, Screen: '9001' });
    const hit = await rt.next((f) => f.type === 'condition', 'a condition frame');
    expect(hit).toMatchObject({ code: expect.stringMatching(/^\d{6}$/), data: { condition_name: '상승종목', condition_index: 0, state: expect.stringMatching(/^(enter|exit)$/) } });
    expect((await call(`${base}/api/conditions/search?name=x&index=7`)).body.Success).toBe(false);
  });

  it('fault switches: drop sockets, raw text, stop answering', async () => {
    const { sim, base, ws } = await start();
    const rt = await client(`${ws}/ws/realtime`);
    const ex = await client(`${ws}/ws/execution`);
    sim.sendRaw('realtime', '{"type":"tick",');
    await rt.next((f) => f.raw === '{"type":"tick",', 'the malformed text');
    sim.dropSockets();
    await waitFor(() => rt.closed && ex.closed, 'both sockets closed');
    sim.silent = true;
    await expect(fetch(`${base}/api/status`, { signal: AbortSignal.timeout(200) })).rejects.toThrow();
  });
});
