/**
 * A loopback Upbit (protocols/upbit.md §9) driven by the shared MarketEngine: the public quotation WebSocket
 * (`/websocket/v1`), the private one (`/websocket/v1/private`, JWT in the upgrade), and the REST calls Sise uses
 * (`/v1/accounts`, `/v1/orders`, `/v1/orders/open`, `/v1/order`, `/v1/ticker`) on one HTTP port.
 *
 * It follows the reference, not our adapter: binary frames of UTF-8 JSON in DEFAULT/SIMPLE/JSON_LIST/SIMPLE_LIST;
 * every request replaces the connection's set, then SNAPSHOT frames unless `is_only_realtime`, then REALTIME unless
 * `is_only_snapshot`; orderbook depth from `.N`; error frames for bad requests; `PING` → `{"status":"UP"}`; idle
 * close after 120 s; 5 requests/s and 100/min per connection; 5 handshakes/s (HTTP 429, then 418 bans); REST 30/s.
 * Paper orders go to the engine with owner = the account id and come back as myOrder/myAsset frames.
 *
 * Choices where the reference is silent (§11): error frames are binary and do not close the socket, except
 * INVALID_AUTH, which closes the private connection; a request over the rate limit gets a `TOO_MANY_REQUESTS`
 * error frame and is ignored; unknown codes are accepted and stay silent; `total_*_size` sum the units sent;
 * `level` is echoed but prices are not regrouped; one `UP` per `PING`; market buys (`ord_type: price`) are sized at
 * the best ask, and myOrder carries that size in `volume` (Upbit sends null there).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { readJsonObject } from '../simulator-http';
import type { SymbolId } from '../../../lib/contracts';
import type { EngineBook, EngineTrade, PaperOrder, PaperOrderUpdate } from '../../market/engine-types';
import type { MarketEngine } from '../../market/market-engine';
import { PaperOrderError } from '../../market/paper-orders';
import { verifyAuthorization, type QueryParams, type UpbitCredentials } from './auth';
import { upbitAccountId } from './account';
import {
  decodeClientMessage,
  encodeError,
  encodeFrames,
  encodeListResult,
  isListFormat,
  numberToDecimal,
  parseOrderbookCode,
  STATUS_UP,
  type DataFrame,
  type MyOrderFrame,
  type OrderbookFrame,
  type QuoteType,
  type RestOrder,
  type SubscribeRequest,
  type TickerFrame,
  type TradeFrame,
  type UpbitErrorName,
  type UpbitFormat,
} from './codec';
import { compareDecimal, mulDecimal } from './decimal';
import { REST_LIMITS, SlidingWindowLimiter, WS_CONNECT_LIMITS, WS_REQUEST_LIMITS, type RateWindow } from './rate-limit';
import { SimLedger } from './sim-ledger';

/** The simulator's key pair unless told otherwise; the account id is `upbit:simupbit`. 40 characters, as Upbit's. */
export const SIM_CREDENTIALS: UpbitCredentials = {
  accessKey: 'simupbitAccessKey000000000000000000000000',
  secretKey: 'simupbitSecretKey000000000000000000000000',
};
/**
 * A second key pair the simulated Upbit has issued (account `upbit:simdemo2`), so users can link "their own"
 * account in the demo; the factory gives it its own paper account.
 */
export const SIM_ISSUED_CREDENTIALS: UpbitCredentials = {
  accessKey: 'simdemo2AccessKey00000000000000000000000',
  secretKey: 'simdemo2SecretKey000000000000000000Yt4Qw',
};
/** 100 million won: enough for a few BTC, as a demo account should be. */
export const SIM_INITIAL_KRW = '100000000';
/** Upbit closes a connection after 120 s without data either way (§1.3). */
export const IDLE_CLOSE_MS = 120_000;
/** 429s on the handshake within a minute after which the simulator bans with 418, as Upbit does on repetition. */
const BAN_AFTER_REFUSALS = 10;
/** A first ban is short on Upbit; the simulator's is fixed, and says so in Retry-After. */
const BAN_MS = 30_000;
/** Nonces remembered per key to refuse a replayed token; old ones are forgotten first. */
const MAX_REMEMBERED_NONCES = 10_000;
/** Upbit's own text for the documented error (V10). */
const INVALID_AUTH_MESSAGE = '인증 정보가 올바르지 않습니다.';
/** Largest REST body read: an order is a few hundred bytes. */
const MAX_BODY_BYTES = 16_384;

export interface SimAccount extends UpbitCredentials {
  /** Starting KRW balance, decimal text. */
  krw: string;
}

export interface UpbitSimulatorOptions {
  engine: MarketEngine;
  accounts?: SimAccount[];
  idleCloseMs?: number;
  requestLimits?: readonly RateWindow[];
  connectLimits?: readonly RateWindow[];
  restLimits?: readonly RateWindow[];
}

export interface UpbitSimulatorUrls {
  /** Public quotation endpoint; the private one is this + `/private`. */
  wsUrl: string;
  privateWsUrl: string;
  restUrl: string;
}

/** Switches for fault drills. */
export interface UpbitSimulatorFaults {
  /** Stop sending anything (data, UP answers): a hung server the client must detect. */
  silent: boolean;
  /** Answer every handshake with HTTP 429. */
  refuseConnects: boolean;
  /** Answer the next subscribe request with this error frame instead of applying it. */
  rejectNextRequest: UpbitErrorName | null;
  /** Refuse every token (a revoked key): INVALID_AUTH on the private stream, 401 on REST. */
  revokeKeys: boolean;
  /** Send list formats' frames batched by this many (JSON_LIST/SIMPLE_LIST), holding them until full. */
  listBatch: number;
}

interface Subscription {
  codes: Map<string, number>;
  realtime: boolean;
}

interface Connection {
  ws: WebSocket;
  isPrivate: boolean;
  accountId: string | null;
  format: UpbitFormat | null;
  quotes: Map<QuoteType, Subscription>;
  myOrder: { codes: Set<string> | null } | null;
  myAsset: boolean;
  limiter: SlidingWindowLimiter;
  idle: NodeJS.Timeout | null;
  pending: DataFrame[];
}

interface AccountState {
  credentials: SimAccount;
  accountId: string;
  ledger: SimLedger;
  nonces: Set<string>;
  restLimiter: SlidingWindowLimiter;
  tradeCounts: Map<string, number>;
}

export class UpbitSimulator {
  readonly faults: UpbitSimulatorFaults = { silent: false, refuseConnects: false, rejectNextRequest: null, revokeKeys: false, listBatch: 1 };
  private readonly engine: MarketEngine;
  private readonly http: Server;
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly connections = new Set<Connection>();
  private readonly accounts = new Map<string, AccountState>();
  private readonly connectLimiter: SlidingWindowLimiter;
  private readonly refusals: number[] = [];
  private bannedUntil = 0;
  private sequence = 0;
  private readonly idleCloseMs: number;
  private readonly requestLimits: readonly RateWindow[];
  private urls: UpbitSimulatorUrls | null = null;
  /** Requests applied, per connection order; tests read it to know a set has taken effect. */
  requestsApplied = 0;

  private readonly onTrade = (trade: EngineTrade) => this.publishTrade(trade);
  private readonly onBook = (book: EngineBook) => this.publishBook(book);
  /** The latest book per symbol, for the best bid/ask a trade frame carries (engine.state() would copy the book). */
  private readonly books = new Map<SymbolId, EngineBook>();
  private readonly onOrder = (update: PaperOrderUpdate) => this.publishOrder(update);

  constructor(options: UpbitSimulatorOptions) {
    this.engine = options.engine;
    this.idleCloseMs = options.idleCloseMs ?? IDLE_CLOSE_MS;
    this.requestLimits = options.requestLimits ?? WS_REQUEST_LIMITS;
    this.connectLimiter = new SlidingWindowLimiter(options.connectLimits ?? WS_CONNECT_LIMITS);
    const restLimits = options.restLimits ?? REST_LIMITS;
    for (const credentials of options.accounts ?? [{ ...SIM_CREDENTIALS, krw: SIM_INITIAL_KRW }]) {
      this.accounts.set(credentials.accessKey, {
        credentials,
        accountId: upbitAccountId(credentials.accessKey),
        ledger: new SimLedger(credentials.krw),
        nonces: new Set(),
        restLimiter: new SlidingWindowLimiter(restLimits),
        tradeCounts: new Map(),
      });
    }
    this.http = createServer((req, res) => void this.handleRest(req, res));
    this.http.on('upgrade', (req, socket, head) => void this.handleUpgrade(req, socket, head));
  }

  async start(): Promise<UpbitSimulatorUrls> {
    if (this.urls) return this.urls;
    await new Promise<void>((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen(0, '127.0.0.1', () => resolve());
    });
    const address = this.http.address();
    if (address === null || typeof address === 'string') throw new Error('the Upbit simulator has no TCP address');
    this.engine.on('trade', this.onTrade).on('book', this.onBook).on('order', this.onOrder);
    const base = `127.0.0.1:${address.port}`;
    this.urls = { wsUrl: `ws://${base}/websocket/v1`, privateWsUrl: `ws://${base}/websocket/v1/private`, restUrl: `http://${base}` };
    return this.urls;
  }

  async stop(): Promise<void> {
    this.engine.off('trade', this.onTrade).off('book', this.onBook).off('order', this.onOrder);
    for (const connection of this.connections) {
      if (connection.idle) clearTimeout(connection.idle);
      connection.ws.terminate();
    }
    this.connections.clear();
    this.wss.close();
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
    this.urls = null;
  }

  /** The account id of a simulated key (`upbit:<first 8 characters>`). */
  accountIdOf(accessKey: string): string | undefined {
    return this.accounts.get(accessKey)?.accountId;
  }

  /** What each open connection has asked for, for tests. */
  subscriptions(): Array<{ isPrivate: boolean; format: UpbitFormat | null; codes: Partial<Record<QuoteType, string[]>> }> {
    return [...this.connections].map((c) => ({
      isPrivate: c.isPrivate,
      format: c.format,
      codes: Object.fromEntries([...c.quotes.entries()].map(([type, sub]) => [type, [...sub.codes.keys()].sort()])),
    }));
  }

  /** Fault: every connection drops as on a network failure. */
  dropConnections(): void {
    for (const connection of this.connections) connection.ws.terminate();
  }

  /** Fault: one binary frame that is not JSON to every connection. */
  sendMalformed(): void {
    for (const connection of this.connections) connection.ws.send(Buffer.from('{"type":"trade","code":'), { binary: true });
  }

  // ----------------------------------------------------------------------------------------------------------
  // WebSocket
  // ----------------------------------------------------------------------------------------------------------

  private async handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const path = (req.url ?? '').split('?')[0];
    if (path !== '/websocket/v1' && path !== '/websocket/v1/private') return refuseUpgrade(socket, 404, 'Not Found');
    const now = Date.now();
    if (now < this.bannedUntil) return refuseUpgrade(socket, 418, "I'm a teapot", Math.ceil((this.bannedUntil - now) / 1000));
    if (this.faults.refuseConnects || !this.connectLimiter.tryTake()) {
      this.refusals.push(now);
      while (this.refusals.length > 0 && this.refusals[0]! < now - 60_000) this.refusals.shift();
      if (this.refusals.length >= BAN_AFTER_REFUSALS) {
        this.refusals.length = 0;
        this.bannedUntil = now + BAN_MS;
      }
      return refuseUpgrade(socket, 429, 'Too Many Requests');
    }
    const isPrivate = path.endsWith('/private');
    let account: AccountState | null = null;
    if (isPrivate) account = await this.authenticate(req.headers.authorization, []);
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      if (isPrivate && account === null) {
        // The documented answer to a failed private handshake is this frame (§2, V10); the socket closes after it.
        ws.send(Buffer.from(encodeError('INVALID_AUTH', INVALID_AUTH_MESSAGE)), { binary: true }, () => ws.close(1008, 'INVALID_AUTH'));
        return;
      }
      this.accept(ws, isPrivate, account);
    });
  }

  /** Returns the account for a valid, fresh token, else null. */
  private async authenticate(header: string | undefined, params: QueryParams): Promise<AccountState | null> {
    if (this.faults.revokeKeys) return null;
    const result = await verifyAuthorization(header, (key) => this.accounts.get(key)?.credentials.secretKey, params);
    if (!result.ok) return null;
    const account = this.accounts.get(result.accessKey)!;
    if (account.nonces.has(result.nonce)) return null;
    account.nonces.add(result.nonce);
    if (account.nonces.size > MAX_REMEMBERED_NONCES) account.nonces.delete(account.nonces.values().next().value!);
    return account;
  }

  private accept(ws: WebSocket, isPrivate: boolean, account: AccountState | null): void {
    const connection: Connection = {
      ws,
      isPrivate,
      accountId: account?.accountId ?? null,
      format: null,
      quotes: new Map(),
      myOrder: null,
      myAsset: false,
      limiter: new SlidingWindowLimiter(this.requestLimits),
      idle: null,
      pending: [],
    };
    this.connections.add(connection);
    this.touch(connection);
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      this.touch(connection);
      this.onClientMessage(connection, isBinary ? null : data.toString('utf8'));
    });
    // Protocol pings keep a connection alive too (§1.3); ws answers them with pongs by itself.
    ws.on('ping', () => this.touch(connection));
    ws.on('close', () => {
      if (connection.idle) clearTimeout(connection.idle);
      this.connections.delete(connection);
    });
    ws.on('error', () => undefined);
  }

  /** Any data either way restarts the idle countdown. */
  private touch(connection: Connection): void {
    if (connection.idle) clearTimeout(connection.idle);
    connection.idle = setTimeout(() => connection.ws.close(1000, 'idle timeout'), this.idleCloseMs);
    connection.idle.unref();
  }

  private onClientMessage(connection: Connection, text: string | null): void {
    if (text === null) return this.sendText(connection, encodeError('WRONG_FORMAT', 'requests are text frames'));
    const message = decodeClientMessage(text);
    switch (message.kind) {
      // PING
      case 'ping':
        return this.sendText(connection, STATUS_UP);
      // [{"type":"ticker","codes":["KRW-BTC"]}] → {"error":{"name":"NO_TICKET",…}}
      case 'invalid':
        return this.sendText(connection, encodeError(message.error, message.message));
      // [{"ticket":"…"},{"method":"LIST_SUBSCRIPTIONS"},{"format":"DEFAULT"}]
      case 'list':
        if (!connection.limiter.tryTake()) return this.sendText(connection, encodeError('TOO_MANY_REQUESTS', 'too many requests'));
        return this.sendText(connection, encodeListResult(message.ticket, this.listOf(connection), message.format ?? connection.format));
      // [{"ticket":"…"},{"type":"orderbook","codes":["KRW-BTC.15"]},{"type":"trade","codes":["KRW-BTC"]},{"format":"SIMPLE"}]
      case 'subscribe':
        if (!connection.limiter.tryTake()) return this.sendText(connection, encodeError('TOO_MANY_REQUESTS', 'too many requests'));
        if (this.faults.rejectNextRequest) {
          const name = this.faults.rejectNextRequest;
          this.faults.rejectNextRequest = null;
          return this.sendText(connection, encodeError(name, 'refused by the simulator (fault switch)'));
        }
        return this.applyRequest(connection, message.request);
    }
  }

  private applyRequest(connection: Connection, request: SubscribeRequest): void {
    for (const t of request.types) {
      const isQuote = t.type === 'ticker' || t.type === 'trade' || t.type === 'orderbook';
      if (isQuote === connection.isPrivate) {
        const where = connection.isPrivate ? 'the private endpoint' : 'the public endpoint';
        return this.sendText(connection, encodeError('INVALID_PARAM', `${t.type} is not served on ${where}`));
      }
    }
    // The whole set is replaced (§3.1), and the format applies to the whole connection.
    connection.format = request.format;
    connection.quotes.clear();
    connection.myOrder = null;
    connection.myAsset = false;
    this.requestsApplied++;
    const snapshots: DataFrame[] = [];
    for (const t of request.types) {
      if (t.type === 'myOrder') connection.myOrder = { codes: t.codes && t.codes.length > 0 ? new Set(t.codes) : null };
      else if (t.type === 'myAsset') connection.myAsset = true;
      else {
        const codes = new Map<string, number>();
        for (const raw of t.codes ?? []) {
          const { code, depth } = t.type === 'orderbook' ? parseOrderbookCode(raw) : { code: raw, depth: 0 };
          codes.set(code, depth);
        }
        connection.quotes.set(t.type, { codes, realtime: t.isOnlySnapshot !== true });
        if (t.isOnlyRealtime !== true) {
          for (const [code, depth] of codes) {
            const frame = this.snapshot(t.type, code, depth);
            if (frame) snapshots.push(frame);
          }
        }
      }
    }
    for (const frame of snapshots) this.sendFrame(connection, frame);
  }

  private listOf(connection: Connection): Array<{ type: string; codes?: string[]; level?: number }> {
    const result: Array<{ type: string; codes?: string[]; level?: number }> = [];
    for (const [type, sub] of connection.quotes) {
      result.push({ type, codes: [...sub.codes.entries()].map(([code, depth]) => (type === 'orderbook' ? `${code}.${depth}` : code)) });
    }
    if (connection.myAsset) result.push({ type: 'myAsset' });
    if (connection.myOrder) result.push({ type: 'myOrder', ...(connection.myOrder.codes ? { codes: [...connection.myOrder.codes] } : {}) });
    return result;
  }

  private snapshot(type: QuoteType, code: string, depth: number): DataFrame | null {
    const state = this.engine.state(`UPBIT:${code}` as SymbolId);
    if (!state) return null;
    if (type === 'orderbook') return orderbookFrame(state.book, depth, 'SNAPSHOT');
    const trade = state.lastTrade;
    if (type === 'trade') return trade ? this.tradeFrame(trade, state.book, 'SNAPSHOT') : null;
    if (trade) return tickerFrame(trade, trade.ts, 'SNAPSHOT');
    // Nothing traded yet today: the ticker still answers, at the previous close.
    const p = state.instrument.prevClose;
    const ts = state.book.ts;
    return tickerFrame({ symbol: state.instrument.symbol, ts, price: p, qty: 0, side: 'buy', prevClose: p, open: p, high: p, low: p, cumVolume: 0, cumValue: 0, upperLimit: null, lowerLimit: null }, ts, 'SNAPSHOT');
  }

  private publishTrade(trade: EngineTrade): void {
    if (!trade.symbol.startsWith('UPBIT:') || this.connections.size === 0) return;
    const code = trade.symbol.slice('UPBIT:'.length);
    let ticker: TickerFrame | null = null;
    let tradeFrame: TradeFrame | null = null;
    for (const connection of this.connections) {
      const t = connection.quotes.get('ticker');
      if (t?.realtime && t.codes.has(code)) this.sendFrame(connection, (ticker ??= tickerFrame(trade, trade.ts, 'REALTIME')));
      const tr = connection.quotes.get('trade');
      if (tr?.realtime && tr.codes.has(code)) {
        tradeFrame ??= this.tradeFrame(trade, this.books.get(trade.symbol) ?? null, 'REALTIME');
        this.sendFrame(connection, tradeFrame);
      }
    }
  }

  private publishBook(book: EngineBook): void {
    if (!book.symbol.startsWith('UPBIT:')) return;
    this.books.set(book.symbol, book);
    if (this.connections.size === 0) return;
    const code = book.symbol.slice('UPBIT:'.length);
    for (const connection of this.connections) {
      const sub = connection.quotes.get('orderbook');
      const depth = sub?.codes.get(code);
      if (sub?.realtime && depth !== undefined) this.sendFrame(connection, orderbookFrame(book, depth, 'REALTIME'));
    }
  }

  private tradeFrame(trade: EngineTrade, book: EngineBook | null, stream: string): TradeFrame {
    // Upbit's ids look like trade_timestamp × 10⁴ + n: 17 digits, beyond a double (§8.3).
    const sequentialId = (BigInt(trade.ts) * 10_000n + BigInt(this.sequence++ % 10_000)).toString();
    const change = round8(trade.price - trade.prevClose);
    const iso = new Date(trade.ts).toISOString();
    const frame: TradeFrame = {
      type: 'trade',
      code: trade.symbol.slice('UPBIT:'.length),
      timestamp: trade.ts,
      trade_date: iso.slice(0, 10),
      trade_time: iso.slice(11, 19),
      trade_timestamp: trade.ts,
      trade_price: trade.price,
      trade_volume: trade.qty,
      ask_bid: trade.side === 'buy' ? 'BID' : 'ASK',
      prev_closing_price: trade.prevClose,
      change: change > 0 ? 'RISE' : change < 0 ? 'FALL' : 'EVEN',
      change_price: Math.abs(change),
      sequential_id: sequentialId,
    };
    const ask = book?.asks[0];
    const bid = book?.bids[0];
    if (ask && bid) {
      frame.best_ask_price = ask.price;
      frame.best_ask_size = ask.qty;
      frame.best_bid_price = bid.price;
      frame.best_bid_size = bid.qty;
    }
    frame.stream_type = stream;
    return frame;
  }

  private sendFrame(connection: Connection, frame: DataFrame): void {
    if (isListFormat(connection.format) && this.faults.listBatch > 1) {
      connection.pending.push(frame);
      if (connection.pending.length < this.faults.listBatch) return;
      const batch = connection.pending.splice(0);
      return this.sendText(connection, encodeFrames(batch, connection.format));
    }
    this.sendText(connection, encodeFrames([frame], connection.format));
  }

  private sendText(connection: Connection, text: string): void {
    if (this.faults.silent || connection.ws.readyState !== connection.ws.OPEN) return;
    this.touch(connection);
    connection.ws.send(Buffer.from(text, 'utf8'), { binary: true });
  }

  // ----------------------------------------------------------------------------------------------------------
  // Paper orders → myOrder / myAsset
  // ----------------------------------------------------------------------------------------------------------

  private publishOrder(update: PaperOrderUpdate): void {
    const account = [...this.accounts.values()].find((a) => a.accountId === update.order.owner);
    if (!account || update.order.status === 'rejected') return;
    const changed = account.ledger.apply(update);
    const frames: MyOrderFrame[] = [];
    const { order, fill } = update;
    if (fill) {
      account.tradeCounts.set(order.orderId, (account.tradeCounts.get(order.orderId) ?? 0) + 1);
      frames.push(this.myOrderFrame(account, order, 'trade', update));
      if (order.status === 'filled') frames.push(this.myOrderFrame(account, order, 'done', update));
    } else if (order.status === 'accepted') {
      frames.push(this.myOrderFrame(account, order, 'wait', update));
    } else if (order.status === 'cancelled') {
      frames.push(this.myOrderFrame(account, order, 'cancel', update));
    }
    if (order.status === 'filled' || order.status === 'cancelled') account.tradeCounts.delete(order.orderId);
    const code = order.symbol.slice('UPBIT:'.length);
    for (const connection of this.connections) {
      if (!connection.isPrivate || connection.accountId !== account.accountId) continue;
      if (connection.myOrder && (connection.myOrder.codes === null || connection.myOrder.codes.has(code))) {
        for (const frame of frames) this.sendFrame(connection, frame);
      }
      if (connection.myAsset && changed.length > 0) {
        this.sendFrame(connection, {
          type: 'myAsset',
          asset_uuid: randomUUID(),
          assets: changed.map((currency) => account.ledger.asset(currency)),
          asset_timestamp: update.ts,
          timestamp: update.ts,
          stream_type: 'REALTIME',
        });
      }
    }
  }

  private myOrderFrame(account: AccountState, order: PaperOrder, state: string, update: PaperOrderUpdate): MyOrderFrame {
    const fill = state === 'trade' ? update.fill : null;
    const executedFunds = order.avgFillPrice === null ? 0 : round8(order.avgFillPrice * order.filledQty);
    return {
      type: 'myOrder',
      code: order.symbol.slice('UPBIT:'.length),
      uuid: order.orderId,
      ask_bid: order.side === 'buy' ? 'BID' : 'ASK',
      order_type: orderTypeOf(order),
      state,
      trade_uuid: fill ? randomUUID() : null,
      price: fill ? fill.price : order.price,
      avg_price: order.avgFillPrice ?? 0,
      volume: fill ? fill.qty : order.qty,
      remaining_volume: round8(order.remainingQty),
      executed_volume: round8(order.filledQty),
      trades_count: account.tradeCounts.get(order.orderId) ?? 0,
      reserved_fee: 0,
      remaining_fee: 0,
      paid_fee: 0,
      locked: Number(account.ledger.heldBy(order.orderId)),
      executed_funds: executedFunds,
      time_in_force: null,
      trade_fee: fill ? 0 : null,
      is_maker: fill ? order.type === 'limit' && update.ts > order.createdTs : null,
      identifier: null,
      smp_type: null,
      prevented_volume: 0,
      prevented_locked: 0,
      trade_timestamp: fill ? update.ts : null,
      order_timestamp: order.createdTs,
      timestamp: update.ts,
      stream_type: 'REALTIME',
    };
  }

  // ----------------------------------------------------------------------------------------------------------
  // REST
  // ----------------------------------------------------------------------------------------------------------

  private async handleRest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const route = `${req.method} ${url.pathname}`;
      if (route === 'GET /v1/ticker') return this.restTicker(url, res);
      let params: QueryParams = [...url.searchParams.entries()];
      if (req.method === 'POST') {
        const body = await readJsonObject(req, MAX_BODY_BYTES);
        if (body === null) return sendJson(res, 400, restError('invalid_body', 'the body is not a JSON object'));
        params = Object.entries(body).map(([k, v]) => [k, String(v)] as const);
      }
      const account = await this.authenticate(req.headers.authorization, params);
      if (!account) return sendJson(res, 401, restError('jwt_verification', '잘못된 엑세스 키입니다.'));
      if (!account.restLimiter.tryTake()) return sendJson(res, 429, restError('too_many_requests', 'too many requests'));
      const get = (key: string) => params.find(([k]) => k === key)?.[1];
      switch (route) {
        case 'GET /v1/accounts':
          return sendJson(res, 200, account.ledger.rows());
        case 'GET /v1/orders/open':
          return sendJson(res, 200, this.engine.openOrders(account.accountId).map(restOrderOf));
        case 'POST /v1/orders':
          return this.restPlace(account, get, res);
        case 'DELETE /v1/order':
          return this.restCancel(account, get('uuid'), res);
        default:
          return sendJson(res, 404, restError('not_found', `no route ${route}`));
      }
    } catch (error) {
      sendJson(res, 500, restError('server_error', (error as Error).message));
    }
  }

  private restTicker(url: URL, res: ServerResponse): void {
    const markets = (url.searchParams.get('markets') ?? '').split(',').filter(Boolean);
    const rows = [];
    for (const market of markets) {
      const state = this.engine.state(`UPBIT:${market}` as SymbolId);
      if (!state) return sendJson(res, 404, restError('not_found', `Code not found: ${market}`));
      rows.push({ market, trade_price: state.lastTrade?.price ?? state.instrument.prevClose, prev_closing_price: state.instrument.prevClose, timestamp: state.book.ts });
    }
    sendJson(res, 200, rows);
  }

  private restPlace(account: AccountState, get: (key: string) => string | undefined, res: ServerResponse): void {
    const market = get('market') ?? '';
    const symbol = `UPBIT:${market}` as SymbolId;
    const state = this.engine.state(symbol);
    if (!state) return sendJson(res, 400, restError('market_does_not_exist', `market ${market} does not exist`));
    const side = get('side');
    const ordType = get('ord_type');
    const volume = Number(get('volume'));
    const price = Number(get('price'));
    const coin = market.slice(market.indexOf('-') + 1);
    const ledger = account.ledger;
    let request: { side: 'buy' | 'sell'; type: 'limit' | 'market'; qty: number; price?: number };
    if (ordType === 'limit' && (side === 'bid' || side === 'ask') && volume > 0 && price > 0) {
      request = { side: side === 'bid' ? 'buy' : 'sell', type: 'limit', qty: volume, price };
    } else if (ordType === 'market' && side === 'ask' && volume > 0) {
      request = { side: 'sell', type: 'market', qty: volume };
    } else if (ordType === 'price' && side === 'bid' && price > 0) {
      const bestAsk = state.book.asks[0]?.price;
      if (!bestAsk) return sendJson(res, 400, restError('insufficient_liquidity', 'no asks to buy from'));
      request = { side: 'buy', type: 'market', qty: Math.floor((price / bestAsk) * 1e8) / 1e8 };
    } else {
      return sendJson(res, 400, restError('invalid_parameter', 'side, ord_type, volume and price do not form an order'));
    }
    if (request.side === 'buy') {
      const cost = ordType === 'price' ? numberToDecimal(price) : mulDecimal(numberToDecimal(price), numberToDecimal(volume));
      if (compareDecimal(cost, ledger.available('KRW')) > 0) return sendJson(res, 400, restError('insufficient_funds_bid', '주문가능한 금액(KRW)이 부족합니다.'));
    } else if (compareDecimal(numberToDecimal(volume), ledger.available(coin)) > 0) {
      return sendJson(res, 400, restError('insufficient_funds_ask', `주문가능한 금액(${coin})이 부족합니다.`));
    }
    const order = this.engine.placeOrder({ owner: account.accountId, symbol, ...request });
    if (order.status === 'rejected') return sendJson(res, 400, restError('invalid_order', order.reason ?? 'rejected'));
    sendJson(res, 201, restOrderOf(order));
  }

  private restCancel(account: AccountState, uuid: string | undefined, res: ServerResponse): void {
    if (!uuid) return sendJson(res, 400, restError('invalid_parameter', 'uuid is required'));
    try {
      sendJson(res, 200, restOrderOf(this.engine.cancelOrder(account.accountId, uuid)));
    } catch (error) {
      if (error instanceof PaperOrderError) {
        return error.code === 'ORDER_DONE'
          ? sendJson(res, 400, restError('order_not_cancellable', error.message))
          : sendJson(res, 404, restError('order_not_found', '주문을 찾지 못했습니다.'));
      }
      throw error;
    }
  }
}

function orderTypeOf(order: PaperOrder): string {
  if (order.type === 'limit') return 'limit';
  return order.side === 'buy' ? 'price' : 'market';
}

function restOrderOf(order: PaperOrder): RestOrder {
  const done = order.status === 'filled';
  const cancelled = order.status === 'cancelled' || order.status === 'rejected';
  return {
    uuid: order.orderId,
    side: order.side === 'buy' ? 'bid' : 'ask',
    ord_type: orderTypeOf(order) as RestOrder['ord_type'],
    price: order.price === null ? null : numberToDecimal(order.price),
    state: done ? 'done' : cancelled ? 'cancel' : 'wait',
    market: order.symbol.slice('UPBIT:'.length),
    created_at: kstIso(order.createdTs),
    volume: numberToDecimal(order.qty),
    remaining_volume: numberToDecimal(round8(order.remainingQty)),
    executed_volume: numberToDecimal(round8(order.filledQty)),
    trades_count: 0,
  };
}

/** Upbit's REST times are KST with an offset: `2026-01-01T09:00:00+09:00`. */
function kstIso(ts: number): string {
  return `${new Date(ts + 9 * 3_600_000).toISOString().slice(0, 19)}+09:00`;
}

function tickerFrame(trade: EngineTrade, timestamp: number, stream: string): TickerFrame {
  const change = round8(trade.price - trade.prevClose);
  const rate = round10(change / trade.prevClose);
  const iso = new Date(trade.ts).toISOString();
  return {
    type: 'ticker',
    code: trade.symbol.slice('UPBIT:'.length),
    opening_price: trade.open,
    high_price: trade.high,
    low_price: trade.low,
    trade_price: trade.price,
    prev_closing_price: trade.prevClose,
    acc_trade_price: round8(trade.cumValue),
    change: change > 0 ? 'RISE' : change < 0 ? 'FALL' : 'EVEN',
    change_price: Math.abs(change),
    signed_change_price: change,
    change_rate: Math.abs(rate),
    signed_change_rate: rate,
    ask_bid: trade.side === 'buy' ? 'BID' : 'ASK',
    trade_volume: trade.qty,
    acc_trade_volume: round8(trade.cumVolume),
    trade_date: iso.slice(0, 10).replaceAll('-', ''),
    trade_time: iso.slice(11, 19).replaceAll(':', ''),
    trade_timestamp: trade.ts,
    market_state: 'ACTIVE',
    timestamp,
    // The engine keeps day figures only; they stand in for the rolling 24 h ones.
    acc_trade_price_24h: round8(trade.cumValue),
    acc_trade_volume_24h: round8(trade.cumVolume),
    stream_type: stream,
  };
}

function orderbookFrame(book: EngineBook, depth: number, stream: string): OrderbookFrame {
  const n = Math.min(depth, Math.max(book.asks.length, book.bids.length));
  const units = [];
  let totalAsk = 0;
  let totalBid = 0;
  for (let i = 0; i < n; i++) {
    const ask = book.asks[i];
    const bid = book.bids[i];
    totalAsk += ask?.qty ?? 0;
    totalBid += bid?.qty ?? 0;
    units.push({ ask_price: ask?.price ?? 0, bid_price: bid?.price ?? 0, ask_size: ask?.qty ?? 0, bid_size: bid?.qty ?? 0 });
  }
  return {
    type: 'orderbook',
    code: book.symbol.slice('UPBIT:'.length),
    timestamp: book.ts,
    total_ask_size: round8(totalAsk),
    total_bid_size: round8(totalBid),
    orderbook_units: units,
    level: 0,
    stream_type: stream,
  };
}

function round8(value: number): number {
  return Math.round(value * 1e8) / 1e8;
}

function round10(value: number): number {
  return Math.round(value * 1e10) / 1e10;
}

function refuseUpgrade(socket: Duplex, status: number, text: string, retryAfterS?: number): void {
  const retry = retryAfterS === undefined ? '' : `Retry-After: ${retryAfterS}\r\n`;
  socket.end(`HTTP/1.1 ${status} ${text}\r\n${retry}Content-Length: 0\r\nConnection: close\r\n\r\n`);
}

function restError(name: string, message: string): { error: { name: string; message: string } } {
  return { error: { name, message } };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

