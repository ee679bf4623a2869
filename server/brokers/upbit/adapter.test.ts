/**
 * The adapter against the simulator over real sockets on 127.0.0.1: quotes, the full-set resend, formats,
 * error frames, reconnects, keep-alive, rate-limit answers, and the private stream with paper orders.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { balanceSchema, hogaSchema, orderSchema, tickSchema, type SymbolId } from '../../../lib/contracts';
import { silentLogger } from '../../logger';
import { MarketEngine } from '../../market/market-engine';
import { FeedError } from '../../relay/feed';
import { waitFor } from '../../relay/test-socket';
import { UpbitAdapter, type UpbitAdapterOptions } from './adapter';
import type { UpbitFormat } from './codec';
import { SIM_CREDENTIALS, UpbitSimulator, type UpbitSimulatorOptions } from './simulator';
import { RecordingSink } from './test-sink';

const BTC: SymbolId = 'UPBIT:KRW-BTC';
const ETH: SymbolId = 'UPBIT:KRW-ETH';
const XRP: SymbolId = 'UPBIT:KRW-XRP';
const SYMBOLS: SymbolId[] = [BTC, ETH, XRP];
/** Short timers so reconnect and keep-alive tests take a fraction of a second instead of minutes. */
const FAST_TIMINGS = { keepAliveMs: 100, deadAfterMs: 400, backoffBaseMs: 50, backoffMaxMs: 200, rateLimitedMs: 100, bannedMs: 200, connectTimeoutMs: 2_000 };

const stamped = { seq: 0 };
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Setup {
  engine: MarketEngine;
  sim: UpbitSimulator;
  adapter: UpbitAdapter;
  sink: RecordingSink;
}

async function setup(
  options: { format?: UpbitFormat; engine?: MarketEngine; sim?: Partial<UpbitSimulatorOptions>; adapter?: Partial<UpbitAdapterOptions>; beforeStart?: (sim: UpbitSimulator) => void } = {},
): Promise<Setup> {
  const engine = options.engine ?? new MarketEngine({ seed: 5, alwaysOpen: true, activity: 20, symbols: SYMBOLS });
  const sim = new UpbitSimulator({ engine, ...options.sim });
  const urls = await sim.start();
  options.beforeStart?.(sim);
  const adapter = new UpbitAdapter({
    wsUrl: urls.wsUrl,
    restUrl: urls.restUrl,
    credentials: SIM_CREDENTIALS,
    format: options.format,
    lists: (symbol) => engine.instrument(symbol) !== undefined,
    nameOf: (currency) => engine.instrument(`UPBIT:KRW-${currency}`)?.name ?? currency,
    realMoney: false,
    allowRealOrders: false,
    timings: FAST_TIMINGS,
    requestRetryBaseMs: 50,
    logger: silentLogger,
    ...options.adapter,
  });
  const sink = new RecordingSink();
  await adapter.start(sink);
  cleanups.push(async () => {
    engine.stop();
    await adapter.stop();
    await sim.stop();
  });
  return { engine, sim, adapter, sink };
}

/** Steps the engine until `predicate` holds; the market moves only when a test says so. */
async function stepUntil(engine: MarketEngine, predicate: () => boolean, what: string, timeoutMs = 8_000): Promise<void> {
  const started = Date.now();
  while (!predicate()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    engine.step(50);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const publicCodes = (sim: UpbitSimulator) => sim.subscriptions().find((s) => !s.isPrivate)?.codes.trade ?? [];

describe('UpbitAdapter quotes', () => {
  it('streams ticks and hogas, re-sends the whole set on every change, and the right symbols keep flowing', async () => {
    const { engine, sim, adapter, sink } = await setup();
    await waitFor(() => sink.lastState === 'connected', 'connected');
    // Three subscriptions in the same tick go out as one request.
    await Promise.all([adapter.subscribe(BTC), adapter.subscribe(ETH), adapter.subscribe(XRP)]);
    await waitFor(() => publicCodes(sim).length === 3, 'the first set');
    expect(adapter.requestsSent).toBe(1);
    await waitFor(() => SYMBOLS.every((s) => sink.hogas.some((h) => h.symbol === s)), 'snapshots of every symbol');
    await stepUntil(engine, () => SYMBOLS.every((s) => sink.ticks.some((t) => t.symbol === s)), 'ticks of every symbol');
    for (const tick of sink.ticks) tickSchema.parse({ ...tick, ...stamped });
    for (const hoga of sink.hogas) hogaSchema.parse({ ...hoga, ...stamped });
    expect(sink.hogas[0]!.asks.length).toBeLessThanOrEqual(15);

    await adapter.unsubscribe(BTC);
    await waitFor(() => publicCodes(sim).join() === 'KRW-ETH,KRW-XRP', 'the set without BTC');
    expect(adapter.requestsSent).toBe(2);
    const mark = { ticks: sink.ticks.length, hogas: sink.hogas.length };
    await stepUntil(engine, () => sink.ticks.slice(mark.ticks).filter((t) => t.symbol === ETH).length >= 3, 'ETH after the change');
    expect(sink.ticks.slice(mark.ticks).some((t) => t.symbol === BTC)).toBe(false);
    expect(sink.hogas.slice(mark.hogas).some((h) => h.symbol === BTC)).toBe(false);
  });

  it('a tick carries the day state of the ticker: open/high/low and cumulative volume', async () => {
    const { engine, adapter, sink } = await setup();
    await adapter.subscribe(BTC);
    await stepUntil(engine, () => sink.ticks.length >= 5, 'five BTC ticks');
    const last = sink.ticks.at(-1)!;
    const state = engine.state(BTC)!.lastTrade!;
    expect(last).toMatchObject({ price: state.price, open: state.open, high: state.high, low: state.low, prevClose: state.prevClose, source: 'upbit' });
    expect(last.cumVolume).toBeCloseTo(state.cumVolume, 8);
    expect(last.changeRate).toBe(Math.round(((state.price - state.prevClose) / state.prevClose) * 10_000) / 100);
  });

  it('a SIMPLE-format session yields the same normalized events as a DEFAULT one for the same engine seed', async () => {
    let clock = Date.UTC(2026, 0, 5, 3, 0, 0);
    const engineOf = () => new MarketEngine({ seed: 99, alwaysOpen: true, activity: 2, symbols: SYMBOLS, now: () => clock });
    const runs = await Promise.all((['DEFAULT', 'SIMPLE'] as const).map((format) => setup({ format, engine: engineOf() })));
    for (const run of runs) await Promise.all(SYMBOLS.map((s) => run.adapter.subscribe(s)));
    for (const run of runs) await waitFor(() => SYMBOLS.every((s) => run.sink.hogas.some((h) => h.symbol === s)), 'snapshots');
    expect(runs[1]!.sim.subscriptions()[0]?.format).toBe('SIMPLE');
    for (let i = 0; i < 40; i++) {
      clock += 50;
      for (const run of runs) run.engine.step(50);
    }
    const total = (run: Setup) => run.sink.ticks.length + run.sink.hogas.length;
    await waitFor(() => total(runs[0]!) === total(runs[1]!) && runs[0]!.sink.ticks.length > 10, 'both sessions to catch up');
    expect(runs.flatMap((run) => run.sink.states).filter((s) => s.state === 'reconnecting')).toEqual([]);
    const strip = <T extends { recvTs: number }>(events: T[]) => events.map(({ recvTs: _r, ...rest }) => rest);
    expect(strip(runs[1]!.sink.ticks)).toEqual(strip(runs[0]!.sink.ticks));
    expect(strip(runs[1]!.sink.hogas)).toEqual(strip(runs[0]!.sink.hogas));
  });

  it('reports the simulator\'s error frame for a refused request, keeps running, and gets the set through on retry', async () => {
    const { sim, adapter, sink } = await setup();
    await waitFor(() => sink.lastState === 'connected', 'connected');
    sim.faults.rejectNextRequest = 'INVALID_PARAM';
    await adapter.subscribe(BTC);
    await waitFor(() => sink.details().some((d) => d.includes('INVALID_PARAM')), 'the reported error');
    expect(sink.lastState).toBe('connected');
    await waitFor(() => publicCodes(sim).join() === 'KRW-BTC', 'the set applied on retry');
    await waitFor(() => sink.hogas.some((h) => h.symbol === BTC), 'BTC quotes');
  });

  it('a dropped socket comes back and resumes every symbol', async () => {
    const { engine, sim, adapter, sink } = await setup();
    await Promise.all(SYMBOLS.map((s) => adapter.subscribe(s)));
    await waitFor(() => publicCodes(sim).length === 3, 'the set');
    sim.dropConnections();
    await waitFor(() => sink.states.some((s) => s.state === 'reconnecting'), 'reconnecting');
    await waitFor(() => sink.lastState === 'connected' && publicCodes(sim).length === 3, 'the set re-sent after reconnect');
    const mark = sink.ticks.length;
    await stepUntil(engine, () => SYMBOLS.every((s) => sink.ticks.slice(mark).some((t) => t.symbol === s)), 'every symbol after the reconnect');
  });

  it('keeps an idle connection alive past the server\'s idle close with PING, and notices a server that stops answering', async () => {
    const { sim, sink } = await setup({ sim: { idleCloseMs: 300 } });
    await waitFor(() => sink.lastState === 'connected', 'connected');
    await new Promise((resolve) => setTimeout(resolve, 900));
    expect(sink.states.filter((s) => s.state === 'reconnecting')).toEqual([]);
    sim.faults.silent = true;
    await waitFor(() => sink.states.some((s) => s.state === 'reconnecting' && (s.detail ?? '').includes('no answer')), 'the dead connection noticed');
    sim.faults.silent = false;
    await waitFor(() => sink.lastState === 'connected', 'connected again');
  });

  it('backs off when the handshake is answered with 429, then connects', async () => {
    const { sim, sink } = await setup({ beforeStart: (s) => (s.faults.refuseConnects = true) });
    await waitFor(() => sink.details().some((d) => d.includes('HTTP 429')), 'the 429 reported');
    expect(sink.lastState).not.toBe('connected');
    sim.faults.refuseConnects = false;
    await waitFor(() => sink.lastState === 'connected', 'connected after the refusal');
  });

  it('refuses symbols Upbit does not list and other markets with UNKNOWN_SYMBOL', async () => {
    const { adapter } = await setup();
    await expect(adapter.subscribe('UPBIT:KRW-NOPE')).rejects.toMatchObject({ code: 'UNKNOWN_SYMBOL' });
    await expect(adapter.subscribe('KRX:005930')).rejects.toBeInstanceOf(FeedError);
    expect(adapter.knows(BTC)).toBe(true);
    expect(adapter.knows('UPBIT:KRW-NOPE')).toBe(false);
  });
});

describe('UpbitAdapter accounts', () => {
  it('a paper order yields order and balance events on the private connection; REST gives the snapshot', async () => {
    const { engine, sim, adapter, sink } = await setup();
    const account = adapter.account!;
    expect(account.accountId).toBe('upbit:simupbit');
    await waitFor(() => sim.subscriptions().some((s) => s.isPrivate) && sink.balances.some((b) => b.full), 'the private stream and the first snapshot');
    const first = sink.balances.find((b) => b.full)!;
    expect(first.cash).toEqual({ currency: 'KRW', deposit: '100000000', orderable: '100000000' });

    await stepUntil(engine, () => (engine.state(XRP)?.book.asks.length ?? 0) > 0, 'an XRP book');
    const ask = engine.state(XRP)!.book.asks[0]!.price;
    const { orderId } = await account.placeOrder({ symbol: XRP, side: 'buy', type: 'limit', qty: 10, price: ask });
    await waitFor(() => sink.orders.some((o) => o.orderId === orderId && o.status === 'filled'), 'the fill');
    const events = sink.orders.filter((o) => o.orderId === orderId);
    expect(events[0]).toMatchObject({ status: 'accepted', side: 'buy', type: 'limit', qty: 10, price: ask, accountId: 'upbit:simupbit' });
    expect(events.some((o) => o.lastFill !== null)).toBe(true);
    for (const e of events) orderSchema.parse({ ...e, ...stamped });
    await waitFor(() => sink.balances.some((b) => !b.full && b.holdings.some((h) => h.symbol === XRP && h.qty === '10')), 'the XRP balance change');
    for (const b of sink.balances) balanceSchema.parse({ ...b, ...stamped });

    const snapshot = await account.balance();
    expect(snapshot.full).toBe(true);
    expect(snapshot.holdings).toEqual([expect.objectContaining({ symbol: XRP, name: '리플', qty: '10', orderableQty: '10' })]);
    expect(Number(snapshot.cash!.deposit)).toBeLessThan(100_000_000);
  });

  it('a resting order is listed and can be cancelled; a refused order rejects with the broker\'s reason', async () => {
    const { engine, adapter, sink } = await setup();
    const account = adapter.account!;
    await stepUntil(engine, () => (engine.state(BTC)?.book.bids.length ?? 0) > 5, 'a BTC book');
    const low = engine.state(BTC)!.book.bids[5]!.price;
    const { orderId } = await account.placeOrder({ symbol: BTC, side: 'buy', type: 'limit', qty: 0.01, price: low });
    expect((await account.openOrders()).map((o) => o.orderId)).toContain(orderId);
    await account.cancelOrder(orderId);
    await waitFor(() => sink.orders.some((o) => o.orderId === orderId && o.status === 'cancelled'), 'the cancel event');
    await expect(account.placeOrder({ symbol: BTC, side: 'sell', type: 'market', qty: 5 })).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('insufficient_funds_ask') });
    await expect(account.cancelOrder('no-such-order')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('a market buy is sized in KRW from the last price and fills', async () => {
    const { engine, adapter, sink } = await setup();
    await stepUntil(engine, () => engine.state(ETH)?.lastTrade !== null, 'an ETH trade');
    const { orderId } = await adapter.account!.placeOrder({ symbol: ETH, side: 'buy', type: 'market', qty: 0.05 });
    // A market order that outruns the simulated book has its rest cancelled: either way it ends, with fills.
    const ended = () => sink.orders.find((o) => o.orderId === orderId && (o.status === 'filled' || o.status === 'cancelled'));
    await waitFor(() => ended() !== undefined, 'the market order to end');
    expect(ended()!.filledQty).toBeGreaterThan(0);
    expect(sink.orders.find((o) => o.orderId === orderId)).toMatchObject({ type: 'market', price: null, status: 'accepted' });
    await waitFor(() => sink.balances.some((b) => b.holdings.some((h) => h.symbol === ETH)), 'the ETH holding');
  });

  it('a revoked key is reported, not a crash, and quotes keep flowing', async () => {
    const { engine, adapter, sink } = await setup({ beforeStart: (s) => (s.faults.revokeKeys = true) });
    await waitFor(() => sink.details().some((d) => d.includes('INVALID_AUTH')), 'the INVALID_AUTH report');
    await adapter.subscribe(BTC);
    await stepUntil(engine, () => sink.ticks.length > 0, 'quotes despite the private refusal');
  });
});
