/**
 * The simulator's own rules, proven with a bare `ws` client written from protocols/upbit.md (not with our
 * adapter), so the simulator follows the reference and not whatever the adapter happens to do.
 */
import { createHash, randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { SymbolId } from '../../../lib/contracts';
import { MarketEngine } from '../../market/market-engine';
import { waitFor } from '../../relay/test-socket';
import { SIM_CREDENTIALS, SIM_INITIAL_KRW, SIM_ISSUED_CREDENTIALS, UpbitSimulator, type UpbitSimulatorUrls } from './simulator';

const UPBIT_SYMBOLS: SymbolId[] = ['UPBIT:KRW-BTC', 'UPBIT:KRW-ETH', 'UPBIT:KRW-XRP'];
/** Short idle close for the idle test; real Upbit waits 120 s. */
const TEST_IDLE_MS = 400;

type Json = Record<string, unknown>;

/** A raw client: text requests out, binary JSON frames in (§1.2). */
class RawClient {
  readonly frames: Json[] = [];
  readonly binary: boolean[] = [];
  closed = false;
  closeCode = 0;
  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      this.binary.push(isBinary);
      this.frames.push(JSON.parse(data.toString('utf8')) as Json);
    });
    ws.on('close', (code) => {
      this.closed = true;
      this.closeCode = code;
    });
  }

  static async open(url: string, headers: Record<string, string> = {}): Promise<RawClient> {
    const ws = new WebSocket(url, { headers });
    const client = new RawClient(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return client;
  }

  send(body: unknown): void {
    this.ws.send(typeof body === 'string' ? body : JSON.stringify(body));
  }

  of(type: string, key = 'type'): Json[] {
    return this.frames.filter((f) => f[key] === type);
  }

  async until(predicate: () => boolean, what: string): Promise<void> {
    await waitFor(predicate, what, 5_000);
  }
}

/** §2: HS512 over access_key + nonce (+ query_hash of the unescaped query for REST calls with parameters). */
async function bearer(query?: string, secret = SIM_CREDENTIALS.secretKey, nonce = randomUUID()): Promise<string> {
  const payload: Json = { access_key: SIM_CREDENTIALS.accessKey, nonce };
  if (query) Object.assign(payload, { query_hash: createHash('sha512').update(query).digest('hex'), query_hash_alg: 'SHA512' });
  return `Bearer ${await new SignJWT(payload).setProtectedHeader({ alg: 'HS512', typ: 'JWT' }).sign(new TextEncoder().encode(secret))}`;
}

let engine: MarketEngine;
let sim: UpbitSimulator;
let urls: UpbitSimulatorUrls;
const clients: RawClient[] = [];

beforeEach(async () => {
  engine = new MarketEngine({ seed: 11, alwaysOpen: true, activity: 20, symbols: UPBIT_SYMBOLS });
  sim = new UpbitSimulator({ engine });
  urls = await sim.start();
});

afterEach(async () => {
  for (const c of clients.splice(0)) c.ws.terminate();
  await sim.stop();
});

async function client(url = urls.wsUrl, headers: Record<string, string> = {}): Promise<RawClient> {
  const c = await RawClient.open(url, headers);
  clients.push(c);
  return c;
}

/** Steps the engine until `predicate` holds: the market moves only when the test says so. */
async function stepUntil(predicate: () => boolean, what: string): Promise<void> {
  const started = Date.now();
  while (!predicate()) {
    if (Date.now() - started > 5_000) throw new Error(`timed out waiting for ${what}`);
    engine.step(50);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('public quotation', () => {
  it('answers a request with binary SNAPSHOT frames, then REALTIME ones, at the asked depth', async () => {
    const c = await client();
    c.send([{ ticket: 't1' }, { type: 'ticker', codes: ['KRW-BTC'] }, { type: 'orderbook', codes: ['KRW-BTC.5'] }, { format: 'DEFAULT' }]);
    await c.until(() => c.of('ticker').length >= 1 && c.of('orderbook').length >= 1, 'snapshots');
    expect(c.of('ticker')[0]).toMatchObject({ code: 'KRW-BTC', stream_type: 'SNAPSHOT' });
    expect(c.of('orderbook')[0]).toMatchObject({ stream_type: 'SNAPSHOT', level: 0 });
    expect(c.of('orderbook')[0]!.orderbook_units).toHaveLength(5);
    await stepUntil(() => c.of('ticker').some((f) => f.stream_type === 'REALTIME'), 'a realtime ticker');
    expect(c.binary.every(Boolean)).toBe(true);
    expect(c.frames.every((f) => f.type === 'ticker' || f.type === 'orderbook')).toBe(true);
  });

  it('speaks SIMPLE keys when asked, in the documented key order', async () => {
    const c = await client();
    await stepUntil(() => engine.state('UPBIT:KRW-BTC')?.lastTrade !== null, 'a first BTC trade');
    c.send([{ ticket: 't' }, { type: 'trade', codes: ['KRW-BTC'] }, { format: 'SIMPLE' }]);
    await c.until(() => c.of('trade', 'ty').length >= 1, 'a SIMPLE trade');
    const keys = Object.keys(c.of('trade', 'ty')[0]!);
    expect(keys.slice(0, 6)).toEqual(['ty', 'cd', 'tms', 'td', 'ttm', 'ttms']);
    expect(keys).toContain('sid');
  });

  it('replaces the whole set with every request', async () => {
    const c = await client();
    c.send([{ ticket: 'a' }, { type: 'trade', codes: ['KRW-BTC'], is_only_realtime: true }]);
    await stepUntil(() => c.of('trade').some((f) => f.code === 'KRW-BTC'), 'BTC trades');
    c.send([{ ticket: 'b' }, { type: 'trade', codes: ['KRW-ETH'], is_only_realtime: true }]);
    await waitFor(() => sim.requestsApplied === 2, 'the second request');
    const before = c.frames.length;
    await stepUntil(() => c.frames.slice(before).filter((f) => f.code === 'KRW-ETH').length >= 3, 'ETH trades');
    expect(c.frames.slice(before).some((f) => f.code === 'KRW-BTC')).toBe(false);
  });

  it('is_only_snapshot sends the snapshot and nothing more; is_only_realtime skips it', async () => {
    const c = await client();
    c.send([{ ticket: 'a' }, { type: 'orderbook', codes: ['KRW-XRP'], is_only_snapshot: true }, { type: 'ticker', codes: ['KRW-ETH'], is_only_realtime: true }]);
    await c.until(() => c.of('orderbook').length === 1, 'the orderbook snapshot');
    await stepUntil(() => c.of('ticker').length >= 2, 'realtime tickers');
    expect(c.of('orderbook')).toHaveLength(1);
    expect(c.of('ticker').every((f) => f.stream_type === 'REALTIME')).toBe(true);
  });

  it('answers PING with {"status":"UP"} and bad requests with error frames, keeping the socket open', async () => {
    const c = await client();
    c.send('PING');
    c.send([{ type: 'ticker', codes: ['KRW-BTC'] }]);
    c.send([{ ticket: 't' }, { type: 'ticker' }]);
    c.send([{ ticket: 't' }, { type: 'myAsset' }]);
    await c.until(() => c.frames.length === 4, 'four answers');
    expect(c.frames[0]).toEqual({ status: 'UP' });
    expect(c.frames.slice(1).map((f) => (f.error as Json).name)).toEqual(['NO_TICKET', 'NO_CODES', 'INVALID_PARAM']);
    expect(c.closed).toBe(false);
  });

  it('lists the current subscriptions', async () => {
    const c = await client();
    c.send([{ ticket: 'a' }, { type: 'orderbook', codes: ['KRW-BTC.15'] }, { format: 'SIMPLE' }]);
    c.send([{ ticket: 'q' }, { method: 'LIST_SUBSCRIPTIONS' }, { format: 'DEFAULT' }]);
    await c.until(() => c.frames.some((f) => f.method === 'LIST_SUBSCRIPTIONS'), 'the list');
    expect(c.frames.find((f) => f.method)).toEqual({ method: 'LIST_SUBSCRIPTIONS', result: [{ type: 'orderbook', codes: ['KRW-BTC.15'] }], ticket: 'q' });
  });

  it('batches list-format frames in one JSON array', async () => {
    sim.faults.listBatch = 3;
    const c = await RawClient.open(urls.wsUrl);
    clients.push(c);
    const arrays: unknown[][] = [];
    c.ws.on('message', (data: Buffer) => {
      const parsed: unknown = JSON.parse(data.toString('utf8'));
      if (Array.isArray(parsed)) arrays.push(parsed);
    });
    c.send([{ ticket: 'a' }, { type: 'ticker', codes: ['KRW-BTC', 'KRW-ETH', 'KRW-XRP'] }, { format: 'SIMPLE_LIST' }]);
    await waitFor(() => arrays.length >= 1, 'a list frame');
    expect(arrays[0]).toHaveLength(3);
    expect((arrays[0]![0] as Json).ty).toBe('ticker');
  });

  it('limits requests to 5 a second per connection with an error frame', async () => {
    const c = await client();
    for (let i = 0; i < 6; i++) c.send([{ ticket: `t${i}` }, { type: 'ticker', codes: ['KRW-BTC'], is_only_realtime: true }]);
    await c.until(() => c.frames.some((f) => (f.error as Json | undefined)?.name === 'TOO_MANY_REQUESTS'), 'the rate-limit answer');
    expect(sim.requestsApplied).toBe(5);
  });

  it('refuses a sixth handshake in a second with HTTP 429, and bans repeat offenders with 418', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 16; i++) {
      statuses.push(
        await new Promise<number>((resolve) => {
          const ws = new WebSocket(urls.wsUrl);
          ws.on('open', () => {
            ws.terminate();
            resolve(101);
          });
          ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
          ws.on('error', () => undefined);
        }),
      );
    }
    expect(statuses.slice(0, 5)).toEqual([101, 101, 101, 101, 101]);
    expect(statuses[5]).toBe(429);
    expect(statuses).toContain(418);
  });

  it('closes a connection idle in both directions, and keeps one that pings', async () => {
    const idleSim = new UpbitSimulator({ engine, idleCloseMs: TEST_IDLE_MS });
    const idleUrls = await idleSim.start();
    try {
      const quiet = await client(idleUrls.wsUrl);
      const pinging = await client(idleUrls.wsUrl);
      const timer = setInterval(() => pinging.send('PING'), TEST_IDLE_MS / 4);
      await quiet.until(() => quiet.closed, 'the idle close');
      clearInterval(timer);
      expect(pinging.closed).toBe(false);
      expect(pinging.of('UP', 'status').length).toBeGreaterThan(0);
    } finally {
      await idleSim.stop();
    }
  });
});

describe('private stream and REST', () => {
  it('refuses a private connection without a valid, fresh JWT with INVALID_AUTH', async () => {
    const none = await client(urls.privateWsUrl);
    await none.until(() => none.closed, 'the close');
    expect(none.frames).toEqual([{ error: { name: 'INVALID_AUTH', message: '인증 정보가 올바르지 않습니다.' } }]);

    const wrongSecret = await client(urls.privateWsUrl, { authorization: await bearer(undefined, 'not-the-secret') });
    await wrongSecret.until(() => wrongSecret.closed, 'the close');
    expect(wrongSecret.frames[0]).toMatchObject({ error: { name: 'INVALID_AUTH' } });

    const nonce = randomUUID();
    const first = await client(urls.privateWsUrl, { authorization: await bearer(undefined, undefined, nonce) });
    const replay = await client(urls.privateWsUrl, { authorization: await bearer(undefined, undefined, nonce) });
    await replay.until(() => replay.closed, 'the replay refused');
    expect(first.closed).toBe(false);
    expect(replay.frames[0]).toMatchObject({ error: { name: 'INVALID_AUTH' } });
  });

  it('serves the balance over REST only with a JWT', async () => {
    const anonymous = await fetch(`${urls.restUrl}/v1/accounts`);
    expect(anonymous.status).toBe(401);
    const res = await fetch(`${urls.restUrl}/v1/accounts`, { headers: { authorization: await bearer() } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual([{ currency: 'KRW', balance: '100000000', locked: '0', avg_buy_price: '0', avg_buy_price_modified: false, unit_currency: 'KRW' }]);
  });

  it('turns a paper order into myOrder and myAsset frames, and the balance follows', async () => {
    const c = await client(urls.privateWsUrl, { authorization: await bearer() });
    c.send([{ ticket: 'p' }, { type: 'myOrder' }, { type: 'myAsset' }]);
    await waitFor(() => sim.requestsApplied === 1, 'the private subscription');
    await stepUntil(() => (engine.state('UPBIT:KRW-XRP')?.book.asks.length ?? 0) > 0, 'an XRP book');
    const body = { market: 'KRW-XRP', side: 'bid', volume: '10', price: String(engine.state('UPBIT:KRW-XRP')!.book.asks[0]!.price), ord_type: 'limit' };
    const query = Object.entries(body).map(([k, v]) => `${k}=${v}`).join('&');
    const res = await fetch(`${urls.restUrl}/v1/orders`, { method: 'POST', headers: { authorization: await bearer(query), 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(res.status).toBe(201);
    const order = (await res.json()) as Json;
    await c.until(() => c.of('myOrder').some((f) => f.state === 'done') && c.of('myAsset').length >= 2, 'the fill frames');
    const states = c.of('myOrder').map((f) => f.state);
    expect(states[0]).toBe('wait');
    expect(states).toContain('trade');
    expect(c.of('myOrder').every((f) => f.uuid === order.uuid)).toBe(true);
    const xrp = c.of('myAsset').flatMap((f) => f.assets as Json[]).filter((a) => a.currency === 'XRP').at(-1);
    expect(xrp).toEqual({ currency: 'XRP', balance: 10, locked: 0 });
    const accounts = (await (await fetch(`${urls.restUrl}/v1/accounts`, { headers: { authorization: await bearer() } })).json()) as Json[];
    expect(accounts.find((a) => a.currency === 'XRP')).toMatchObject({ balance: '10', locked: '0' });
  });

  it('refuses an order whose query_hash does not match its body', async () => {
    const body = { market: 'KRW-BTC', side: 'bid', volume: '1', price: '1000', ord_type: 'limit' };
    const res = await fetch(`${urls.restUrl}/v1/orders`, { method: 'POST', headers: { authorization: await bearer('market=KRW-ETH'), 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(res.status).toBe(401);
  });

  it('refuses an order the account cannot pay for', async () => {
    const body = { market: 'KRW-BTC', side: 'bid', volume: '100', price: '137500000', ord_type: 'limit' };
    const query = Object.entries(body).map(([k, v]) => `${k}=${v}`).join('&');
    const res = await fetch(`${urls.restUrl}/v1/orders`, { method: 'POST', headers: { authorization: await bearer(query), 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { name: 'insufficient_funds_bid' } });
  });
});

describe('several customers', () => {
  /** A JWT for any key pair (the bearer() above signs for SIM_CREDENTIALS only). */
  async function bearerFor(accessKey: string, secretKey: string, query?: string): Promise<string> {
    const payload: Json = { access_key: accessKey, nonce: randomUUID() };
    if (query) Object.assign(payload, { query_hash: createHash('sha512').update(query).digest('hex'), query_hash_alg: 'SHA512' });
    return `Bearer ${await new SignJWT(payload).setProtectedHeader({ alg: 'HS512', typ: 'JWT' }).sign(new TextEncoder().encode(secretKey))}`;
  }

  it('keeps each issued key pair on its own paper account; a pair signed with the wrong secret is refused', async () => {
    await sim.stop();
    sim = new UpbitSimulator({ engine, accounts: [{ ...SIM_CREDENTIALS, krw: SIM_INITIAL_KRW }, { ...SIM_ISSUED_CREDENTIALS, krw: SIM_INITIAL_KRW }] });
    urls = await sim.start();
    const second = SIM_ISSUED_CREDENTIALS;
    const forged = await fetch(`${urls.restUrl}/v1/accounts`, { headers: { authorization: await bearerFor(second.accessKey, SIM_CREDENTIALS.secretKey) } });
    expect(forged.status).toBe(401);

    await stepUntil(() => (engine.state('UPBIT:KRW-XRP')?.book.asks.length ?? 0) > 0, 'an XRP book');
    const body = { market: 'KRW-XRP', side: 'bid', volume: '10', price: String(engine.state('UPBIT:KRW-XRP')!.book.asks[0]!.price), ord_type: 'limit' };
    const query = Object.entries(body).map(([k, v]) => `${k}=${v}`).join('&');
    const placed = await fetch(`${urls.restUrl}/v1/orders`, {
      method: 'POST',
      headers: { authorization: await bearerFor(second.accessKey, second.secretKey, query), 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(placed.status).toBe(201);
    const balances = async (accessKey: string, secretKey: string) =>
      (await (await fetch(`${urls.restUrl}/v1/accounts`, { headers: { authorization: await bearerFor(accessKey, secretKey) } })).json()) as Json[];
    expect(sim.accountIdOf(second.accessKey)).toBe('upbit:simdemo2');
    const secondXrp = async () => (await balances(second.accessKey, second.secretKey)).find((a) => a.currency === 'XRP');
    const started = Date.now();
    while (!(await secondXrp())) {
      if (Date.now() - started > 5_000) throw new Error('the second customer never held XRP');
      engine.step(50);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect((await balances(SIM_CREDENTIALS.accessKey, SIM_CREDENTIALS.secretKey)).map((a) => a.currency)).toEqual(['KRW']);
  });
});
