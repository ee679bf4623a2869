/**
 * The adapter against the bridge simulator over real HTTP and WebSockets on 127.0.0.1, with the market engine
 * on a fast fake clock. One test goes through the real relay and a Socket.IO client to prove seq is gapless.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  balanceSchema,
  hogaSchema,
  orderSchema,
  tickSchema,
  type BalanceEvent,
  type ConditionEvent,
  type FeedState,
  type HogaEvent,
  type Market,
  type OrderEvent,
  type TickEvent,
} from '../../../lib/contracts';
import { loadConfig } from '../../config';
import { silentLogger } from '../../logger';
import { FeedError, type Feed, type FeedSink, type Unstamped } from '../../relay/feed';
import { connectClient, request } from '../../relay/test-socket';
import { startSiseServer } from '../../sise-server';
import type { AccountSession } from '../account-session';
import { KiwoomBridgeAdapter, type KiwoomBridgeAdapterOptions } from './adapter';
import { KiwoomBridgeSimulator, type KiwoomBridgeSimulatorOptions } from './simulator';
import { drivenEngine, HYNIX, SAMSUNG, waitFor } from './test-helpers';

function recordingSink() {
  const rec = {
    ticks: [] as Unstamped<TickEvent>[],
    hogas: [] as Unstamped<HogaEvent>[],
    orders: [] as Unstamped<OrderEvent>[],
    balances: [] as Unstamped<BalanceEvent>[],
    conditions: [] as Unstamped<ConditionEvent>[],
    /** Every account event in arrival order. */
    account: [] as Array<{ kind: 'order' | 'balance'; event: Unstamped<OrderEvent> | Unstamped<BalanceEvent> }>,
    states: [] as Array<{ state: FeedState; detail: string | null }>,
  };
  const sink: FeedSink = {
    tick: (e) => rec.ticks.push(e),
    hoga: (e) => rec.hogas.push(e),
    order: (e) => {
      rec.orders.push(e);
      rec.account.push({ kind: 'order', event: e });
    },
    balance: (e) => {
      rec.balances.push(e);
      rec.account.push({ kind: 'balance', event: e });
    },
    condition: (e) => rec.conditions.push(e),
    state: (_feed, state, detail) => rec.states.push({ state, detail }),
  };
  return { sink, rec };
}

let cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

/** Short timers so reconnects and timeouts happen in milliseconds. */
const FAST: Partial<KiwoomBridgeAdapterOptions> = { reconnectBaseMs: 20, reconnectMaxMs: 100, loginRetryMs: 100, orderAckTimeoutMs: 3_000 };

async function harness(opts: { sim?: Partial<KiwoomBridgeSimulatorOptions>; adapter?: Partial<KiwoomBridgeAdapterOptions>; start?: boolean } = {}) {
  const driven = drivenEngine();
  const engine = driven.engine;
  const sim = new KiwoomBridgeSimulator({ engine, ...opts.sim });
  const { baseUrl } = await sim.start();
  const adapter = new KiwoomBridgeAdapter({
    baseUrl,
    logger: silentLogger,
    realMoney: false,
    allowRealOrders: false,
    knows: (symbol) => engine.instrument(symbol) !== undefined,
    ...FAST,
    ...opts.adapter,
  });
  cleanup.push(() => driven.stop(), () => sim.stop(), () => adapter.stop());
  const { sink, rec } = recordingSink();
  if (opts.start !== false) {
    await adapter.start(sink);
    await waitFor(() => adapter.state() === 'connected', 'the bridge session');
  }
  return { engine, sim, adapter, sink, rec, baseUrl, stopDriver: driven.stop };
}

async function account(adapter: KiwoomBridgeAdapter): Promise<AccountSession> {
  const accounts = await adapter.discoverAccounts();
  expect(accounts.map((a) => a.accountId)).toEqual(['kiwoom-bridge:8012345611']);
  return accounts[0]!;
}

describe('KiwoomServer bridge adapter', () => {
  it('ticks and hoga from /ws/realtime reach a browser through the relay with consecutive seq', async () => {
    const driven = drivenEngine();
    const sim = new KiwoomBridgeSimulator({ engine: driven.engine });
    const { baseUrl } = await sim.start();
    const feed = new KiwoomBridgeAdapter({ baseUrl, logger: silentLogger, realMoney: false, allowRealOrders: false, knows: (s) => driven.engine.instrument(s) !== undefined, ...FAST });
    const server = await startSiseServer({
      config: loadConfig({ PORT: '0', HOST: '127.0.0.1', SIM: 'on' }),
      logger: silentLogger,
      web: false,
      engine: driven.engine,
      store: false,
      startEngine: false,
      feeds: () => ({ feeds: [feed], preference: new Map<Market, Feed[]>([['KRX', [feed]], ['UPBIT', []], ['BO', []]]) }),
    });
    const client = await connectClient(server.url);
    cleanup.push(() => driven.stop(), () => sim.stop(), () => server.close(), () => void client.disconnect());
    const events: Array<TickEvent | HogaEvent> = [];
    client.on('tick', (t) => t.symbol === SAMSUNG && events.push(t));
    client.on('hoga', (h) => h.symbol === SAMSUNG && events.push(h));
    await waitFor(() => feed.state() === 'connected', 'the bridge session');
    expect((await request(client, 'subscribe', { symbols: [SAMSUNG] })).results[0]).toMatchObject({ ok: true });
    await waitFor(() => events.filter((e) => 'price' in e).length >= 3 && events.filter((e) => 'asks' in e).length >= 3, '3 ticks and 3 hogas');
    for (const e of events) {
      expect(e.source).toBe('kiwoom-bridge');
      if ('price' in e) tickSchema.parse(e);
      else hogaSchema.parse(e);
    }
    for (let i = 1; i < events.length; i++) expect(events[i]!.seq).toBe(events[i - 1]!.seq + 1);
  });

  it('an order placed through the adapter produces order then balance events from /ws/execution', async () => {
    const { adapter, rec } = await harness();
    const session = await account(adapter);
    expect(session.capabilities).toEqual({ cancel: false, modify: false, realMoney: false });
    const { orderId } = await session.placeOrder({ symbol: SAMSUNG, side: 'buy', type: 'market', qty: 2 });
    expect(orderId).toMatch(/^\d{7}$/);
    await waitFor(() => rec.balances.some((b) => b.holdings[0]?.symbol === SAMSUNG), 'the balance event');
    const mine = rec.account.filter((a) => a.kind === 'balance' || (a.event as OrderEvent).orderId === orderId);
    expect(mine[0]).toMatchObject({ kind: 'order', event: { status: 'accepted', qty: 2, side: 'buy', type: 'market', accountId: 'kiwoom-bridge:8012345611' } });
    const firstBalance = mine.findIndex((a) => a.kind === 'balance');
    expect(mine.slice(0, firstBalance).some((a) => (a.event as OrderEvent).lastFill !== null)).toBe(true);
    for (const a of rec.account) (a.kind === 'order' ? orderSchema : balanceSchema).parse({ ...a.event, seq: 0 });
    await waitFor(() => rec.orders.some((o) => o.orderId === orderId && o.status === 'filled'), 'the fill');
    const fills = rec.orders.filter((o) => o.orderId === orderId && o.lastFill).reduce((n, o) => n + o.lastFill!.qty, 0);
    expect(fills).toBe(2);
    const snapshot = await session.balance();
    expect(snapshot).toMatchObject({ full: true, holdings: [{ symbol: SAMSUNG, qty: '2' }] });
    await expect(session.cancelOrder(orderId)).rejects.toMatchObject({ code: 'NOT_SUPPORTED', message: expect.stringMatching(/cannot cancel/) });
  });

  it('a refused order rejects with the bridge reason; real-money orders need ALLOW_REAL_ORDERS', async () => {
    const { adapter, engine, baseUrl } = await harness();
    const session = await account(adapter);
    const upper = engine.state(SAMSUNG)!.upperLimit!;
    const refused = session.placeOrder({ symbol: SAMSUNG, side: 'buy', type: 'limit', qty: 1, price: upper * 2 });
    await expect(refused).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/Order Failed/) });
    const real = new KiwoomBridgeAdapter({ baseUrl, logger: silentLogger, realMoney: true, allowRealOrders: false });
    const [realSession] = await real.discoverAccounts();
    await expect(realSession!.placeOrder({ symbol: SAMSUNG, side: 'buy', type: 'market', qty: 1 })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('both sockets dropped → resumed, registrations replayed and orders and balance reconciled over REST', async () => {
    const { adapter, sim, engine, rec } = await harness();
    const session = await account(adapter);
    await adapter.subscribe(SAMSUNG);
    await waitFor(() => rec.ticks.length > 0, 'ticks before the drop');
    const lower = engine.state(SAMSUNG)!.lowerLimit!;
    const { orderId } = await session.placeOrder({ symbol: SAMSUNG, side: 'buy', type: 'limit', qty: 1, price: lower });
    const requestsBefore = sim.requests.length;
    const ordersBefore = rec.orders.length;
    const balancesBefore = rec.balances.length;
    sim.dropSockets();
    await waitFor(() => adapter.reconnects.realtime >= 1 && adapter.reconnects.execution >= 1, 'both sockets back');
    await waitFor(() => rec.balances.slice(balancesBefore).some((b) => b.full), 'the reconciled balance');
    // The two sockets reconcile independently: wait for both to have made their REST calls before asserting.
    const reconciledCalls = ['/api/accounts/orders', '/api/accounts/balance', '/api/accounts/deposit', '/api/realtime/subscribe'];
    await waitFor(() => reconciledCalls.every((path) => sim.requests.slice(requestsBefore).includes(path)), 'every reconciling REST call');
    await waitFor(() => rec.orders.slice(ordersBefore).some((o) => o.orderId === orderId), 'the working order re-published');
    const after = sim.requests.slice(requestsBefore);
    expect(after).toEqual(expect.arrayContaining(reconciledCalls));
    expect(rec.orders.slice(ordersBefore)).toEqual(expect.arrayContaining([expect.objectContaining({ orderId, status: 'accepted', remainingQty: 1 })]));
    expect(rec.states.some((s) => s.state === 'reconnecting')).toBe(true);
    await waitFor(() => adapter.state() === 'connected', 'connected again');
    const ticksAfter = rec.ticks.length;
    await waitFor(() => rec.ticks.length > ticksAfter, 'ticks after the drop');
    expect(adapter.counters.reconciliations).toBeGreaterThanOrEqual(1);
  });

  it('malformed JSON and unknown message types are counted and dropped, and the stream goes on', async () => {
    const { adapter, sim, rec } = await harness();
    await adapter.subscribe(HYNIX);
    sim.sendRaw('realtime', '{"type":"tick","code":');
    sim.sendRaw('realtime', 'not json at all');
    sim.sendRaw('execution', '{"type":"order","timestamp":"20240205120003","data":{"9203":"1"}}');
    sim.sendRaw('realtime', '{"type":"주식시세","code":"000660","timestamp":"20240205120000","data":{"10":"1"}}');
    sim.sendRaw('execution', '{"type":"unknown","timestamp":"20240205120000","data":{"gubun":"4"}}');
    await waitFor(() => adapter.counters.malformed === 3 && adapter.counters.unknownType === 2, 'the counters');
    const ticks = rec.ticks.length;
    await waitFor(() => rec.ticks.length > ticks, 'ticks after the bad frames');
    expect(adapter.state()).toBe('connected');
  });

  it('logs a logged-out bridge in; a login timeout is a down state that says why', async () => {
    const loggedOut = await harness({ sim: { loggedIn: false } });
    expect(loggedOut.sim.loggedIn).toBe(true);
    expect(loggedOut.sim.requests).toContain('/api/auth/login');

    const { adapter, sim, rec, sink } = await harness({ sim: { loggedIn: false, loginTimeoutMs: 30 }, start: false });
    sim.loginTimesOut = true;
    await adapter.start(sink);
    expect(adapter.state()).toBe('down');
    expect(rec.states.at(-1)?.detail).toMatch(/Login Timeout/);
    await expect(adapter.subscribe('KRX:999999' as never)).rejects.toBeInstanceOf(FeedError);
    await adapter.subscribe(SAMSUNG);
    sim.loginTimesOut = false;
    await waitFor(() => adapter.state() === 'connected', 'the retried login');
    await waitFor(() => rec.ticks.some((t) => t.symbol === SAMSUNG), 'ticks for the symbol asked while down');
  });

  it('a bridge that logs out mid-session is noticed on the next REST answer and logged in again', async () => {
    const { adapter, sim, rec } = await harness();
    const session = await account(adapter);
    sim.loggedIn = false;
    await expect(session.balance()).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', message: expect.stringMatching(/not logged in/) });
    await waitFor(() => sim.loggedIn && adapter.state() === 'connected', 'logged in again');
    expect(rec.states.some((s) => s.state === 'reconnecting' && /logged out/.test(s.detail ?? ''))).toBe(true);
    expect((await session.balance()).full).toBe(true);
  });

  it('a bridge that stops answering gives typed errors, not hangs', async () => {
    const { adapter, sim } = await harness({ adapter: { requestTimeoutMs: 200 } });
    const session = await account(adapter);
    sim.silent = true;
    await expect(session.balance()).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', message: expect.stringMatching(/did not answer/) });
  });

  it('condition search: list, run, and live inserts under kiwoom-bridge:<index>', async () => {
    const h = await harness();
    const { adapter, rec } = h;
    expect(await adapter.listConditions()).toEqual([
      { id: '0', name: '상승종목' },
      { id: '1', name: '하락종목' },
    ]);
    const hits = await adapter.runCondition('0');
    for (const hit of hits) expect(hit.symbol).toMatch(/^KRX:\d{6}$/);
    const live = await adapter.startLiveCondition('0');
    expect(live.conditionKey).toBe('kiwoom-bridge:0');
    await waitFor(() => rec.conditions.length > 0, 'a live condition event');
    expect(rec.conditions[0]).toMatchObject({ conditionKey: 'kiwoom-bridge:0', source: 'kiwoom-bridge' });
    // Membership changes while /ws/realtime is down are made up by a fresh search after it is back.
    const { engine, sim } = h;
    h.stopDriver();
    sim.dropSockets();
    for (let i = 0; i < 400; i++) engine.step(50);
    await waitFor(() => adapter.reconnects.realtime >= 1, 'the realtime socket back');
    const search = async () => {
      const data = (await (await fetch(`${h.baseUrl}/api/conditions/search?name=${encodeURIComponent('상승종목')}&index=0`)).json()) as { Data: { Codes: string[] } };
      return data.Data.Codes.sort();
    };
    const expected = await search();
    await waitFor(() => JSON.stringify(adapter.conditionCodes('0')) === JSON.stringify(expected), 'the resynced members');
    await adapter.stopLiveCondition('0');
    await expect(adapter.startLiveCondition('9')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
