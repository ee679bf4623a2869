/**
 * The adapter against the simulators over real TCP on 127.0.0.1: AES → OES logon, orders, fills, rejects,
 * reconnects. The engine is stepped by hand, so fills happen exactly when a test wants them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../logger';
import { MarketEngine } from '../../market/market-engine';
import { FeedError } from '../../relay/feed';
import { BoFeed, type BoFeedOptions } from './adapter';
import { REJECT } from './enums';
import { BoSimulator, SIM_ACCOUNT, SIM_API_KEY, SIM_USER, type BoSimMode } from './simulator';
import { RecordingSink, waitUntil } from './test-client';

const BO_SYMBOLS = ['BO:BTCUSD', 'BO:USDUSDT', 'BO:FLYUSDT', 'BO:BTCUSDT'] as const;
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(options: { mode?: BoSimMode; simHeartbeatMs?: number; feed?: Partial<BoFeedOptions> } = {}) {
  // High activity: prints come every step, so a resting order fills within a few steps.
  const engine = new MarketEngine({ seed: 3, alwaysOpen: true, activity: 40, symbols: [...BO_SYMBOLS] });
  const simulator = new BoSimulator({ mode: options.mode ?? 'venue', engine, heartbeatMs: options.simHeartbeatMs ?? 0 });
  const { aesAddr } = await simulator.start();
  cleanups.push(() => simulator.stop());
  const feed = new BoFeed({
    aesAddr,
    apiKey: SIM_API_KEY,
    userName: SIM_USER,
    account: SIM_ACCOUNT,
    logger: silentLogger,
    heartbeatMs: 0,
    realMoney: false,
    ordersAllowed: true,
    reconnectBaseMs: 20,
    reconnectMaxMs: 200,
    requestTimeoutMs: 3000,
    logonTimeoutMs: 1000,
    knows: (symbol) => engine.instrument(symbol) !== undefined,
    ...options.feed,
  });
  const sink = new RecordingSink();
  cleanups.push(() => feed.stop());
  await feed.start(sink);
  return { engine, simulator, feed, sink, account: feed.accounts[0]! };
}

async function ready(feed: BoFeed, sink: RecordingSink): Promise<void> {
  await waitUntil(() => feed.listedSymbols().length === 4 && sink.balances.length > 0, 'instruments and the first balance');
}

describe('BoFeed against the venue simulator', () => {
  it('logs on through the AES to the OES, lists instruments and reports the balance', async () => {
    const { feed, sink, simulator } = await setup();
    expect(feed.state()).toBe('connected');
    expect(sink.states.at(-1)?.detail).toMatch(/logged on to the OES 127\.0\.0\.1:\d+ as account 100700/);
    await ready(feed, sink);
    expect(simulator.oesLogons).toBe(1);
    expect(feed.listedSymbols()).toEqual([...BO_SYMBOLS]);
    expect(sink.balances[0]).toMatchObject({ accountId: 'bo:100700', full: true, cash: { currency: 'USD', deposit: '1000000' }, holdings: [] });
  });

  it('a limit order is acknowledged, then filled in two parts: accepted → partially_filled → filled, then a balance', async () => {
    const { engine, feed, sink, account } = await setup();
    await ready(feed, sink);
    const asks = engine.state('BO:BTCUSD')!.book.asks;
    const qty = Math.round((asks[0]!.qty + 0.001) * 1e5) / 1e5;
    const balancesBefore = sink.balances.length;
    const { orderId } = await account.placeOrder({ symbol: 'BO:BTCUSD', side: 'buy', type: 'limit', qty, price: asks[1]!.price });
    await waitUntil(() => sink.ordersOf(orderId).length >= 3, 'three order events');
    const events = sink.ordersOf(orderId);
    expect(events.map((e) => e.status)).toEqual(['accepted', 'partially_filled', 'filled']);
    expect(events[1]).toMatchObject({ filledQty: asks[0]!.qty, lastFill: { qty: asks[0]!.qty, price: asks[0]!.price } });
    expect(events[2]).toMatchObject({ filledQty: qty, remainingQty: 0, lastFill: { price: asks[1]!.price } });
    await waitUntil(() => sink.balances.length > balancesBefore, 'a balance after the fills');
    const balance = sink.balances.at(-1)!;
    expect(Number(balance.cash!.deposit)).toBeLessThan(1_000_000);
    expect(balance.holdings).toEqual([expect.objectContaining({ symbol: 'BO:BTCUSD', qty: String(qty) })]);
  });

  it('a rejected order shows its §5 reason, in the error and in the order event', async () => {
    const { engine, feed, sink, account } = await setup();
    await ready(feed, sink);
    const bid = engine.state('BO:BTCUSD')!.book.bids[0]!.price;
    const error = await account.placeOrder({ symbol: 'BO:BTCUSD', side: 'buy', type: 'limit', qty: 0.1, price: bid + 0.25 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FeedError);
    expect((error as FeedError).message).toContain(`PRICE_INVALID (${REJECT.PRICE_INVALID})`);
    const rejected = sink.orders.find((o) => o.status === 'rejected');
    expect(rejected).toMatchObject({ reason: 'PRICE_INVALID (14)', symbol: 'BO:BTCUSD', qty: 0.1 });

    const poor = await account.placeOrder({ symbol: 'BO:BTCUSD', side: 'sell', type: 'limit', qty: 500, price: bid }).catch((e: unknown) => e);
    expect((poor as FeedError).message).toContain('NOT_ENOUGH_EQUITY_TO_COMPLETE (47)');
    await expect(account.placeOrder({ symbol: 'BO:NOPE', side: 'buy', type: 'limit', qty: 1, price: 1 })).rejects.toMatchObject({ code: 'UNKNOWN_SYMBOL' });
  });

  it('cancels and replaces working orders; open orders list what works', async () => {
    const { engine, feed, sink, account } = await setup();
    await ready(feed, sink);
    const bid = engine.state('BO:BTCUSD')!.book.bids[0]!.price;
    const { orderId } = await account.placeOrder({ symbol: 'BO:BTCUSD', side: 'buy', type: 'limit', qty: 0.1, price: bid - 200 });
    const replaced = await feed.replaceOrder(orderId, { price: bid - 150, qty: 0.2 });
    expect(sink.ordersOf(replaced.orderId)).toEqual([expect.objectContaining({ status: 'replaced', origOrderId: orderId, qty: 0.2, price: bid - 150 })]);
    expect((await account.openOrders()).map((o) => o.orderId)).toEqual([replaced.orderId]);
    await account.cancelOrder(replaced.orderId);
    await waitUntil(() => sink.ordersOf(replaced.orderId).some((o) => o.status === 'cancelled'), 'the cancel event');
    expect(await account.openOrders()).toEqual([]);
    await expect(account.cancelOrder(replaced.orderId)).rejects.toThrow(/ORIG_ORDER_NOT_FOUND \(54\)/);
  });

  it('the OES connection dropped between two fills: after the reconnect the second fill arrives exactly once', async () => {
    const { engine, feed, sink, account, simulator } = await setup();
    await ready(feed, sink);
    const ask = engine.state('BO:BTCUSD')!.book.asks[0]!;
    const rest = 0.002;
    const qty = Math.round((ask.qty + rest) * 1e5) / 1e5;
    // Takes the whole best ask at once (first fill), the rest waits at that price for a later print (second fill).
    const { orderId } = await account.placeOrder({ symbol: 'BO:BTCUSD', side: 'buy', type: 'limit', qty, price: ask.price });
    await waitUntil(() => sink.ordersOf(orderId).length === 2, 'accepted and the first fill');

    simulator.dropOes();
    await waitUntil(() => feed.state() !== 'connected', 'the adapter to notice the drop');
    const engineOrder = () => engine.openOrders('bo:100700')[0];
    for (let i = 0; i < 2000 && engineOrder() !== undefined; i++) engine.step(50);
    expect(engineOrder()).toBeUndefined();

    await waitUntil(() => feed.state() === 'connected' && sink.ordersOf(orderId).length >= 3, 'the reconnect and the second fill');
    // A further open-order/balance round must not report it again.
    await account.openOrders();
    await account.balance();
    const events = sink.ordersOf(orderId);
    expect(events.map((e) => e.status)).toEqual(['accepted', 'partially_filled', 'filled']);
    expect(events[2]).toMatchObject({ filledQty: qty, remainingQty: 0, lastFill: { qty: Math.round((qty - ask.qty) * 1e8) / 1e8, price: ask.price } });
    expect(simulator.oesLogons).toBe(2);
    expect(sink.states.some((s) => s.state === 'reconnecting' && /OES connection dropped/.test(s.detail ?? ''))).toBe(true);
  });

  it('a resting order that filled completely while disconnected is reported once, from the open-order check or the replay', async () => {
    const { engine, feed, sink, account, simulator } = await setup();
    await ready(feed, sink);
    const bid = engine.state('BO:BTCUSD')!.book.bids[0]!.price;
    const { orderId } = await account.placeOrder({ symbol: 'BO:BTCUSD', side: 'buy', type: 'limit', qty: 0.003, price: bid });
    simulator.dropOes();
    await waitUntil(() => feed.state() !== 'connected', 'the drop');
    for (let i = 0; i < 2000 && engine.openOrders('bo:100700').length > 0; i++) engine.step(50);
    await waitUntil(() => feed.state() === 'connected' && sink.ordersOf(orderId).some((o) => o.status === 'filled'), 'the fill after reconnect');
    await account.openOrders();
    const fills = sink.ordersOf(orderId).filter((o) => o.lastFill !== null);
    expect(fills.reduce((sum, o) => sum + o.lastFill!.qty, 0)).toBeCloseTo(0.003, 8);
  });

  it('a market order fills at once against the book, with a null price and its fills', async () => {
    const { engine, feed, sink, account } = await setup();
    await ready(feed, sink);
    const ask = engine.state('BO:BTCUSDT')!.book.asks[0]!;
    const { orderId } = await account.placeOrder({ symbol: 'BO:BTCUSDT', side: 'buy', type: 'market', qty: 0.001 });
    await waitUntil(() => sink.ordersOf(orderId).some((o) => o.status === 'filled'), 'the market order to fill');
    expect(sink.ordersOf(orderId).map((o) => o.status)).toEqual(['accepted', 'filled']);
    expect(sink.ordersOf(orderId)[1]).toMatchObject({ type: 'market', price: null, lastFill: { qty: 0.001, price: ask.price } });
  });

  it('a logon refused for a passing reason (OES not available) is retried with backoff until it succeeds', async () => {
    const engine = new MarketEngine({ seed: 3, alwaysOpen: true, symbols: [...BO_SYMBOLS] });
    const simulator = new BoSimulator({ mode: 'venue', engine, heartbeatMs: 0 });
    const { aesAddr } = await simulator.start();
    cleanups.push(() => simulator.stop());
    simulator.faults.refuseLogonReason = 10;
    const feed = new BoFeed({
      aesAddr, apiKey: SIM_API_KEY, userName: SIM_USER, account: SIM_ACCOUNT, logger: silentLogger, heartbeatMs: 0,
      realMoney: false, ordersAllowed: true, reconnectBaseMs: 20, reconnectMaxMs: 100, logonTimeoutMs: 1000,
    });
    const sink = new RecordingSink();
    cleanups.push(() => feed.stop());
    await feed.start(sink);
    expect(feed.state()).toBe('reconnecting');
    expect(sink.states.at(-1)?.detail).toMatch(/AES refused the logon: OES_NOT_AVAILABLE_TRADING_DISABLED \(10\); retrying in/);
    simulator.faults.refuseLogonReason = 0;
    await waitUntil(() => feed.state() === 'connected', 'the retry to get through');
  });

  it('wrong credentials: the AES refuses, the feed goes down with the reason and does not retry', async () => {
    const { feed, sink, simulator } = await setup({ feed: { apiKey: 'wrong-key' } });
    expect(feed.state()).toBe('down');
    expect(sink.states.at(-1)?.detail).toMatch(/AES refused the logon: INVALID_KEY \(4\).*BO_API_KEY/);
    expect(simulator.oesLogons).toBe(0);
    await expect(feed.accounts[0]!.balance()).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
  });

  it('a venue that stops answering is detected by heartbeats and reconnected', async () => {
    const { feed, sink, simulator } = await setup({ simHeartbeatMs: 0, feed: { heartbeatMs: 60 } });
    await ready(feed, sink);
    simulator.faults.silent = true;
    await waitUntil(() => feed.state() === 'reconnecting', 'the adapter to give up on the silent OES');
    simulator.faults.silent = false;
    await waitUntil(() => feed.state() === 'connected' && simulator.oesLogons >= 2, 'the reconnect');
  });

  it('an unreadable frame is logged and skipped, the session stays up', async () => {
    const { feed, sink, simulator, account, engine } = await setup();
    await ready(feed, sink);
    simulator.sendMalformed();
    const bid = engine.state('BO:BTCUSD')!.book.bids[0]!.price;
    await expect(account.placeOrder({ symbol: 'BO:BTCUSD', side: 'buy', type: 'limit', qty: 0.1, price: bid - 100 })).resolves.toBeDefined();
    expect(feed.state()).toBe('connected');
  });

  it('is order entry only: knows BO instruments, refuses quote subscriptions with NOT_SUPPORTED', async () => {
    const { feed } = await setup();
    expect(feed.knows('BO:BTCUSD')).toBe(true);
    expect(feed.knows('BO:NOPE')).toBe(false);
    await expect(feed.subscribe('BO:BTCUSD')).rejects.toMatchObject({ code: 'NOT_SUPPORTED' });
    await expect(feed.subscribe('BO:NOPE')).rejects.toMatchObject({ code: 'UNKNOWN_SYMBOL' });
  });
});

describe('BoFeed against the example-faithful simulator', () => {
  it('logs on through AES to OES with heartbeats off, and takes the fixed ack for what it is', async () => {
    const { feed, sink, simulator } = await setup({ mode: 'example' });
    expect(feed.state()).toBe('connected');
    expect(sink.states.at(-1)?.detail).toMatch(/logged on to the OES 127\.0\.0\.1:\d+ as account 100700/);
    expect(simulator.mode).toBe('example');
    // The example OES answers everything with ORDER_ACK 46832151, an order this session never placed: no events.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(sink.orders).toEqual([]);
  });
});
