/**
 * The adapter against the simulator over real sockets on 127.0.0.1. The market engine runs on a fake clock
 * stepped quickly, so condition scanners warm up in well under a second of wall time.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import {
  balanceSchema,
  conditionSchema,
  hogaSchema,
  orderSchema,
  tickSchema,
  type BalanceEvent,
  type ConditionEvent,
  type FeedState,
  type HogaEvent,
  type OrderEvent,
  type SymbolId,
  type TickEvent,
} from '../../../lib/contracts';
import { silentLogger } from '../../logger';
import { MarketEngine } from '../../market/market-engine';
import { FeedError, type FeedSink, type Unstamped } from '../../relay/feed';
import { KiwoomAdapter, type KiwoomAdapterOptions } from './adapter';
import { encodeServerFrame, type RealItem } from './codec';
import { KiwoomSimulator, type KiwoomSimulatorOptions } from './simulator';
import { waitFor } from './test-helpers';

const SAMSUNG: SymbolId = 'KRX:005930';
const HYNIX: SymbolId = 'KRX:000660';
const SYMBOLS: SymbolId[] = [SAMSUNG, HYNIX, 'KRX:035720', 'KRX:005380', 'KRX:035420', 'KRX:068270'];
const ENGINE_STEP_MS = 50;
/** Wall-clock period of the fast engine driver: 50 ms of market per 5 ms of test. */
const DRIVER_PERIOD_MS = 5;

function recordingSink() {
  const rec = {
    ticks: [] as Unstamped<TickEvent>[],
    hogas: [] as Unstamped<HogaEvent>[],
    orders: [] as Unstamped<OrderEvent>[],
    balances: [] as Unstamped<BalanceEvent>[],
    conditions: [] as Unstamped<ConditionEvent>[],
    states: [] as Array<{ state: FeedState; detail: string | null }>,
  };
  const sink: FeedSink = {
    tick: (e) => rec.ticks.push(e),
    hoga: (e) => rec.hogas.push(e),
    order: (e) => rec.orders.push(e),
    balance: (e) => rec.balances.push(e),
    condition: (e) => rec.conditions.push(e),
    state: (_feed, state, detail) => rec.states.push({ state, detail }),
  };
  return { sink, rec };
}

interface Harness {
  engine: MarketEngine;
  sim: KiwoomSimulator;
  adapter: KiwoomAdapter;
  rec: ReturnType<typeof recordingSink>['rec'];
  stop(): Promise<void>;
}

let harness: Harness | null = null;

async function start(opts: { sim?: Partial<KiwoomSimulatorOptions>; adapter?: Partial<KiwoomAdapterOptions>; drive?: boolean } = {}): Promise<Harness> {
  let now = Date.now();
  const engine = new MarketEngine({ seed: 5, alwaysOpen: true, activity: 2, now: () => now, symbols: SYMBOLS });
  const driver = opts.drive === false ? null : setInterval(() => {
    now += ENGINE_STEP_MS;
    engine.step(ENGINE_STEP_MS);
  }, DRIVER_PERIOD_MS);
  const sim = new KiwoomSimulator({ engine, ...opts.sim });
  const urls = await sim.start();
  const adapter = new KiwoomAdapter({
    ...urls,
    appKey: sim.appKey,
    secretKey: sim.secretKey,
    logger: silentLogger,
    knows: (symbol) => engine.instrument(symbol) !== undefined,
    nameOf: (symbol) => engine.instrument(symbol)?.name ?? null,
    reconnectBaseDelayMs: 20,
    reconnectMaxDelayMs: 200,
    requestTimeoutMs: 3_000,
    pageDelayMs: 1,
    rateLimitBackoffMs: 5,
    ...opts.adapter,
  });
  const { sink, rec } = recordingSink();
  await adapter.discoverAccounts().catch(() => []);
  await adapter.start(sink);
  harness = {
    engine,
    sim,
    adapter,
    rec,
    async stop() {
      if (driver) clearInterval(driver);
      await adapter.stop();
      await sim.stop();
    },
  };
  return harness;
}

const connected = (h: Harness) => waitFor(() => h.adapter.state() === 'connected', 'adapter connected');
const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8').trim();

afterEach(async () => {
  await harness?.stop();
  harness = null;
});

describe('Kiwoom adapter ↔ simulator: quotes', () => {
  it('logs in, registers per group, and maps a REAL frame with two items to two ticks', async () => {
    const h = await start({ drive: false });
    await connected(h);
    await h.adapter.subscribe(SAMSUNG);
    await h.adapter.subscribe(HYNIX);
    expect(h.sim.registrations()['0B']).toEqual(['000660', '005930']);
    const trade = (JSON.parse(fixture('real-0B.json')) as { data: RealItem[] }).data[0]!;
    h.sim.sendRaw(encodeServerFrame({ trnm: 'REAL', data: [trade, { ...trade, item: '000660', values: { ...trade.values, '10': '+21000', '11': '+150', '12': '+0.72', '25': '2' } }] }));
    await waitFor(() => h.rec.ticks.length === 2, 'two ticks');
    const [a, b] = h.rec.ticks;
    expect(a).toMatchObject({ symbol: SAMSUNG, price: 20800, sign: 'down', change: -50, prevClose: 20850, source: 'kiwoom' });
    expect(b).toMatchObject({ symbol: HYNIX, price: 21000, sign: 'up', change: 150 });
    for (const tick of h.rec.ticks) expect(tickSchema.safeParse({ ...tick, seq: 1 }).success).toBe(true);
  });

  it('streams engine trades and 10-level books for subscribed symbols only; unsubscribe stops them', async () => {
    const h = await start();
    await connected(h);
    await h.adapter.subscribe(SAMSUNG);
    await waitFor(() => h.rec.ticks.length > 3 && h.rec.hogas.length > 3, 'ticks and hogas');
    expect(new Set([...h.rec.ticks, ...h.rec.hogas].map((e) => e.symbol))).toEqual(new Set([SAMSUNG]));
    const hoga = h.rec.hogas.at(-1)!;
    expect(hoga.asks).toHaveLength(10);
    expect(hoga.bids).toHaveLength(10);
    expect(hogaSchema.safeParse({ ...hoga, seq: 1 }).success).toBe(true);
    const tick = h.rec.ticks.at(-1)!;
    const last = h.engine.state(SAMSUNG)!.lastTrade!;
    expect(tick.price).toBeGreaterThan(0);
    expect(tick.prevClose).toBe(last.prevClose);
    await h.adapter.unsubscribe(SAMSUNG);
    await waitFor(() => h.sim.registrations()['0B'] === undefined, 'REMOVE applied');
  });

  it('refuses unknown symbols and symbols past the limit, and reports a broker refusal as LIMIT_REACHED', async () => {
    const h = await start({ adapter: { maxSymbols: 3 }, sim: { groupItemLimit: 2 }, drive: false });
    await connected(h);
    await expect(h.adapter.subscribe('KRX:999999')).rejects.toMatchObject({ code: 'UNKNOWN_SYMBOL' });
    await h.adapter.subscribe(SAMSUNG);
    await h.adapter.subscribe(HYNIX);
    // The adapter's group holds 100, the simulator's 2: the broker refuses the third and the adapter says so.
    const refused = await h.adapter.subscribe('KRX:035720').then(() => null, (error: unknown) => error);
    expect(refused).toBeInstanceOf(FeedError);
    expect((refused as FeedError).code).toBe('LIMIT_REACHED');
    await h.adapter.subscribe('KRX:005380').catch(() => undefined);
    expect(h.adapter.subscriptions()).toEqual([SAMSUNG, HYNIX]);
    await h.adapter.subscribe('KRX:035420').catch(() => undefined);
    await h.adapter.subscribe('KRX:068270').catch(() => undefined);
    expect(h.adapter.subscriptions().length).toBeLessThanOrEqual(3);
  });

  it('after a dropped socket logs in again and resumes every registration and live condition', async () => {
    const h = await start();
    await connected(h);
    await h.adapter.subscribe(SAMSUNG);
    await h.adapter.subscribe(HYNIX);
    await h.adapter.startLiveCondition('1');
    expect(h.adapter.accounts).toHaveLength(1);
    const logins = h.sim.stats.logins;
    h.sim.dropConnections();
    await waitFor(() => h.rec.states.some((s) => s.state === 'reconnecting'), 'reconnecting state');
    await waitFor(() => h.sim.stats.logins > logins && h.adapter.state() === 'connected', 're-login');
    await waitFor(() => h.sim.liveConditions().includes('1'), 'live condition resumed');
    const regs = h.sim.registrations();
    expect(regs['0B']).toEqual(['000660', '005930']);
    expect(regs['0D']).toEqual(['000660', '005930']);
    expect(regs['00']).toEqual(['']);
    const ticksBefore = h.rec.ticks.length;
    await waitFor(() => h.rec.ticks.length > ticksBefore + 2, 'ticks after reconnect');
    // Reconnects reconcile balances over REST (pushes may have been missed).
    await waitFor(() => h.rec.balances.some((b) => b.full), 'balance reconcile');
    expect(h.rec.states.find((s) => s.state === 'reconnecting')!.detail).toMatch(/closed|socket/i);
  });

  it('answers PINGs, so the simulator never closes it for heartbeat', async () => {
    const h = await start({ sim: { pingIntervalMs: 30 }, drive: false });
    await connected(h);
    const logins = h.sim.stats.logins;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(h.sim.stats.logins).toBe(logins);
    expect(h.rec.states.filter((s) => s.state === 'reconnecting')).toHaveLength(0);
  });
});

describe('Kiwoom adapter ↔ simulator: tokens', () => {
  it('an expired token is renewed and the REST call retried once', async () => {
    const h = await start({ drive: false });
    await connected(h);
    const account = h.adapter.accounts[0]!;
    const issued = h.adapter.tokens.issued;
    h.sim.expireTokens();
    expect(await account.openOrders()).toEqual([]);
    expect(h.adapter.tokens.issued).toBe(issued + 1);
    expect(h.adapter.rest.stats.tokenRetries).toBe(1);
    // balance() calls kt00018 and kt00001 at once: each is retried once, and they share one new token.
    h.sim.expireTokens();
    const balance = await account.balance();
    expect(balance).toMatchObject({ accountId: 'kiwoom:5012345678', full: true, cash: { currency: 'KRW', deposit: '100000000' } });
    expect(balanceSchema.safeParse({ ...balance, seq: 1 }).success).toBe(true);
    expect(h.adapter.tokens.issued).toBe(issued + 2);
    expect(h.adapter.rest.stats.tokenRetries).toBe(3);
  });

  it('a LOGIN refused with CODE=8005 renews the token before logging in again', async () => {
    const h = await start({ drive: false });
    await connected(h);
    const issued = h.adapter.tokens.issued;
    h.sim.expireTokens();
    h.sim.dropConnections();
    await waitFor(() => h.rec.states.some((s) => /CODE=8005/.test(s.detail ?? '')), 'login refusal reported');
    await waitFor(() => h.adapter.state() === 'connected' && h.adapter.tokens.issued > issued, 'logged in with a new token');
  });

  it('renews the token before expiry, reading expires_dt as KST', async () => {
    // 610 s tokens renewed 600 s early: renewal is due ~10 s after issue; a fake clock jumps there.
    let now = Date.now();
    const h = await start({ sim: { tokenTtlMs: 610_000, now: () => now }, adapter: { now: () => now }, drive: false });
    await connected(h);
    const first = h.adapter.tokens.expiry;
    expect(first).toBeGreaterThan(now + 600_000);
    expect(first).toBeLessThanOrEqual(now + 610_000);
    now += 20_000;
    await h.adapter.tokens.get();
    expect(h.adapter.tokens.expiry).toBeGreaterThan(first);
  });

  it('a refused LOGIN is retried with back-off, and stop() revokes the token (au10002)', async () => {
    const h = await start({ drive: false });
    await connected(h);
    h.sim.failNextLogins(2);
    const logins = h.sim.stats.logins;
    h.sim.dropConnections();
    await waitFor(() => h.rec.states.filter((s) => /refused LOGIN/.test(s.detail ?? '')).length >= 2, 'two refusals reported');
    await waitFor(() => h.sim.stats.logins > logins && h.adapter.state() === 'connected', 'third LOGIN accepted');
    await h.adapter.stop();
    expect(h.sim.stats.tokensRevoked).toBe(1);
    expect(h.adapter.state()).toBe('down');
  });

  it('wrong credentials put the feed down with a clear detail, not a crash', async () => {
    const h = await start({ adapter: { secretKey: 'wrong' }, drive: false });
    await waitFor(() => h.rec.states.some((s) => s.state === 'down'), 'down state');
    expect(h.rec.states.find((s) => s.state === 'down')!.detail).toMatch(/app key|8001/i);
  });

  it('backs off on 1700 and then succeeds', async () => {
    const h = await start({ drive: false });
    await connected(h);
    h.sim.rateLimitNext(2);
    const orders = await h.adapter.accounts[0]!.openOrders();
    expect(orders).toEqual([]);
    expect(h.adapter.rest.stats.rateLimitWaits).toBe(2);
  });
});

describe('Kiwoom adapter ↔ simulator: conditions', () => {
  it('lists, runs once with names and prices, goes live with inserts and deletes, enforces the limit, stops', async () => {
    const h = await start({ adapter: { liveConditionLimit: 2 } });
    await connected(h);
    const list = await h.adapter.listConditions();
    expect(list.map((c) => c.name)).toEqual(['상승추세', '거래량급증', '신고가돌파', '골든크로스', '급등주']);
    const live = await h.adapter.startLiveCondition('1');
    expect(live.conditionKey).toBe('kiwoom:1');
    await h.adapter.startLiveCondition('2');
    await expect(h.adapter.startLiveCondition('3')).rejects.toMatchObject({ code: 'LIMIT_REACHED', message: expect.stringMatching(/at most 2/) });
    await waitFor(
      () => {
        const surge = h.rec.conditions.filter((c) => c.conditionKey === 'kiwoom:1');
        return surge.some((c) => c.action === 'insert') && surge.some((c) => c.action === 'delete');
      },
      'insert and delete for 거래량급증',
      20_000,
    );
    for (const event of h.rec.conditions) {
      expect(conditionSchema.safeParse({ ...event, seq: 1 }).success).toBe(true);
      expect(event.name).toBe(h.engine.instrument(event.symbol)!.name);
    }
    const hits = await h.adapter.runCondition('1');
    expect(hits.length).toBeGreaterThan(0);
    for (const hit of hits) {
      expect(hit.name).toBe(h.engine.instrument(hit.symbol)!.name);
      expect(hit.price).toBeGreaterThan(0);
    }
    await expect(h.adapter.runCondition('77')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await h.adapter.stopLiveCondition('1');
    expect(h.sim.liveConditions()).toEqual(['2']);
    expect(h.adapter.liveConditions()).toEqual(['2']);
  });
});

describe('Kiwoom adapter ↔ simulator: orders and balances', () => {
  it('places a market buy (00 accepted → filled, 04 balance), rests and cancels a limit order, lists and snapshots', async () => {
    const h = await start();
    await connected(h);
    const account = h.adapter.accounts[0]!;
    await waitFor(() => h.sim.registrations()['00'] !== undefined, 'account REG');
    await waitFor(() => h.engine.state(SAMSUNG)!.lastTrade !== null, 'a first trade');
    const { orderId } = await account.placeOrder({ symbol: SAMSUNG, side: 'buy', type: 'market', qty: 2 });
    await waitFor(() => h.rec.orders.some((o) => o.orderId === orderId && o.status === 'filled'), 'filled');
    const mine = h.rec.orders.filter((o) => o.orderId === orderId);
    expect(mine[0]!.status).toBe('accepted');
    for (const order of h.rec.orders) expect(orderSchema.safeParse({ ...order, seq: 1 }).success).toBe(true);
    await waitFor(() => h.rec.balances.some((b) => !b.full && b.holdings[0]?.symbol === SAMSUNG), '04 balance');
    const pushed = h.rec.balances.filter((b) => !b.full).at(-1)!;
    expect(pushed.holdings[0]!.qty).toBe('2');

    const low = h.engine.state(SAMSUNG)!.lowerLimit!;
    const resting = await account.placeOrder({ symbol: SAMSUNG, side: 'buy', type: 'limit', qty: 1, price: low });
    const open = await account.openOrders();
    expect(open.map((o) => o.orderId)).toContain(resting.orderId);
    await account.cancelOrder(resting.orderId);
    await waitFor(() => h.rec.orders.some((o) => o.origOrderId === resting.orderId && o.status === 'cancelled'), 'cancel confirmation');
    expect((await account.openOrders()).map((o) => o.orderId)).not.toContain(resting.orderId);

    const snapshot = await account.balance();
    expect(snapshot.holdings).toEqual([expect.objectContaining({ symbol: SAMSUNG, qty: '2' })]);
    expect(Number(snapshot.cash!.deposit)).toBeLessThan(100_000_000);
    await expect(account.cancelOrder('9999999')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(account.placeOrder({ symbol: SAMSUNG, side: 'buy', type: 'limit', qty: 1 })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(account.placeOrder({ symbol: 'UPBIT:KRW-BTC', side: 'buy', type: 'market', qty: 1 })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });
});

describe('Kiwoom adapter: robustness', () => {
  it('random and corrupted frames (fast-check) never crash it; it stays connected and keeps mapping good frames', async () => {
    const h = await start({ drive: false });
    await connected(h);
    await h.adapter.subscribe(SAMSUNG);
    const samples = ['real-0B.json', 'real-0D.json', 'real-00-filled.json', 'real-04.json', 'real-02-insert.json'].map(fixture);
    const corrupted = fc
      .tuple(fc.constantFrom(...samples), fc.nat(), fc.nat(), fc.string({ maxLength: 6 }))
      .map(([text, a, b, junk]) => {
        const i = a % text.length;
        return text.slice(0, i) + junk + text.slice(Math.min(text.length, i + (b % 16)));
      });
    const frames = fc.sample(fc.oneof(fc.string(), fc.json(), corrupted, fc.constantFrom('{"trnm":"REAL","data":[null]}', '{"trnm":"CNSRREQ","data":7}', '[]', '')), { numRuns: 400, seed: 42 });
    for (const frame of frames) h.sim.sendRaw(frame);
    const good = fixture('real-0B.json');
    h.sim.sendRaw(good);
    await waitFor(() => h.rec.ticks.some((t) => t.price === 20800), 'a good frame after the junk');
    expect(h.adapter.state()).toBe('connected');
    expect(h.adapter.stats.badFrames).toBeGreaterThan(0);
    for (const tick of h.rec.ticks) expect(tickSchema.safeParse({ ...tick, seq: 1 }).success).toBe(true);
    for (const hoga of h.rec.hogas) expect(hogaSchema.safeParse({ ...hoga, seq: 1 }).success).toBe(true);
    for (const order of h.rec.orders) expect(orderSchema.safeParse({ ...order, seq: 1 }).success).toBe(true);
    for (const balance of h.rec.balances) expect(balanceSchema.safeParse({ ...balance, seq: 1 }).success).toBe(true);
  });

  it('a broker that stops answering is replaced after the idle timeout', async () => {
    const h = await start({ adapter: { idleTimeoutMs: 200 }, sim: { pingIntervalMs: 50 }, drive: false });
    await connected(h);
    const logins = h.sim.stats.logins;
    h.sim.silence(true);
    await waitFor(() => h.rec.states.some((s) => s.state === 'reconnecting'), 'reconnecting after silence');
    h.sim.silence(false);
    await waitFor(() => h.sim.stats.logins > logins && h.adapter.state() === 'connected', 'back after silence');
  });
});
