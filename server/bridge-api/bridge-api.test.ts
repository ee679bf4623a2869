/**
 * A client written to the KiwoomServer bridge's documented format (protocol reference §8, §11.5) — plain fetch
 * and `ws` — against Sise's `/bridge/` API over real sockets, with the first admin's token (SISE_API_TOKEN).
 * What other users' tokens may and may not see: token-rights.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { loadConfig } from '../config';
import { silentLogger } from '../logger';
import { startSiseServer } from '../sise-server';
import { STORE_BACKENDS } from '../store/test-backends';
import { call, frameLog, marketBuy, open, upgradeStatus } from './test-bridge-client';
import { ADMIN_TOKEN as TOKEN, startBridgeTestServer, type BridgeTestServer } from './test-bridge-server';

describe('bridge-compatible API', () => {
  let sise: BridgeTestServer;
  let base: string; // what a client_kit tool is given: http://host:port/bridge/<token>
  let wsBase: string;
  let headerBase: string;
  const sockets: WebSocket[] = [];

  beforeAll(async () => {
    sise = await startBridgeTestServer();
    base = `${sise.url}/bridge/${TOKEN}`;
    wsBase = `${sise.url.replace('http', 'ws')}/bridge/${TOKEN}`;
    headerBase = `${sise.url}/bridge`;
  }, 60_000);

  afterAll(async () => {
    for (const ws of sockets) ws.terminate();
    await sise?.close();
  });

  it('answers status and the account TRs in the bridge wrapper', async () => {
    const status = await call(`${base}/api/status`);
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({ Success: true, Message: 'OK', Data: { IsLoggedIn: true, ServerName: null } });
    const accountNo = (status.body.Data as { AccountNo: string }).AccountNo;
    expect(accountNo).not.toBe('');

    // Header form of the token, and the alias route.
    const viaHeader = await call(`${headerBase}/api/system/status`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(viaHeader.body).toMatchObject({ Success: true, Data: { AccountNo: accountNo } });

    const balance = await call(`${base}/api/accounts/balance?accountNo=${encodeURIComponent(accountNo)}&pass=`);
    expect(balance.status).toBe(200);
    expect(balance.body.Success).toBe(true);
    const rows = balance.body.Data as Array<Record<string, string>>;
    expect(rows[0]).toMatchObject({ ROW_TYPE: 'SUMMARY' });
    expect(Object.keys(rows[0]!)).toEqual(expect.arrayContaining(['총매입금액', '총평가금액', '총평가손익금액', '예수금']));

    const deposit = await call(`${base}/api/accounts/deposit?accountNo=${encodeURIComponent(accountNo)}`);
    expect(deposit.body.Success).toBe(true);
    expect((deposit.body.Data as Array<Record<string, string>>)[0]).toEqual({
      예수금: expect.stringMatching(/^\d/),
      출금가능금액: expect.any(String),
      주문가능금액: expect.any(String),
    });

    const orders = await call(`${base}/api/accounts/orders?accountNo=${encodeURIComponent(accountNo)}`);
    expect(orders.body).toMatchObject({ Success: true, Message: 'OK' });
    expect(Array.isArray(orders.body.Data)).toBe(true);

    const conditions = await call(`${base}/api/conditions`);
    expect(conditions.body.Success).toBe(true);
    expect(Array.isArray(conditions.body.Data)).toBe(true);
  });

  it('streams ticks of a KIS-simulated symbol and an execution event for a paper order placed over REST', async () => {
    const realtime = await open(`${wsBase}/ws/realtime`); // token in the path, as client_kit's base URL carries it
    const execution = await open(`${headerBase.replace('http', 'ws')}/ws/execution`, { authorization: `Bearer ${TOKEN}` });
    sockets.push(realtime, execution);
    const ticks = frameLog(realtime);
    const executions = frameLog(execution);

    expect(sise.router.route('KRX:005930' as never)).toMatchObject({ ok: true, feed: { id: 'kis' } });
    const sub = await call(`${base}/api/realtime/subscribe?codes=005930&screen=1000`);
    expect(sub.body).toMatchObject({ Success: true, Data: { Screen: '1000', Codes: '005930' } });

    const tick = await ticks.next((f) => f.type === 'tick' && f.code === '005930');
    expect(tick.timestamp).toMatch(/^\d{14}$/);
    expect(tick.data).toMatchObject({ current_price: expect.any(Number), volume: expect.any(Number), time: expect.stringMatching(/^\d{6}$/) });
    await ticks.next((f) => f.type === 'hoga' && f.code === '005930' && typeof f.data.ask_price_1 === 'number');

    const { AccountNo } = (await call(`${base}/api/status`)).body.Data as { AccountNo: string };
    const placed = await marketBuy(base, AccountNo);
    expect(placed.body).toEqual({ Success: true, Message: 'OK', Data: 'Order Sent' });

    const order = await executions.next((f) => f.type === 'order');
    expect(order).not.toHaveProperty('code');
    expect(order.timestamp).toMatch(/^\d{14}$/);
    expect(order.data).toMatchObject({ gubun: '0', '9001': expect.stringContaining('005930'), '9203': expect.any(String), '900': '1' });

    const unsub = await call(`${base}/api/realtime/unsubscribe?screen=1000`);
    expect(unsub.body).toMatchObject({ Success: true, Data: { Screen: '1000', Code: 'ALL' } });
  }, 40_000);

  it('lists, searches, starts and stops conditions; a live one sends condition frames on /ws/realtime', async () => {
    const realtime = await open(`${wsBase}/ws/realtime`);
    sockets.push(realtime);
    const frames = frameLog(realtime);
    const list = (await call(`${base}/api/conditions`)).body.Data as Array<{ Index: number; Name: string }>;
    const rising = list.find((c) => c.Name === '상승종목');
    expect(rising, JSON.stringify(list)).toBeDefined();
    const q = `name=${encodeURIComponent(rising!.Name)}&index=${rising!.Index}`;

    const search = await call(`${base}/api/conditions/search?${q}`);
    expect(search.body).toMatchObject({ Success: true, Data: { Codes: expect.any(Array), Stocks: [], Cached: false, Screen: '9001' } });
    const start = await call(`${base}/api/conditions/start?${q}&screen=9002`);
    expect(start.body).toEqual({ Success: true, Message: 'OK', Data: { Name: '상승종목', Index: rising!.Index, Screen: '9002', Ret: 1 } });

    const frame = await frames.next((f) => f.type === 'condition');
    expect(frame).toMatchObject({ code: expect.stringMatching(/^\d{6}$/), timestamp: expect.stringMatching(/^\d{14}$/), data: { condition_name: '상승종목', condition_index: rising!.Index, state: expect.stringMatching(/^(enter|exit)$/) } });

    const stop = await call(`${base}/api/conditions/stop?${q}`);
    expect(stop.body).toMatchObject({ Success: true, Data: { Name: '상승종목', Index: rising!.Index } });
  }, 30_000);

  it('refuses everything without the right token: REST 401, socket upgrade 401', async () => {
    const root = sise.url;
    for (const url of [`${root}/bridge/api/status`, `${root}/bridge/wrong-token-0123456789abcdef/api/status`, `${root}/bridge/${TOKEN}x/api/accounts/balance`]) {
      const res = await fetch(url);
      expect(res.status, url).toBe(401);
      expect(await res.json()).toMatchObject({ Success: false, Data: null });
    }
    const wrongHeader = await fetch(`${root}/bridge/api/status`, { headers: { authorization: 'Bearer nope' } });
    expect(wrongHeader.status).toBe(401);
    // The message says what to do: where a token goes when there is none, that it is dead when it is wrong.
    expect(((await wrongHeader.json()) as { Message: string }).Message).toMatch(/unknown or revoked/);
    const none = (await call(`${root}/bridge/api/status`)).body.Message;
    expect(none).toMatch(/\/bridge\/<token>/);
    expect(none).toMatch(/Bearer/);

    const ws = root.replace('http', 'ws');
    expect(await upgradeStatus(`${ws}/bridge/ws/realtime`)).toBe(401);
    expect(await upgradeStatus(`${ws}/bridge/ws/execution`, { authorization: 'Bearer wrong' })).toBe(401);
    expect(await upgradeStatus(`${ws}/bridge/not-the-token-0123456789ab/ws/realtime`)).toBe(401);
    // The right token opens it, so the refusals above were about the token.
    expect(await upgradeStatus(`${ws}/bridge/${TOKEN}/ws/execution`)).toBe(101);
  });

  it('answers malformed requests with the failure wrapper and keeps serving', async () => {
    const post = (body: string) => call(`${base}/api/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const notJson = await post('{"AccountNo": ');
    expect(notJson.status).toBe(400);
    expect(notJson.body).toEqual({ Success: false, Message: 'Order Failed: body is not JSON', Data: null });
    expect((await post('[1,2]')).body).toMatchObject({ Success: false, Message: 'Order Failed: body is not a JSON object' });
    expect((await post(JSON.stringify({ StockCode: '005930', OrderType: 9, Quantity: 1 }))).body.Message).toMatch(/^Order Failed: OrderType/);
    expect((await post(JSON.stringify({ StockCode: '005930', OrderType: 3, Quantity: 1, Price: 1 }))).body.Message).toMatch(/cancel and modify/);
    expect((await post(JSON.stringify({ StockCode: 'abc', OrderType: 1, Quantity: 1, Price: 1 }))).body.Success).toBe(false);
    expect((await post(JSON.stringify({ StockCode: '005930', OrderType: 1, Quantity: -1, Price: 1 }))).body.Message).toMatch(/Quantity/);
    expect((await post(JSON.stringify({ StockCode: '005930', OrderType: 1, Quantity: 1, QuoteType: '00' }))).body.Message).toMatch(/Price/);

    const unknownAccount = await call(`${base}/api/accounts/balance?accountNo=0000000000`);
    expect(unknownAccount).toEqual({ status: 400, body: { Success: false, Message: 'Unknown account: 0000000000', Data: null } });
    expect((await call(`${base}/api/realtime/subscribe?codes=`)).body).toEqual({ Success: false, Message: 'codes is required', Data: null });
    expect((await call(`${base}/api/realtime/subscribe?codes=KRX:99999X`)).body.Success).toBe(false);
    expect((await call(`${base}/api/conditions/search?name=nothing&index=987`)).body).toMatchObject({ Success: false, Message: 'Unknown condition: nothing^987' });
    expect(await call(`${base}/api/nowhere`)).toEqual({ status: 404, body: { Success: false, Message: 'Not Found', Data: null } });
    expect((await call(`${base}/api/orders`)).status).toBe(404); // the order route is POST only
    expect((await fetch(`${base}/api/status`, { method: 'OPTIONS' })).status).toBe(204);

    const upgrade = await upgradeStatus(`${wsBase}/ws/elsewhere`);
    expect(upgrade).toBe(404);
    // Still serving after all that.
    expect((await call(`${base}/api/status`)).body.Success).toBe(true);
  });

  it('does not take Sise\'s own /api/ or Socket.IO paths', async () => {
    const res = await fetch(`${sise.url}/api/status`);
    expect(res.status).toBe(404); // the next handler's answer: the bridge API did not take it
    expect(await res.json()).not.toHaveProperty('Success');
  });
});

describe('bridge-compatible API as server/sise-server.ts wires it', () => {
  it('opens with SISE_API_TOKEN as the first admin\'s token, and refuses any other', async () => {
    const backend = await STORE_BACKENDS[0]!.make();
    const config = loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      SIM: 'on',
      DATA_DIR: backend.dataDir,
      SISE_ADMIN_EMAIL: 'admin@sise.test',
      SISE_ADMIN_PASSWORD: 'correct horse battery staple',
      SISE_API_TOKEN: TOKEN,
    });
    const sise = await startSiseServer({ config, logger: silentLogger, web: false });
    try {
      const status = await call(`${sise.url}/bridge/${TOKEN}/api/status`);
      expect(status.body).toMatchObject({ Success: true, Data: { IsLoggedIn: true, Accounts: expect.arrayContaining(['50012345-01']) } });
      expect((await call(`${sise.url}/bridge/${TOKEN}x/api/status`)).status).toBe(401);
      expect(await upgradeStatus(`${sise.url.replace('http', 'ws')}/bridge/${TOKEN}/ws/execution`)).toBe(101);
    } finally {
      await sise.close();
      await backend.dispose();
    }
  }, 60_000);
});
