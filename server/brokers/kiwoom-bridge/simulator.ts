/**
 * A loopback fake of the user's KiwoomServer bridge (§8): its REST routes in the `{Success, Message, Data}`
 * wrapper, `/ws/realtime` (tick, hoga, condition) and `/ws/execution` (order, balance, dashboard) in its standard
 * JSON, driven by the shared market engine. Sockets are server → client only, as on the bridge. Fault switches let
 * tests drop sockets, send malformed or unknown frames, stop answering, and log out or time the login out.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { SymbolId } from '../../../lib/contracts';
import type { EngineBook, EngineTrade, PaperOrderUpdate } from '../../market/engine-types';
import type { MarketEngine } from '../../market/market-engine';
import { readJsonObject } from '../simulator-http';
import { encodeEnvelope, encodeFrame, epochToKstStamp, epochToKstTime, fail, MESSAGE, ok, type BridgeFrame } from './codec';
import { hogaData, krxSymbol } from './normalize';
import { codeOf, SimAccount, SIM_ACCOUNT_NO } from './sim-account';

/** The bridge's OpenAPI+ login gives up after 30 s and answers `Login Timeout`, 504 (§8.1). */
export const LOGIN_TIMEOUT_MS = 30_000;
/** An order body is a handful of fields; anything larger is not an order. */
const MAX_BODY_BYTES = 16_384;
/** The request log is for tests; under SIM=on the simulator runs for days, so it keeps only the latest paths. */
const REQUEST_LOG_MAX = 1_000;
/** OpenAPI+ SendOrder's error for a refused order (-308 주문전송 실패 family); the bridge forwards the number. */
const ORDER_REFUSED_RET = -308;

/** The simulator's saved conditions (OpenAPI+ `GetConditionNameList`): index and name. */
export const SIM_CONDITIONS = [
  { Index: 0, Name: '상승종목' },
  { Index: 1, Name: '하락종목' },
] as const;

export interface KiwoomBridgeSimulatorOptions {
  engine: MarketEngine;
  accountNo?: string;
  /** Whether OpenAPI+ is logged in at start; `/api/auth/login` logs in. */
  loggedIn?: boolean;
  /** Tests shorten the login timeout instead of waiting 30 s. */
  loginTimeoutMs?: number;
  /** Clock for stamps of frames not tied to an engine event (the dashboard snapshot). */
  now?: () => number;
}

export interface KiwoomBridgeSimulatorUrls {
  baseUrl: string;
}

export class KiwoomBridgeSimulator {
  readonly account: SimAccount;
  /** Fault: REST requests are left hanging and socket frames are not sent. */
  silent = false;
  /** Fault: `/api/auth/login` never succeeds and answers `Login Timeout` after the timeout. */
  loginTimesOut = false;
  loggedIn: boolean;
  /** The latest REST paths asked, in order (tests check reconciliation). */
  readonly requests: string[] = [];
  private readonly engine: MarketEngine;
  private readonly loginTimeoutMs: number;
  private readonly now: () => number;
  private server: Server | null = null;
  private readonly realtime = new WebSocketServer({ noServer: true });
  private readonly execution = new WebSocketServer({ noServer: true });
  /** SetRealReg screens → codes; with `"0"` each registration replaces that screen's list. */
  private readonly screens = new Map<string, Set<string>>();
  /** Live conditions → their current members. */
  private readonly liveConditions = new Map<number, Set<string>>();
  private readonly hanging = new Set<ServerResponse>();
  private readonly onTrade = (trade: EngineTrade) => this.publishTrade(trade);
  private readonly onBook = (book: EngineBook) => this.publishBook(book);
  private readonly onOrder = (update: PaperOrderUpdate) => this.publishOrder(update);

  constructor(options: KiwoomBridgeSimulatorOptions) {
    this.engine = options.engine;
    this.account = new SimAccount(options.engine, options.accountNo ?? SIM_ACCOUNT_NO);
    this.loggedIn = options.loggedIn ?? true;
    this.loginTimeoutMs = options.loginTimeoutMs ?? LOGIN_TIMEOUT_MS;
    this.now = options.now ?? Date.now;
  }

  async start(): Promise<KiwoomBridgeSimulatorUrls> {
    const server = createServer((req, res) => void this.handle(req, res));
    server.on('upgrade', (req, socket, head) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const wss = path === '/ws/realtime' ? this.realtime : path === '/ws/execution' ? this.execution : null;
      if (!wss) {
        socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => {
        wss.emit('connection', ws, req);
        // ExecutionHub sends the account snapshot to each new connection (§8.2).
        if (wss === this.execution && this.loggedIn && !this.silent) {
          ws.send(encodeFrame({ type: 'dashboard', timestamp: this.stamp(), data: this.account.snapshot(this.now()) }));
        }
      });
    });
    this.engine.on('trade', this.onTrade);
    this.engine.on('book', this.onBook);
    this.engine.on('order', this.onOrder);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
    const { port } = server.address() as AddressInfo;
    return { baseUrl: `http://127.0.0.1:${port}` };
  }

  async stop(): Promise<void> {
    this.engine.off('trade', this.onTrade);
    this.engine.off('book', this.onBook);
    this.engine.off('order', this.onOrder);
    for (const res of this.hanging) res.destroy();
    this.hanging.clear();
    for (const ws of [...this.realtime.clients, ...this.execution.clients]) ws.terminate();
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Fault: cuts every socket without a close frame, as a crashed bridge or a dropped link would. */
  dropSockets(): void {
    for (const ws of [...this.realtime.clients, ...this.execution.clients]) ws.terminate();
  }

  /** Fault: sends raw text (malformed JSON, unknown types) to every client of one socket. */
  sendRaw(socket: 'realtime' | 'execution', text: string): void {
    const wss = socket === 'realtime' ? this.realtime : this.execution;
    for (const ws of wss.clients) ws.send(text);
  }

  clientCount(socket: 'realtime' | 'execution'): number {
    return (socket === 'realtime' ? this.realtime : this.execution).clients.size;
  }

  registeredCodes(): Set<string> {
    const all = new Set<string>();
    for (const codes of this.screens.values()) for (const code of codes) all.add(code);
    return all;
  }

  private stamp(ts: number = this.now()): string {
    return epochToKstStamp(ts);
  }

  private broadcast(wss: WebSocketServer, frame: BridgeFrame): void {
    if (this.silent) return;
    const text = encodeFrame(frame);
    for (const ws of wss.clients) if (ws.readyState === ws.OPEN) (ws as WebSocket).send(text);
  }

  // ---- REST -------------------------------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.setHeader('access-control-allow-origin', '*');
    if (this.silent) {
      this.hanging.add(res);
      res.on('close', () => this.hanging.delete(res));
      return;
    }
    if (req.method === 'OPTIONS') {
      res.writeHead(204).end();
      return;
    }
    const url = new URL(req.url ?? '/', 'http://x');
    const q = url.searchParams;
    this.requests.push(url.pathname);
    if (this.requests.length > REQUEST_LOG_MAX) this.requests.splice(0, this.requests.length - REQUEST_LOG_MAX);
    const send = (status: number, body: string) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(body);
    };
    const get = req.method === 'GET';
    switch (url.pathname) {
      case '/api/status':
      case '/api/system/status':
        // {"Success":true,"Message":"OK","Data":{"IsLoggedIn":true,"AccountNo":"8012345611","ServerName":null}}
        return send(200, ok({ IsLoggedIn: this.loggedIn, AccountNo: this.loggedIn ? this.account.accountNo : '', ServerName: null }));
      case '/api/auth/login':
      case '/api/system/login':
        return this.login(send);
    }
    if (!this.loggedIn && url.pathname.startsWith('/api/') && KNOWN_ROUTES.has(url.pathname)) {
      return send(400, fail(MESSAGE.notLoggedIn));
    }
    switch (url.pathname) {
      case '/api/accounts/balance':
        if (!get) break;
        if (q.get('accountNo') !== this.account.accountNo) return send(400, fail(`Unknown account: ${q.get('accountNo') ?? ''}`));
        return send(200, ok(this.account.balanceRows()));
      case '/api/accounts/deposit':
        if (!get) break;
        if (q.get('accountNo') !== this.account.accountNo) return send(400, fail(`Unknown account: ${q.get('accountNo') ?? ''}`));
        return send(200, ok(this.account.depositRows()));
      case '/api/accounts/orders':
        if (!get) break;
        if (q.get('accountNo') !== this.account.accountNo) return send(400, fail(`Unknown account: ${q.get('accountNo') ?? ''}`));
        return send(200, ok(this.account.outstandingRows(q.get('code') || null)));
      case '/api/dashboard':
      case '/api/dashboard/refresh':
        return send(200, ok(this.account.snapshot(this.now())));
      case '/api/orders':
        if (req.method !== 'POST') break;
        return this.order(req, send);
      case '/api/realtime/subscribe': {
        const codes = (q.get('codes') ?? '').split(';').filter((c) => c !== '');
        if (codes.length === 0) return send(400, fail('codes is required'));
        // SetRealReg(screen, codes, fids, "0"): "0" replaces the screen's registrations.
        this.screens.set(q.get('screen') ?? '1000', new Set(codes));
        return send(200, ok({ Screen: q.get('screen') ?? '1000', Codes: codes.join(';') }));
      }
      case '/api/realtime/unsubscribe': {
        const screen = q.get('screen') ?? 'ALL';
        const code = q.get('code') ?? 'ALL';
        if (screen === 'ALL') this.screens.clear();
        else if (code === 'ALL') this.screens.delete(screen);
        else this.screens.get(screen)?.delete(code);
        return send(200, ok({ Screen: screen, Code: code }));
      }
      case '/api/conditions':
        return send(200, ok(SIM_CONDITIONS));
      case '/api/conditions/search':
      case '/api/conditions/start':
      case '/api/conditions/stop':
        return this.condition(url.pathname, q, send);
    }
    send(404, fail(MESSAGE.notFound));
  }

  private login(send: (status: number, body: string) => void): void {
    if (this.loginTimesOut) {
      setTimeout(() => send(504, fail(MESSAGE.loginTimeout)), this.loginTimeoutMs);
      return;
    }
    this.loggedIn = true;
    send(200, ok({ loggedIn: true, account: this.account.accountNo }));
  }

  private async order(req: IncomingMessage, send: (status: number, body: string) => void): Promise<void> {
    const body = await readJsonObject(req, MAX_BODY_BYTES);
    // PascalCase per ApiHelpDocs; client_kit's camelCase also binds (§8.1).
    const field = (name: string) => body?.[name] ?? body?.[name[0]!.toLowerCase() + name.slice(1)];
    const accountNo = String(field('AccountNo') ?? '');
    const code = String(field('StockCode') ?? '');
    const orderType = Number(field('OrderType'));
    const qty = Number(field('Quantity'));
    const price = Number(field('Price') ?? 0);
    const quoteType = String(field('QuoteType') ?? '00');
    if (!body || accountNo !== this.account.accountNo || !/^\d{6}$/.test(code)) {
      return send(400, fail(`${MESSAGE.orderFailedPrefix}${ORDER_REFUSED_RET}`));
    }
    // 3–6 (cancel/modify) need the original order number, which the bridge always leaves empty (§8.1).
    if (orderType !== 1 && orderType !== 2) return send(200, encodeFailed());
    const symbol: SymbolId = krxSymbol(code);
    if (!this.engine.instrument(symbol)) return send(200, encodeFailed());
    const market = quoteType === '03';
    const placed = this.engine.placeOrder({
      owner: this.account.owner,
      symbol,
      side: orderType === 1 ? 'buy' : 'sell',
      type: market ? 'market' : 'limit',
      qty,
      ...(market ? {} : { price }),
    });
    if (placed.status === 'rejected') return send(200, encodeFailed());
    // {"Success":true,"Message":"OK","Data":"Order Sent"}: no order number (§8.1).
    send(200, ok(MESSAGE.orderSent));
  }

  private condition(path: string, q: URLSearchParams, send: (status: number, body: string) => void): void {
    const index = Number(q.get('index'));
    const found = SIM_CONDITIONS.find((c) => c.Index === index && (!q.get('name') || c.Name === q.get('name')));
    if (!found) return send(400, fail(`Unknown condition: ${q.get('name') ?? ''}^${q.get('index') ?? ''}`));
    const screen = q.get('screen') ?? '9001';
    if (path === '/api/conditions/search') {
      return send(200, ok({ Codes: [...this.members(index)], Stocks: [], Cached: false, Screen: screen, CacheTtlSeconds: 0 }));
    }
    if (path === '/api/conditions/start') {
      this.liveConditions.set(index, this.members(index));
      return send(200, ok({ Name: found.Name, Index: index, Screen: screen, Ret: 1 }));
    }
    this.liveConditions.delete(index);
    send(200, ok({ Name: found.Name, Index: index, Screen: screen }));
  }

  /** 상승종목: last above the previous close; 하락종목: below. */
  private members(index: number): Set<string> {
    const codes = new Set<string>();
    for (const instrument of this.engine.instruments()) {
      if (instrument.market !== 'KRX') continue;
      if (this.matches(index, instrument.symbol)) codes.add(instrument.code);
    }
    return codes;
  }

  private matches(index: number, symbol: SymbolId): boolean {
    const trade = this.engine.state(symbol)?.lastTrade;
    if (!trade) return false;
    return index === 0 ? trade.price > trade.prevClose : trade.price < trade.prevClose;
  }

  // ---- sockets ----------------------------------------------------------------------------------------------

  private publishTrade(trade: EngineTrade): void {
    const code = codeOf(trade.symbol);
    if (!trade.symbol.startsWith('KRX:')) return;
    if (this.registeredCodes().has(code)) {
      const diff = trade.price - trade.prevClose;
      // {"type":"tick","code":"005930","timestamp":"20240205120000","data":{"time":"120000","current_price":70000,…}}
      this.broadcast(this.realtime, {
        type: 'tick',
        code,
        timestamp: this.stamp(trade.ts),
        data: {
          time: epochToKstTime(trade.ts),
          current_price: trade.price,
          diff,
          rate: Math.round((diff / trade.prevClose) * 10_000) / 100,
          volume: trade.qty,
          cum_volume: trade.cumVolume,
          cum_turnover_million: Math.round(trade.cumValue / 1_000_000),
          open: trade.open,
          high: trade.high,
          low: trade.low,
        },
      });
    }
    for (const [index, members] of this.liveConditions) {
      const inside = this.matches(index, trade.symbol);
      if (inside === members.has(code)) continue;
      if (inside) members.add(code);
      else members.delete(code);
      this.broadcast(this.realtime, {
        type: 'condition',
        code,
        timestamp: this.stamp(trade.ts),
        data: { condition_name: SIM_CONDITIONS[index]!.Name, condition_index: index, state: inside ? 'enter' : 'exit' },
      });
    }
  }

  private publishBook(book: EngineBook): void {
    const code = codeOf(book.symbol);
    if (!book.symbol.startsWith('KRX:') || !this.registeredCodes().has(code)) return;
    let totalAsk = 0;
    let totalBid = 0;
    for (const level of book.asks) totalAsk += level.qty;
    for (const level of book.bids) totalBid += level.qty;
    const data = hogaData(book.asks, book.bids, totalAsk, totalBid);
    // {"type":"hoga","code":"005930","timestamp":"20240205120001","data":{"total_ask_vol":250000,…,"current_price":70000}}
    this.broadcast(this.realtime, { type: 'hoga', code, timestamp: this.stamp(book.ts), data });
  }

  private publishOrder(update: PaperOrderUpdate): void {
    if (update.order.owner !== this.account.owner) return;
    const { order, balance } = this.account.onUpdate(update);
    const timestamp = this.stamp(update.ts);
    // {"type":"order","timestamp":"20240205120003","data":{"gubun":"0","9201":"…","9203":"0012345",…}}
    if (order) this.broadcast(this.execution, { type: 'order', timestamp, data: order });
    if (balance) {
      this.broadcast(this.execution, { type: 'balance', timestamp, data: balance });
      this.broadcast(this.execution, { type: 'dashboard', timestamp, data: this.account.snapshot(update.ts) });
    }
  }
}

/** Routes that need the OpenAPI+ session; others are 404 whether logged in or not. */
const KNOWN_ROUTES = new Set([
  '/api/accounts/balance',
  '/api/accounts/deposit',
  '/api/accounts/orders',
  '/api/dashboard',
  '/api/dashboard/refresh',
  '/api/orders',
  '/api/realtime/subscribe',
  '/api/realtime/unsubscribe',
  '/api/conditions',
  '/api/conditions/search',
  '/api/conditions/start',
  '/api/conditions/stop',
]);

/** `{"Success":false,"Message":"Order Failed: -308","Data":"Order Failed: -308"}`: SendOrder's return forwarded. */
function encodeFailed(): string {
  const message = `${MESSAGE.orderFailedPrefix}${ORDER_REFUSED_RET}`;
  return encodeEnvelope(false, message, message);
}
