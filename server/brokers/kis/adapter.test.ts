/**
 * The adapter against the simulator over real sockets on 127.0.0.1: batched records, 62-field 호가, encrypted
 * notices → order then balance, the registration limit, reconnect and resubscribe, and bad frames.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { BalanceEvent, FeedState, HogaEvent, OrderEvent, SymbolId, TickEvent } from '../../../lib/contracts';
import { silentLogger } from '../../logger';
import type { EngineBook, EngineTrade } from '../../market/engine-types';
import { MarketEngine } from '../../market/market-engine';
import { FeedError, type FeedSink, type Unstamped } from '../../relay/feed';
import { Sequencer } from '../../relay/sequencer';
import { waitFor } from '../../relay/test-socket';
import { KisFeed, type KisFeedOptions } from './adapter';
import { KisRestClient } from './rest-client';
import { KisSimulator, SIM_ACCOUNT, SIM_APP_KEY, SIM_APP_SECRET, SIM_HTS_ID, type KisSimulatorOptions } from './simulator';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const SAMSUNG: SymbolId = 'KRX:005930';
/** Fast timers: a session drop is noticed and healed in well under a second. */
const TEST_TIMING = { reconnectBaseMs: 50, reconnectMaxMs: 400, appKeyInUseMs: 200, ackTimeoutMs: 3_000, silenceTimeoutMs: 10_000, balanceRetryMs: 100 };

type Stamped<E> = E & { seq: number };

function recorder() {
  const sequencer = new Sequencer();
  const ticks: Stamped<TickEvent>[] = [];
  const hogas: Stamped<HogaEvent>[] = [];
  const orders: Stamped<OrderEvent>[] = [];
  const balances: Stamped<BalanceEvent>[] = [];
  const account: Array<Stamped<OrderEvent> | Stamped<BalanceEvent>> = [];
  const states: Array<{ state: FeedState; detail: string | null }> = [];
  const sink: FeedSink = {
    tick: (e: Unstamped<TickEvent>) => void ticks.push({ ...e, seq: sequencer.next(`sym:${e.symbol}`) }),
    hoga: (e: Unstamped<HogaEvent>) => void hogas.push({ ...e, seq: sequencer.next(`sym:${e.symbol}`) }),
    order: (e: Unstamped<OrderEvent>) => {
      const stamped = { ...e, seq: sequencer.next(`acct:${e.accountId}`) };
      orders.push(stamped);
      account.push(stamped);
    },
    balance: (e: Unstamped<BalanceEvent>) => {
      const stamped = { ...e, seq: sequencer.next(`acct:${e.accountId}`) };
      balances.push(stamped);
      account.push(stamped);
    },
    condition: () => {},
    state: (_feed, state, detail) => void states.push({ state, detail }),
  };
  return { sink, ticks, hogas, orders, balances, account, states };
}

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function setup(opts: { sim?: Partial<KisSimulatorOptions>; feed?: Partial<KisFeedOptions>; engine?: MarketEngine } = {}) {
  const engine = opts.engine ?? new MarketEngine({ seed: 11, alwaysOpen: true, activity: 8 });
  const simulator = new KisSimulator({ engine, tokenMinIntervalMs: 100, ...opts.sim });
  const urls = await simulator.start();
  cleanups.push(() => simulator.stop());
  const feed = new KisFeed({
    rest: new KisRestClient({ restUrl: urls.restUrl, appKey: SIM_APP_KEY, appSecret: SIM_APP_SECRET, token: { minIntervalMs: 150 } }),
    wsUrl: urls.wsUrl,
    account: SIM_ACCOUNT,
    htsId: SIM_HTS_ID,
    paper: true,
    ordersAllowed: true,
    logger: silentLogger,
    knows: (symbol) => engine.instrument(symbol) !== undefined,
    timing: TEST_TIMING,
    ...opts.feed,
  });
  const rec = recorder();
  await feed.start(rec.sink);
  cleanups.push(() => feed.stop());
  await waitFor(() => feed.state() === 'connected' && simulator.registrations()[0]?.length === 1, 'the KIS session with its notice registration');
  return { engine, simulator, feed, rec, urls, account: feed.accounts[0]! };
}

function expectConsecutive(seqs: number[]) {
  for (let i = 1; i < seqs.length; i++) expect(seqs[i], `seq after ${seqs[i - 1]}`).toBe(seqs[i - 1]! + 1);
}

describe('KIS adapter ↔ simulator', () => {
  it('a frame of 3 batched records yields 3 ticks, in order, with consecutive seq', async () => {
    const { simulator, feed, rec } = await setup();
    await feed.subscribe(SAMSUNG);
    simulator.injectFrame(fixture('h0stcnt0-batch3.txt'));
    await waitFor(() => rec.ticks.length >= 3, '3 ticks');
    expect(rec.ticks.map((t) => [t.price, t.qty, t.side])).toEqual([[70000, 10, 'buy'], [70100, 5, 'buy'], [69400, 20, 'sell']]);
    expectConsecutive(rec.ticks.map((t) => t.seq));
  });

  it('delivers every engine trade through forced batches of 3, none lost or reordered', async () => {
    const engine = new MarketEngine({ seed: 5, alwaysOpen: true, activity: 20 });
    const trades: EngineTrade[] = [];
    engine.on('trade', (t) => t.symbol === SAMSUNG && trades.push(t));
    const { simulator, feed, rec } = await setup({ engine });
    await feed.subscribe(SAMSUNG);
    simulator.forceBatchSize(3);
    trades.length = 0;
    for (let i = 0; i < 400 && trades.length < 12; i++) engine.step(50);
    const expected = trades.length - (trades.length % 3);
    expect(expected).toBeGreaterThanOrEqual(9);
    await waitFor(() => rec.ticks.length >= expected, `${expected} ticks`);
    expect(rec.ticks.map((t) => [t.price, t.qty, t.cumVolume])).toEqual(trades.slice(0, expected).map((t) => [t.price, t.qty, t.cumVolume]));
    expectConsecutive(rec.ticks.map((t) => t.seq));
  });

  it('two 62-field hoga records in one frame both decode correctly; engine books arrive as 62-field hoga', async () => {
    const engine = new MarketEngine({ seed: 3, alwaysOpen: true, activity: 8 });
    const books: EngineBook[] = [];
    engine.on('book', (b) => b.symbol === SAMSUNG && books.push(b));
    const { simulator, feed, rec } = await setup({ engine });
    await feed.subscribe(SAMSUNG);
    const payload = fixture('h0stasp0-62.txt').slice('0|H0STASP0|001|'.length);
    simulator.injectFrame(`0|H0STASP0|002|${payload}^${payload}`);
    await waitFor(() => rec.hogas.length >= 2, '2 hoga');
    for (const h of rec.hogas.slice(0, 2)) {
      expect(h.asks[0]).toEqual({ price: 358500, qty: 53949 });
      expect(h.bids[9]).toEqual({ price: 353500, qty: 10406 });
      expect([h.totalAskQty, h.totalBidQty]).toEqual([796206, 227494]);
    }
    simulator.forceBatchSize(2);
    books.length = 0;
    for (let i = 0; i < 400 && books.length < 4; i++) engine.step(50);
    await waitFor(() => rec.hogas.length >= 6, '4 engine books');
    expect(rec.hogas.slice(2, 6).map((h) => [h.asks, h.bids])).toEqual(books.slice(0, 4).map((b) => [b.asks, b.bids]));
    expectConsecutive(rec.hogas.map((h) => h.seq));
  });

  it('an encrypted fill notice yields an order event and then a balance event', async () => {
    const { feed, rec, account, simulator } = await setup();
    expect(account.accountId).toBe('kis:50012345-01');
    await waitFor(() => rec.balances.length >= 1, 'the balance read on connect');
    const { orderId } = await account.placeOrder({ symbol: SAMSUNG, side: 'buy', type: 'market', qty: 3 });
    expect(orderId).toMatch(/^\d{10}$/);
    await waitFor(() => rec.orders.some((o) => o.status === 'filled') && rec.balances.at(-1)!.holdings.length === 1, 'fill and balance');
    const mine = rec.orders.filter((o) => o.orderId === orderId);
    expect(mine[0]).toMatchObject({ status: 'accepted', accountId: 'kis:50012345-01', symbol: SAMSUNG, side: 'buy', type: 'market', qty: 3, price: null });
    expect(mine.at(-1)).toMatchObject({ status: 'filled', filledQty: 3, remainingQty: 0 });
    expect(mine.at(-1)!.lastFill!.price).toBeGreaterThan(0);
    // The balance that shows the holding comes after the fill on the account stream.
    const fillAt = rec.account.findIndex((e) => 'status' in e && e.status === 'filled');
    const balanceAt = rec.account.findIndex((e, i) => i > fillAt && 'holdings' in e && e.holdings.length === 1);
    expect(balanceAt).toBeGreaterThan(fillAt);
    const balance = rec.account[balanceAt] as BalanceEvent;
    expect(balance).toMatchObject({ full: true, holdings: [{ symbol: SAMSUNG, qty: '3', orderableQty: '3' }] });
    expect(Number(balance.cash!.deposit)).toBe(simulator.ledger.cash);
    expectConsecutive(rec.account.map((e) => e.seq));
    expect(feed.stats.badRecords).toBe(0);
  });

  it('a resting limit order is listed open, then cancelled through order-rvsecncl with a cancelled event', async () => {
    const { rec, account, engine } = await setup();
    const state = engine.state(SAMSUNG)!;
    const low = state.lowerLimit!;
    const { orderId } = await account.placeOrder({ symbol: SAMSUNG, side: 'buy', type: 'limit', qty: 1, price: low });
    expect((await account.openOrders()).map((o) => [o.orderId, o.remainingQty])).toEqual([[orderId, 1]]);
    await account.cancelOrder(orderId);
    await waitFor(() => rec.orders.some((o) => o.orderId === orderId && o.status === 'cancelled'), 'the cancelled notice');
    expect(await account.openOrders()).toEqual([]);
    await expect(account.cancelOrder(orderId)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(account.placeOrder({ symbol: SAMSUNG, side: 'sell', type: 'limit', qty: 1_000_000, price: low })).rejects.toBeInstanceOf(FeedError);
  });

  it('pages through inquire-balance', async () => {
    const { rec, account } = await setup({ sim: { balancePageSize: 1 } });
    for (const symbol of ['KRX:005930', 'KRX:000660', 'KRX:035420'] as SymbolId[]) await account.placeOrder({ symbol, side: 'buy', type: 'market', qty: 1 });
    const balance = await account.balance();
    expect(balance.holdings.map((h) => h.symbol).sort()).toEqual(['KRX:000660', 'KRX:005930', 'KRX:035420']);
    await waitFor(() => rec.balances.at(-1)?.holdings.length === 3, 'the refreshed balance');
  });

  it('refuses the 42nd registration with LIMIT_REACHED, locally and when the service says OPSP0008', async () => {
    const { feed, simulator, engine } = await setup();
    const codes = engine.instruments().filter((i) => i.market === 'KRX').map((i) => i.symbol);
    for (const symbol of codes.slice(0, 20)) await feed.subscribe(symbol);
    expect(simulator.registrations()[0]).toHaveLength(41);
    const refusal = await feed.subscribe(codes[20]!).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(FeedError);
    expect(refusal).toMatchObject({ code: 'LIMIT_REACHED' });
    expect((refusal as Error).message).toMatch(/41 live registrations/);
    await feed.unsubscribe(codes[0]!);
    await feed.subscribe(codes[20]!);
    await waitFor(() => simulator.registrations()[0]?.length === 41, 'the freed registration reused');

    // A service whose limit is lower than ours: its refusal is the error, and nothing is left half-registered.
    const small = await setup({ sim: { maxRegistrations: 4 } });
    await small.feed.subscribe(codes[0]!);
    const late = await small.feed.subscribe(codes[1]!).catch((e: unknown) => e);
    expect(late).toMatchObject({ code: 'LIMIT_REACHED' });
    expect((late as Error).message).toMatch(/OPSP0008/);
    await waitFor(() => small.simulator.registrations()[0]?.length === 3, 'the half registration released');
  });

  it('a registration refused while re-registering after a reconnect drops that symbol and says so', async () => {
    const { feed, simulator, rec } = await setup({ sim: { maxRegistrations: 5 } });
    simulator.dropConnections(true);
    await waitFor(() => feed.state() === 'reconnecting', 'the drop noticed');
    const symbols: SymbolId[] = ['KRX:005930', 'KRX:000660', 'KRX:035420'];
    // While down, subscribe() only records the wish; the service decides when the session is back.
    for (const s of symbols) await feed.subscribe(s);
    simulator.restore();
    await waitFor(() => rec.states.some((s) => s.state === 'connected' && /KIS refused KRX:035420.*OPSP0008/.test(s.detail ?? '')), 'the refusal reported');
    expect(feed.registrationsInUse()).toBe(5);
    await waitFor(() => simulator.registrations()[0]?.length === 5, 'the service holding 5');
  });

  it('every active symbol resumes within 5 s of the service coming back after a drop', async () => {
    const { feed, simulator, engine, rec } = await setup();
    engine.start();
    cleanups.push(() => engine.stop());
    const symbols: SymbolId[] = ['KRX:005930', 'KRX:000660', 'KRX:035420'];
    for (const s of symbols) await feed.subscribe(s);
    await waitFor(() => symbols.every((s) => rec.hogas.some((h) => h.symbol === s)), 'quotes for every symbol');
    simulator.dropConnections(true);
    await waitFor(() => feed.state() === 'reconnecting', 'the drop noticed');
    const before = rec.hogas.length + rec.ticks.length;
    simulator.restore();
    const back = Date.now();
    await waitFor(
      () => symbols.every((s) => [...rec.hogas.slice(before), ...rec.ticks].some((e) => e.symbol === s && e.recvTs >= back)),
      'every symbol flowing again',
      5_000,
    );
    expect(feed.state()).toBe('connected');
    expect(simulator.registrations()[0]).toHaveLength(1 + symbols.length * 2);
    expect(rec.states.some((s) => s.state === 'reconnecting' && /retrying in/.test(s.detail ?? ''))).toBe(true);
  });

  it('after a reconnect, reports working orders whose notices were missed while the session was down', async () => {
    const { feed, simulator, engine, rec, account } = await setup();
    simulator.dropConnections(true);
    await waitFor(() => feed.state() === 'reconnecting', 'the drop noticed');
    // REST still works while the WebSocket is down; this order's acceptance notice goes nowhere.
    const { orderId } = await account.placeOrder({ symbol: SAMSUNG, side: 'buy', type: 'limit', qty: 2, price: engine.state(SAMSUNG)!.lowerLimit! });
    expect(rec.orders.some((o) => o.orderId === orderId)).toBe(false);
    simulator.restore();
    await waitFor(() => rec.orders.some((o) => o.orderId === orderId), 'the reconciled order');
    expect(rec.orders.find((o) => o.orderId === orderId)).toMatchObject({ status: 'accepted', qty: 2, remainingQty: 2, filledQty: 0 });
  });

  it('treats a silent session as dead and opens a new one', async () => {
    const { feed } = await setup({ sim: { pingIntervalMs: 60_000 }, feed: { timing: { ...TEST_TIMING, silenceTimeoutMs: 150 } } });
    await waitFor(() => feed.stats.sessions >= 2, 'a second session');
  });

  it('backs off with a clear detail when the app key already has a session (OPSP8996)', async () => {
    const { simulator, engine, urls } = await setup();
    const second = new KisFeed({
      rest: new KisRestClient({ restUrl: urls.restUrl, appKey: SIM_APP_KEY, appSecret: SIM_APP_SECRET, token: { minIntervalMs: 150 } }),
      wsUrl: urls.wsUrl, account: null, htsId: null, paper: true, ordersAllowed: false, logger: silentLogger,
      knows: (symbol) => engine.instrument(symbol) !== undefined, timing: { ...TEST_TIMING, appKeyInUseMs: 60_000 },
    });
    const rec = recorder();
    await second.start(rec.sink);
    cleanups.push(() => second.stop());
    await waitFor(() => second.state() === 'connected', 'the socket open');
    // The app key is only known to KIS with the first registration.
    void second.subscribe(SAMSUNG);
    await waitFor(() => second.state() === 'reconnecting', 'the refusal');
    expect(rec.states.at(-1)!.detail).toMatch(/already has a WebSocket session.*retrying in 60 s/);
    expect(simulator.sessionCount).toBe(1);
  });

  it('echoes PINGPONG so the simulator keeps the session', async () => {
    const { feed, simulator } = await setup({ sim: { pingIntervalMs: 50, pingTimeoutMs: 200 } });
    await waitFor(() => feed.stats.pingpongs >= 5, '5 PINGPONGs');
    expect(simulator.stats.sessionsDropped).toBe(0);
    expect(feed.stats.sessions).toBe(1);
  });

  it('skips malformed and unknown frames and keeps delivering', async () => {
    const { simulator, feed, rec } = await setup();
    await feed.subscribe(SAMSUNG);
    const batch = fixture('h0stcnt0-batch3.txt');
    for (const bad of ['garbage', '0|H0STCNT0|002|1^2^3', '0|H0ZZZZZ0|001|x', '{"header":', batch.replace('005930^090001^70100^', '005930^090001^x^'), '1|H0STCNI9|001|AAAA']) simulator.injectFrame(bad);
    simulator.injectFrame(batch);
    await waitFor(() => rec.ticks.length >= 5, 'the good records');
    // The corrupted batch still gave its 2 good records; the clean one all 3.
    expect(rec.ticks.map((t) => t.price)).toEqual([70000, 69400, 70000, 70100, 69400]);
    expect(feed.stats.badFrames).toBe(5);
    expect(feed.stats.badRecords).toBe(1);
    expect(feed.state()).toBe('connected');
  });

  it('keeps the session through a text frame with invalid UTF-8 (§7.8) and still reads its records', async () => {
    const { simulator, feed, rec } = await setup();
    await feed.subscribe(SAMSUNG);
    const text = fixture('h0stcnt0-single.txt');
    const cut = text.lastIndexOf('^', text.lastIndexOf('^') - 1) + 1; // MRKT_TRTM_CLS_CODE, the empty field
    simulator.injectFrame(Buffer.concat([Buffer.from(text.slice(0, cut)), Buffer.from([0xff]), Buffer.from(text.slice(cut))]));
    simulator.injectFrame(fixture('h0stcnt0-batch3.txt'));
    await waitFor(() => rec.ticks.length >= 4, '4 ticks');
    expect(rec.ticks.map((t) => t.price)).toEqual([62700, 70000, 70100, 69400]);
    expect(feed.stats.sessions).toBe(1);
  });

  it('reuses the access token and renews it once when the service says it expired', async () => {
    const { account, simulator } = await setup();
    await account.balance();
    await account.balance();
    await account.openOrders();
    expect(simulator.stats.tokensIssued).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    simulator.expireToken();
    await account.balance();
    expect(simulator.stats.tokensIssued).toBe(2);
  });

  it('spaces REST calls under the service rate, and retries when refused with EGW00201 anyway', async () => {
    const { simulator, urls } = await setup({ sim: { restRatePerSecond: 10 } });
    await new Promise((resolve) => setTimeout(resolve, 1_100)); // the connect-time balance read leaves the window
    const spaced = new KisRestClient({ restUrl: urls.restUrl, appKey: SIM_APP_KEY, appSecret: SIM_APP_SECRET, maxRequestsPerSecond: 8, token: { minIntervalMs: 150 } });
    const call = (client: KisRestClient) => client.call('GET', '/uapi/domestic-stock/v1/trading/inquire-psbl-rvsecncl', { trId: 'VTTC0084R', query: { CANO: '50012345', ACNT_PRDT_CD: '01' } });
    const answers = await Promise.all(Array.from({ length: 12 }, () => call(spaced)));
    expect(answers.every((a) => a.body.rt_cd === '0')).toBe(true);
    expect(simulator.stats.rateLimited).toBe(0);
    const bursting = new KisRestClient({ restUrl: urls.restUrl, appKey: SIM_APP_KEY, appSecret: SIM_APP_SECRET, token: { minIntervalMs: 150 } });
    const burst = await Promise.all(Array.from({ length: 14 }, () => call(bursting)));
    expect(simulator.stats.rateLimited).toBeGreaterThan(0);
    expect(burst.every((a) => a.body.rt_cd === '0')).toBe(true);
  });

  it('says why when the app key is wrong, and refuses unknown symbols', async () => {
    const engine = new MarketEngine({ seed: 1, alwaysOpen: true });
    const simulator = new KisSimulator({ engine });
    const urls = await simulator.start();
    cleanups.push(() => simulator.stop());
    const feed = new KisFeed({
      rest: new KisRestClient({ restUrl: urls.restUrl, appKey: SIM_APP_KEY, appSecret: 'wrong' }),
      wsUrl: urls.wsUrl, account: null, htsId: null, paper: true, ordersAllowed: true, logger: silentLogger,
      knows: (symbol) => engine.instrument(symbol) !== undefined, timing: TEST_TIMING,
    });
    const rec = recorder();
    await feed.start(rec.sink);
    cleanups.push(() => feed.stop());
    await waitFor(() => feed.state() === 'down', 'the refusal');
    expect(rec.states.at(-1)!.detail).toMatch(/KIS_APP_SECRET/);
    await expect(feed.subscribe('KRX:999999')).rejects.toMatchObject({ code: 'UNKNOWN_SYMBOL' });
    // Not connected: the symbol is kept and registered once the session is up.
    await feed.subscribe(SAMSUNG);
    expect(feed.registrationsInUse()).toBe(2);
  });
});
