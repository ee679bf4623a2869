/**
 * Broker accounts end to end on a real server (127.0.0.1:0, simulated brokers, embedded store under a temp
 * DATA_DIR): who sees which account over the service and the socket, order validation, the real-money rule, and
 * the fill journal across a restart.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HogaEvent, OrderEvent, SymbolId } from '../../lib/contracts';
import { addTestUser, type TestUser } from '../auth/test-users';
import { loadConfig } from '../config';
import { silentLogger } from '../logger';
import { connectClient, request, waitFor, type TestSocket } from '../relay/test-socket';
import { startSiseServer, type SiseServer } from '../sise-server';
import type { AccountSession } from '../brokers/account-session';
import { krxTickUp, roundToKrxGrid } from '../../lib/format/krx-tick-size';
import { REAL_ORDERS_REFUSED } from './account-service';

const KIS = 'kis:50012345-01';
const UPBIT = 'upbit:simupbit';
const SAMSUNG: SymbolId = 'KRX:005930';
/** Every simulated broker's account, as the registry starts them. */
const SIM_ACCOUNTS = [KIS, 'kiwoom:5012345678', 'kiwoom-bridge:8012345611', UPBIT, 'bo:100700'];
/** Ticks above the best ask a crossing buy is priced at, so the ask moving up meanwhile still fills it. */
const CROSSING_TICKS = 5;
/** Far enough below the bid that the simulated market will not reach it during the test, inside KRX's ±30 % limits. */
const RESTING_FRACTION_OF_BID = 0.9;

let dataDir: string;
let server: SiseServer;
let admin: TestUser;
let other: TestUser;
const sockets: TestSocket[] = [];

async function start(): Promise<SiseServer> {
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', SIM: 'on', SIM_ALWAYS_OPEN: 'on', DATA_DIR: dataDir });
  return startSiseServer({ config, logger: silentLogger, web: false });
}

function accounts() {
  return server.accounts!;
}

async function client(user: TestUser): Promise<TestSocket> {
  const socket = await connectClient(server.url, { token: user.token });
  sockets.push(socket);
  return socket;
}

/** The code an async call failed with. */
async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return String((error as { code?: unknown }).code);
  }
  throw new Error('expected the call to fail');
}

/** Asks the server again every 50 ms: each check is a REST round trip to a simulated broker. */
const until = (check: () => Promise<boolean>, what: string, timeoutMs = 10_000) => waitFor(check, what, timeoutMs, 50);

/** The symbol's order book now. */
async function bookOf(symbol: SymbolId): Promise<HogaEvent> {
  let hoga: HogaEvent | null = null;
  const held = server.relay.subscribeInternal([symbol], (event) => {
    if ('asks' in event && event.asks.length > 0 && event.bids.length > 0) hoga = event;
  });
  try {
    await held.results;
    await waitFor(() => hoga !== null, `a book for ${symbol}`);
    return hoga as unknown as HogaEvent;
  } finally {
    held.release();
  }
}

/** A buy price on the KRX grid a few ticks above the best ask now, so it crosses the spread. */
async function crossingBuyPrice(symbol: SymbolId): Promise<number> {
  let price = (await bookOf(symbol)).asks[0]!.price;
  for (let i = 0; i < CROSSING_TICKS; i++) price = krxTickUp(price);
  return price;
}

/** A buy price on the KRX grid well below the best bid (inside the day's limits), so it rests. */
async function restingBuyPrice(symbol: SymbolId): Promise<number> {
  return roundToKrxGrid((await bookOf(symbol)).bids[0]!.price * RESTING_FRACTION_OF_BID, 'down');
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'sise-accounts-'));
  server = await start();
  admin = await addTestUser(server.auth!, { role: 'admin' });
  other = await addTestUser(server.auth!);
}, 60_000);

afterAll(async () => {
  for (const socket of sockets.splice(0)) socket.disconnect();
  await server?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('who sees which account', () => {
  it('shows the environment accounts to admins only, as paper accounts that take orders', async () => {
    const list = await accounts().list(admin.user);
    expect(list.map((a) => a.id)).toEqual(SIM_ACCOUNTS);
    for (const account of list) {
      expect(account).toMatchObject({ realMoney: false, ordersAllowed: true, ordersRefusedReason: null, owned: false, canShare: true });
      expect(account.label).toContain('모의');
    }
    expect(await accounts().list(other.user)).toEqual([]);
  });

  it("refuses another user's account and an unknown one with the same FORBIDDEN", async () => {
    const refusals = await Promise.all([
      accounts().balance(other.user, KIS).catch((e: Error) => e),
      accounts().balance(other.user, 'kis:99999999-99').catch((e: Error) => e),
    ]);
    for (const refusal of refusals) expect(refusal).toMatchObject({ code: 'FORBIDDEN' });
    expect(await codeOf(accounts().openOrders(other.user, KIS))).toBe('FORBIDDEN');
    expect(await codeOf(accounts().fillsToday(other.user, KIS))).toBe('FORBIDDEN');
    expect(await codeOf(accounts().cancelOrder(other.user, KIS, '0000000001'))).toBe('FORBIDDEN');
    // Access is checked before the body: a broken order on someone else's account says nothing about the account.
    expect(await codeOf(accounts().placeOrder(other.user, { accountId: KIS, qty: 'lots' }))).toBe('FORBIDDEN');
    expect(await codeOf(accounts().shares(other.user, KIS))).toBe('FORBIDDEN');
  });

  it('lets the admin share an environment account, and the user see it until it is unshared', async () => {
    const share = await accounts().share(admin.user, UPBIT, { email: other.email.toUpperCase() });
    expect(share).toMatchObject({ userId: other.user.id, email: other.email });
    expect((await accounts().list(other.user)).map((a) => a.id)).toEqual([UPBIT]);
    expect((await accounts().list(other.user))[0]).toMatchObject({ owned: false, canShare: false });
    expect((await accounts().balance(other.user, UPBIT)).balance.cash?.currency).toBe('KRW');
    // Someone it was shared with may not pass it on.
    expect(await codeOf(accounts().share(other.user, UPBIT, { email: admin.email }))).toBe('FORBIDDEN');
    expect(await codeOf(accounts().share(admin.user, UPBIT, { email: 'nobody@sise.test' }))).toBe('NOT_FOUND');
    expect(await codeOf(accounts().share(admin.user, UPBIT, { mail: other.email }))).toBe('BAD_REQUEST');
    expect((await accounts().shares(admin.user, UPBIT)).map((s) => s.email)).toEqual([other.email]);

    await accounts().unshare(admin.user, UPBIT, other.user.id);
    expect(await accounts().list(other.user)).toEqual([]);
    expect(await codeOf(accounts().balance(other.user, UPBIT))).toBe('FORBIDDEN');
    expect(await codeOf(accounts().unshare(admin.user, UPBIT, other.user.id))).toBe('NOT_FOUND');
  });

  it("streams a shared account to the user's socket, and stops at once when it is unshared", async () => {
    await accounts().share(admin.user, KIS, { email: other.email });
    const socket = await client(other);
    const seen: OrderEvent[] = [];
    socket.on('order', (event) => seen.push(event));
    expect((await request(socket, 'subscribe', { accounts: [KIS] })).results[0]).toMatchObject({ id: KIS, ok: true });

    const first = await accounts().placeOrder(admin.user, { accountId: KIS, symbol: SAMSUNG, side: 'buy', type: 'market', qty: 1 });
    await waitFor(() => seen.some((o) => o.orderId === first.orderId && o.status === 'filled'), "the shared account's fill");

    await accounts().unshare(admin.user, KIS, other.user.id);
    const owner = await client(admin);
    const ownerSaw: OrderEvent[] = [];
    owner.on('order', (event) => ownerSaw.push(event));
    await request(owner, 'subscribe', { accounts: [KIS] });
    const second = await accounts().placeOrder(admin.user, { accountId: KIS, symbol: SAMSUNG, side: 'buy', type: 'market', qty: 1 });
    await waitFor(() => ownerSaw.some((o) => o.orderId === second.orderId && o.status === 'filled'), "the owner's fill");
    expect(seen.some((o) => o.orderId === second.orderId)).toBe(false);
  });

  it("refuses another user's socket join to acct:<id>, and none of the account's events reach it", async () => {
    const owner = await client(admin);
    const stranger = await client(other);
    const strangerFrames: Array<[string, unknown]> = [];
    stranger.onAny((event: string, payload: unknown) => strangerFrames.push([event, payload]));
    const ownerOrders: OrderEvent[] = [];
    owner.on('order', (event) => ownerOrders.push(event));

    const refused = await request(stranger, 'subscribe', { accounts: [KIS, 'kis:99999999-99'] });
    expect(refused.results.map((r) => [r.id, r.ok, r.ok ? null : r.error.code])).toEqual([
      [KIS, false, 'FORBIDDEN'],
      ['kis:99999999-99', false, 'FORBIDDEN'],
    ]);
    expect((await request(owner, 'subscribe', { accounts: [KIS] })).results).toEqual([{ kind: 'account', id: KIS, ok: true }]);

    const price = await crossingBuyPrice(SAMSUNG);
    const { orderId } = await accounts().placeOrder(admin.user, { accountId: KIS, symbol: SAMSUNG, side: 'buy', type: 'limit', qty: 1, price });
    await waitFor(() => ownerOrders.some((o) => o.orderId === orderId && o.status === 'filled'), 'the owner to see the fill');
    // The owner's socket got the whole lifecycle; the stranger's got feed statuses and nothing naming the account.
    expect(strangerFrames.every(([event]) => event === 'feed')).toBe(true);
    expect(JSON.stringify(strangerFrames)).not.toContain(KIS);
  });
});

describe('orders', () => {
  const order = (fields: Record<string, unknown>) => ({ accountId: KIS, symbol: SAMSUNG, side: 'buy', type: 'limit', qty: 1, price: 50_000, ...fields });

  it('refuses malformed and off-grid orders with a reason', async () => {
    const offGrid = await accounts().placeOrder(admin.user, order({ price: 72_350 })).catch((e: Error) => e);
    expect(offGrid).toMatchObject({ code: 'BAD_REQUEST' });
    expect((offGrid as Error).message).toMatch(/72,350 is not on the KRX price grid \(tick 100 there\): use 72,300 or 72,400/);

    expect(await codeOf(accounts().placeOrder(admin.user, order({ qty: 1.5 })))).toBe('BAD_REQUEST');
    expect(await codeOf(accounts().placeOrder(admin.user, order({ qty: 0 })))).toBe('BAD_REQUEST');
    expect(await codeOf(accounts().placeOrder(admin.user, order({ price: undefined })))).toBe('BAD_REQUEST');
    expect(await codeOf(accounts().placeOrder(admin.user, order({ type: 'market' })))).toBe('BAD_REQUEST');
    expect(await codeOf(accounts().placeOrder(admin.user, order({ side: 'short' })))).toBe('BAD_REQUEST');
    expect(await codeOf(accounts().placeOrder(admin.user, order({ symbol: 'UPBIT:KRW-BTC', price: 100_000_000 })))).toBe('BAD_REQUEST');
    expect(await codeOf(accounts().placeOrder(admin.user, order({ symbol: 'KRX:999999' })))).toBe('UNKNOWN_SYMBOL');
    expect(await codeOf(accounts().placeOrder(admin.user, { symbol: SAMSUNG }))).toBe('BAD_REQUEST');
    expect(await codeOf(accounts().placeOrder(admin.user, null))).toBe('BAD_REQUEST');
    // Upbit quantities take up to 8 decimals; a 9th is refused.
    expect(await codeOf(accounts().placeOrder(admin.user, order({ accountId: UPBIT, symbol: 'UPBIT:KRW-BTC', qty: 0.123456789, price: 100_000_000 })))).toBe('BAD_REQUEST');
  });

  it('places a resting order, lists it as open, and cancels it', async () => {
    const price = await restingBuyPrice(SAMSUNG);
    const { orderId } = await accounts().placeOrder(admin.user, order({ price, qty: 2 }));
    const open = await accounts().openOrders(admin.user, KIS);
    expect(open.orders.find((o) => o.orderId === orderId)).toMatchObject({ symbol: SAMSUNG, side: 'buy', qty: 2, price });
    await accounts().cancelOrder(admin.user, KIS, orderId);
    await until(async () => !(await accounts().openOrders(admin.user, KIS)).orders.some((o) => o.orderId === orderId), 'the order to leave the open list');
  });

  it('modifies a resting order on a broker that can (Kiwoom): the new price stands under the new order number', async () => {
    const KIWOOM = 'kiwoom:5012345678';
    const price = await restingBuyPrice(SAMSUNG);
    const { orderId } = await accounts().placeOrder(admin.user, order({ accountId: KIWOOM, price, qty: 3 }));
    await until(async () => (await accounts().openOrders(admin.user, KIWOOM)).orders.some((o) => o.orderId === orderId), 'the order to be working');
    const lower = roundToKrxGrid(price * 0.99, 'down');

    const offGrid = await accounts().modifyOrder(admin.user, KIWOOM, orderId, { price: lower + 1 }).catch((e: Error) => e);
    expect(offGrid).toMatchObject({ code: 'BAD_REQUEST' });
    expect(await codeOf(accounts().modifyOrder(admin.user, KIWOOM, orderId, { price: lower, qty: 4 }))).toBe('BAD_REQUEST');
    expect(await codeOf(accounts().modifyOrder(admin.user, KIWOOM, 'no-such-order', { price: lower }))).toBe('NOT_FOUND');
    expect(await codeOf(accounts().modifyOrder(admin.user, KIS, orderId, { price: lower }))).toBe('NOT_SUPPORTED');
    const other = await addTestUser(server.auth!);
    expect(await codeOf(accounts().modifyOrder(other.user, KIWOOM, orderId, { price: lower }))).toBe('FORBIDDEN');

    const { orderId: newOrderId } = await accounts().modifyOrder(admin.user, KIWOOM, orderId, { price: lower, qty: 2 });
    expect(newOrderId).not.toBe(orderId);
    await until(async () => {
      const open = (await accounts().openOrders(admin.user, KIWOOM)).orders;
      return !open.some((o) => o.orderId === orderId) && open.some((o) => o.orderId === newOrderId && o.price === lower && o.remainingQty === 2);
    }, 'the modified order to stand in place of the old one');
    await accounts().cancelOrder(admin.user, KIWOOM, newOrderId);
    await until(async () => !(await accounts().openOrders(admin.user, KIWOOM)).orders.some((o) => o.orderId === newOrderId), 'the modified order to be cancelled');
  });

  it('refuses orders and cancels on a real-money account while ALLOW_REAL_ORDERS is off, without calling the broker', async () => {
    const sim = server.accountDirectory.get(KIS)!.session;
    const calls: string[] = [];
    const real: AccountSession = {
      accountId: 'kis:77700000-01',
      capabilities: { ...sim.capabilities, realMoney: true },
      balance: () => sim.balance(),
      openOrders: () => sim.openOrders(),
      placeOrder: async (r) => (calls.push('place'), sim.placeOrder(r)),
      cancelOrder: async (id) => void calls.push(`cancel ${id}`),
    };
    server.accountDirectory.add({ session: real, broker: 'kis', ownerUserId: null, label: '한국투자증권 77700000-01' });
    try {
      const listed = (await accounts().list(admin.user)).find((a) => a.id === real.accountId);
      expect(listed).toMatchObject({ realMoney: true, ordersAllowed: false, ordersRefusedReason: REAL_ORDERS_REFUSED });
      const refusal = await accounts().placeOrder(admin.user, order({ accountId: real.accountId })).catch((e: Error) => e);
      expect(refusal).toMatchObject({ code: 'FORBIDDEN' });
      expect((refusal as Error).message).toContain('ALLOW_REAL_ORDERS=true');
      expect(await codeOf(accounts().cancelOrder(admin.user, real.accountId, '1'))).toBe('FORBIDDEN');
      expect(calls).toEqual([]);
    } finally {
      server.accountDirectory.remove(real.accountId);
    }
  });

  it('passes a broker refusal on with its code, and says when a broker cannot cancel', async () => {
    expect(await codeOf(accounts().cancelOrder(admin.user, 'kiwoom-bridge:8012345611', '1'))).toBe('NOT_SUPPORTED');
    // 10,000 shares of 삼성전자 is far more than the simulated 100,000,000 won buys.
    const price = await crossingBuyPrice(SAMSUNG);
    const refusal = await accounts().placeOrder(admin.user, order({ qty: 10_000, price })).catch((e: Error) => e);
    expect(refusal).toMatchObject({ code: 'BAD_REQUEST' });
  });
});

describe('the fill journal', () => {
  it("keeps today's fills across a restart", async () => {
    const price = await crossingBuyPrice(SAMSUNG);
    const { orderId } = await accounts().placeOrder(admin.user, { accountId: KIS, symbol: SAMSUNG, side: 'buy', type: 'limit', qty: 3, price });
    const filledQty = async () =>
      (await accounts().fillsToday(admin.user, KIS)).fills.filter((f) => f.orderId === orderId).reduce((sum, f) => sum + f.qty, 0);
    await until(async () => (await filledQty()) === 3, 'the whole order in the journal');
    const before = (await accounts().fillsToday(admin.user, KIS)).fills;
    const mine = before.filter((f) => f.orderId === orderId);
    expect(mine.reduce((sum, f) => sum + f.qty, 0)).toBe(3);
    for (const fill of mine) expect(fill).toMatchObject({ symbol: SAMSUNG, side: 'buy', type: 'limit', orderQty: 3, orderPrice: price });

    for (const socket of sockets.splice(0)) socket.disconnect();
    await server.close();
    server = await start();
    const after = (await accounts().fillsToday(admin.user, KIS)).fills;
    expect(after).toEqual(before);
  }, 60_000);
});
