/**
 * A loopback Kiwoom REST API: OAuth (au10001/au10002), account and order TRs over HTTP, and the one WebSocket
 * (`/api/dostk/websocket`) with LOGIN, server PING and the R10002 close, REG/REMOVE per group, REAL 0B/0D for
 * registered items from the shared market engine, 00/04 for paper orders, and condition search (CNSRLST,
 * CNSRREQ one-shot and live, CNSRCLR, REAL 02) over conditions.ts. It follows ../shared/protocols/kiwoom-rest.md,
 * and where that reference says UNCONFIRMED it makes the choice written next to the code.
 *
 * Fault switches: dropConnections, silence (stop sending anything, PINGs included), sendRaw (e.g. a malformed
 * frame), batch (n items per REAL frame), expireTokens, failNextLogins, rateLimitNext; limits (items per group, items in total, live
 * conditions) are options so a test can hit them.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { SymbolId } from '../../../lib/contracts';
import type { EngineBook, EngineTrade, PaperOrderUpdate } from '../../market/engine-types';
import type { MarketEngine } from '../../market/market-engine';
import { PaperOrderError } from '../../market/paper-orders';
import {
  decodeClientFrame,
  encodeServerFrame,
  epochToKstDateTime,
  KiwoomCodecError,
  magnitude,
  padded,
  prefixedCode,
  symbolFromCode,
  type ClientFrame,
  type RealItem,
  type ServerFrame,
} from './codec';
import { ConditionScanner } from './conditions';
import { REAL_TYPE } from './normalize';
import { bookItem, conditionItem, krxCode, tradeItem } from './real-encode';
import { OPEN_ORDERS_KEY, PATHS, TR_PATH } from './rest-codec';
import { SIM_ACCOUNT_NO, SimAccount, type OrderRecord } from './sim-account';

/** Credentials the simulator accepts; the factory passes them to the adapter it starts. */
export const SIM_APP_KEY = 'sim-kiwoom-appkey';
export const SIM_SECRET_KEY = 'sim-kiwoom-secretkey';
/**
 * A second customer the simulated Kiwoom has "issued" keys to, with its own paper account, as the real broker
 * issues an app key per customer: users link it on their account page to try linking without a real account.
 */
export const SIM_ISSUED_CREDENTIALS: KiwoomCustomerCredentials = {
  appKey: 'sim-kiwoom-demo-appkey-2',
  secretKey: 'sim-kiwoom-demo-secretkey-2-Xq7Lp',
  accountNo: '5098765432',
};

export const WS_PATH = '/api/dostk/websocket';
/** Tokens live 24 h, as third-party guides report (§2.1, UNCONFIRMED); tests shorten it. */
export const DEFAULT_TOKEN_TTL_MS = 24 * 3_600_000;
/** Observed PING gap is 10–20 s (§3.2); 10 s catches a dead client quickly. */
export const DEFAULT_PING_INTERVAL_MS = 10_000;
/** A socket that has not sent LOGIN by then is closed; the official client logs in at once. */
export const DEFAULT_LOGIN_TIMEOUT_MS = 10_000;
/** Items per REG group (BREAD's cap, §3.4, UNCONFIRMED officially). */
export const DEFAULT_GROUP_ITEM_LIMIT = 100;
/** Items across all groups of one socket; the reference gives no number, so a multiple of the group cap. */
export const DEFAULT_TOTAL_ITEM_LIMIT = 200;
/** Live conditions per login (BREAD, §6, UNCONFIRMED). */
export const DEFAULT_LIVE_CONDITION_LIMIT = 10;
/** ka10075 rows per page: small enough that a handful of working orders already pages with cont-yn. */
export const DEFAULT_PAGE_SIZE = 20;
/** REAL items per frame: one engine step's events for a socket go together, up to this many. */
export const MAX_ITEMS_PER_FRAME = 100;
/** With batch(n) on, items wait at most this long for the nth, so a quiet market still flows. */
const BATCH_MAX_WAIT_MS = 200;

/** Real-time types a REG may name (§3.6); anything else is refused. */
const KNOWN_TYPES = new Set(['00', '04', '0A', '0B', '0C', '0D', '0E', '0F', '0G', '0H', '0I', '0J', '0U', '0g', '0m', '0s', '0u', '0w', '1h']);

const R10002_MESSAGE = '사용자 프로그램으로부터 Heartbeat(연결유지) 메시지가 오지않아서 접속을 종료합니다';

/** One customer's keys and the paper account they open. */
export interface KiwoomCustomerCredentials {
  appKey: string;
  secretKey: string;
  accountNo: string;
}

interface Customer {
  appKey: string;
  secretKey: string;
  account: SimAccount;
}

export interface KiwoomSimulatorOptions {
  engine: MarketEngine;
  appKey?: string;
  secretKey?: string;
  accountNo?: string;
  /** Further customers, each with its own keys and paper account (orders and balances kept apart). */
  issued?: readonly KiwoomCustomerCredentials[];
  tokenTtlMs?: number;
  pingIntervalMs?: number;
  loginTimeoutMs?: number;
  groupItemLimit?: number;
  totalItemLimit?: number;
  liveConditionLimit?: number;
  pageSize?: number;
  now?: () => number;
}

export interface KiwoomSimulatorUrls {
  restUrl: string;
  wsUrl: string;
}

interface Session {
  ws: WebSocket;
  loggedIn: boolean;
  /** Whose token logged this socket in: account pushes go to that customer's sockets only. */
  customer: Customer | null;
  /** grp_no → code → types. */
  groups: Map<string, Map<string, Set<string>>>;
  listedConditions: boolean;
  liveConditions: Set<string>;
  awaitingPing: boolean;
  pingTimer: ReturnType<typeof setInterval> | null;
  loginTimer: ReturnType<typeof setTimeout> | null;
  pending: RealItem[];
  flushScheduled: boolean;
}

type Body = Record<string, unknown>;

export class KiwoomSimulator {
  readonly appKey: string;
  readonly secretKey: string;
  /** The first customer's account (the one the factory's own adapter uses). */
  readonly account: SimAccount;
  private readonly customers: Customer[];
  private readonly engine: MarketEngine;
  private readonly scanner: ConditionScanner;
  private readonly now: () => number;
  private readonly tokenTtlMs: number;
  private readonly pingIntervalMs: number;
  private readonly loginTimeoutMs: number;
  private readonly groupItemLimit: number;
  private readonly totalItemLimit: number;
  private readonly liveConditionLimit: number;
  private readonly pageSize: number;
  /** token → when it expires and whose it is. */
  private readonly tokens = new Map<string, { expiresAt: number; customer: Customer }>();
  private readonly sessions = new Set<Session>();
  private readonly bestOf = new Map<SymbolId, { ask: number | null; bid: number | null }>();
  private readonly prevCloseOf = new Map<SymbolId, number>();
  private http: http.Server | null = null;
  private wss: WebSocketServer | null = null;
  private silent = false;
  /** batch(n): hold REAL items until n are ready (fault switch: frames with many items). 0 = per engine step. */
  private batchSize = 0;
  private loginFailures = 0;
  private rateLimited = 0;
  /** While placing or modifying, the engine's synchronous events are held so REST can answer first. */
  private placing: PaperOrderUpdate[] | null = null;
  /** Engine order ids whose cancel is part of a modify: their confirmation says 정정, not 취소. */
  private readonly modifying = new Map<string, OrderRecord>();
  private unscan: (() => void) | null = null;
  /** Counters a test or the health page can read. */
  readonly stats = { restCalls: 0, tokensIssued: 0, tokensRevoked: 0, logins: 0, badFrames: 0, realFrames: 0 };

  private readonly onTrade = (trade: EngineTrade) => this.pushTrade(trade);
  private readonly onBook = (book: EngineBook) => this.pushBook(book);
  private readonly onOrder = (update: PaperOrderUpdate) => this.pushOrder(update);

  constructor(options: KiwoomSimulatorOptions) {
    this.engine = options.engine;
    this.appKey = options.appKey ?? SIM_APP_KEY;
    this.secretKey = options.secretKey ?? SIM_SECRET_KEY;
    this.account = new SimAccount(this.engine, options.accountNo ?? SIM_ACCOUNT_NO);
    this.customers = [
      { appKey: this.appKey, secretKey: this.secretKey, account: this.account },
      ...(options.issued ?? []).map((c) => ({ appKey: c.appKey, secretKey: c.secretKey, account: new SimAccount(this.engine, c.accountNo) })),
    ];
    this.scanner = new ConditionScanner(this.engine);
    this.now = options.now ?? Date.now;
    this.tokenTtlMs = options.tokenTtlMs ?? DEFAULT_TOKEN_TTL_MS;
    this.pingIntervalMs = options.pingIntervalMs ?? DEFAULT_PING_INTERVAL_MS;
    this.loginTimeoutMs = options.loginTimeoutMs ?? DEFAULT_LOGIN_TIMEOUT_MS;
    this.groupItemLimit = options.groupItemLimit ?? DEFAULT_GROUP_ITEM_LIMIT;
    this.totalItemLimit = options.totalItemLimit ?? DEFAULT_TOTAL_ITEM_LIMIT;
    this.liveConditionLimit = options.liveConditionLimit ?? DEFAULT_LIVE_CONDITION_LIMIT;
    this.pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  }

  get accountId(): string {
    return this.account.owner;
  }

  async start(): Promise<KiwoomSimulatorUrls> {
    const server = http.createServer((req, res) => void this.handleHttp(req, res));
    const wss = new WebSocketServer({ noServer: true });
    server.on('upgrade', (req, socket, head) => {
      if ((req.url ?? '').split('?')[0] !== WS_PATH) {
        socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    this.http = server;
    this.wss = wss;
    this.engine.on('trade', this.onTrade).on('book', this.onBook).on('order', this.onOrder);
    this.scanner.start();
    this.unscan = this.scanner.onChange((id, symbol, action, ts) => this.pushCondition(id, symbol, action, ts));
    const { port } = server.address() as AddressInfo;
    return { restUrl: `http://127.0.0.1:${port}`, wsUrl: `ws://127.0.0.1:${port}` };
  }

  async stop(): Promise<void> {
    this.engine.off('trade', this.onTrade).off('book', this.onBook).off('order', this.onOrder);
    this.scanner.stop();
    this.unscan?.();
    for (const session of this.sessions) this.closeSession(session, 1001, 'simulator stopping');
    this.wss?.close();
    const server = this.http;
    this.http = null;
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }

  // ---- fault switches -----------------------------------------------------------------------------------

  /** Cuts every WebSocket without a close handshake, as a network drop would. */
  dropConnections(): void {
    for (const session of this.sessions) session.ws.terminate();
  }

  /** While on, the broker sends nothing at all (no acks, no PINGs, no REAL): a hung upstream. */
  silence(on: boolean): void {
    this.silent = on;
  }

  /** Sends text as-is to every logged-in socket: malformed frames, hand-made REAL frames. */
  sendRaw(text: string): void {
    for (const session of this.sessions) if (session.loggedIn) session.ws.send(text);
  }

  /** From now on each REAL frame carries `n` items (waiting up to BATCH_MAX_WAIT_MS for them); 0 restores per-step frames. */
  batch(n: number): void {
    this.batchSize = Math.max(0, Math.min(MAX_ITEMS_PER_FRAME, Math.floor(n)));
  }

  /** Every issued token becomes invalid now: REST answers 8005, LOGIN fails with CODE=8005. */
  expireTokens(): void {
    for (const entry of this.tokens.values()) entry.expiresAt = 0;
  }

  /** The next `n` LOGINs fail even with a valid token. */
  failNextLogins(n: number): void {
    this.loginFailures = n;
  }

  /** The next `n` REST TR calls answer 1700 (rate exceeded). */
  rateLimitNext(n: number): void {
    this.rateLimited = n;
  }

  sessionCount(): number {
    return [...this.sessions].filter((s) => s.loggedIn).length;
  }

  /** Registered codes per type across sockets, for tests: `{ '0B': ['005930'] }`. */
  registrations(): Record<string, string[]> {
    const out: Record<string, Set<string>> = {};
    for (const session of this.sessions) {
      for (const group of session.groups.values()) {
        for (const [code, types] of group) for (const type of types) (out[type] ??= new Set()).add(code);
      }
    }
    return Object.fromEntries(Object.entries(out).map(([type, codes]) => [type, [...codes].sort()]));
  }

  liveConditions(): string[] {
    return [...this.sessions].flatMap((s) => [...s.liveConditions]).sort();
  }

  conditionHits(id: string): SymbolId[] | undefined {
    return this.scanner.hits(id);
  }

  // ---- REST ---------------------------------------------------------------------------------------------

  private async handleHttp(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    this.stats.restCalls++;
    const send = (status: number, body: Body, headers: Record<string, string> = {}) => {
      if (this.silent) return; // a hung broker: the request simply never completes
      res.writeHead(status, { 'content-type': 'application/json;charset=UTF-8', ...headers });
      res.end(JSON.stringify(body));
    };
    let body: Body;
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
      body = parsed as Body;
    } catch {
      send(400, { return_code: 1517, return_msg: '입력 값 형식이 올바르지 않습니다' });
      return;
    }
    const path = (req.url ?? '').split('?')[0];
    if (req.method !== 'POST') return send(405, { return_code: 1999, return_msg: 'POST only' });
    if (path === PATHS.token) return send(200, this.issueToken(body));
    if (path === PATHS.revoke) return send(200, this.revokeToken(body));

    const apiId = String(req.headers['api-id'] ?? '');
    if (!apiId) return send(200, { return_code: 1501, return_msg: 'API ID가 없습니다' });
    if (TR_PATH[apiId] === undefined) return send(200, { return_code: 1505, return_msg: `API ID(${apiId})가 존재하지 않습니다` });
    if (TR_PATH[apiId] !== path) return send(200, { return_code: 1504, return_msg: `API ID(${apiId})는 이 URI에서 쓸 수 없습니다` });
    const auth = String(req.headers.authorization ?? '');
    const token = /^Bearer\s+(\S+)$/i.exec(auth)?.[1];
    if (!token) return send(200, { return_code: 1513, return_msg: 'authorization 헤더가 없습니다' });
    // HTTP status on REST errors is UNCONFIRMED (§11.1); this simulator answers 200 with the return_code.
    const customer = this.customerOf(token);
    if (!customer) return send(200, { return_code: 8005, return_msg: 'Token이 유효하지 않습니다' });
    if (this.rateLimited > 0) {
      this.rateLimited--;
      return send(200, { return_code: 1700, return_msg: `허용된 API 요청 개수를 초과하였습니다. 유량=5, API ID=${apiId}` });
    }
    const result = this.handleTr(customer.account, apiId, body, String(req.headers['next-key'] ?? ''));
    const headers: Record<string, string> = { 'api-id': apiId, 'cont-yn': result.nextKey ? 'Y' : 'N', 'next-key': result.nextKey ?? '' };
    send(200, result.body, headers);
  }

  private issueToken(body: Body): Body {
    if (body.grant_type !== 'client_credentials') return { return_code: 8012, return_msg: 'grant_type이 올바르지 않습니다' };
    const customer = this.customerFor(body);
    if (!customer) return { return_code: 8001, return_msg: 'App Key와 Secret Key 검증에 실패했습니다' };
    // 86 characters, the live length (TOK).
    const token = randomBytes(64).toString('base64url').slice(0, 86);
    const expiresAt = this.now() + this.tokenTtlMs;
    // expires_dt has whole seconds; round down so the client never believes in a second that does not exist.
    this.tokens.set(token, { expiresAt: Math.floor(expiresAt / 1000) * 1000, customer });
    this.stats.tokensIssued++;
    return { expires_dt: epochToKstDateTime(expiresAt), token_type: 'Bearer', token, return_code: 0, return_msg: '정상적으로 처리되었습니다' };
  }

  private revokeToken(body: Body): Body {
    const customer = this.customerFor(body);
    if (!customer) return { return_code: 8001, return_msg: 'App Key와 Secret Key 검증에 실패했습니다' };
    const token = typeof body.token === 'string' ? body.token : '';
    // A customer revokes only their own tokens.
    if (this.tokens.get(token)?.customer !== customer || !this.tokens.delete(token)) return { return_code: 8016, return_msg: '폐기할 토큰이 없습니다' };
    this.stats.tokensRevoked++;
    return { return_code: 0, return_msg: '정상적으로 처리되었습니다' };
  }

  /** The customer whose appkey and secretkey these are, if any. */
  private customerFor(body: Body): Customer | null {
    return this.customers.find((c) => body.appkey === c.appKey && body.secretkey === c.secretKey) ?? null;
  }

  /** The customer a live token belongs to; null for an unknown or expired token. */
  private customerOf(token: string): Customer | null {
    const entry = this.tokens.get(token);
    return entry !== undefined && this.now() < entry.expiresAt ? entry.customer : null;
  }

  private handleTr(account: SimAccount, apiId: string, body: Body, nextKey: string): { body: Body; nextKey?: string } {
    const ok = (fields: Body, msg = '조회가 완료되었습니다') => ({ ...fields, return_code: 0, return_msg: msg });
    switch (apiId) {
      case 'ka00001':
        return { body: ok({ acctNo: account.accountNo }) };
      case 'kt00018': {
        const evaluation = account.evaluation();
        return { body: ok(evaluation) };
      }
      case 'kt00001':
        return { body: ok(account.deposit()) };
      case 'ka10075': {
        let rows = account.openOrderRows();
        const code = typeof body.stk_cd === 'string' ? body.stk_cd.trim() : '';
        if (body.all_stk_tp === '1' && code) rows = rows.filter((r) => r.stk_cd === code);
        if (body.trde_tp === '1') rows = rows.filter((r) => r.io_tp_nm!.includes('매도'));
        if (body.trde_tp === '2') rows = rows.filter((r) => r.io_tp_nm!.includes('매수'));
        // next-key is the index of the first row of the page, as text.
        const start = /^\d+$/.test(nextKey) ? Number(nextKey) : 0;
        const page = rows.slice(start, start + this.pageSize);
        const more = start + this.pageSize < rows.length;
        return more ? { body: ok({ [OPEN_ORDERS_KEY]: page }), nextKey: String(start + this.pageSize) } : { body: ok({ [OPEN_ORDERS_KEY]: page }) };
      }
      case 'kt10000':
      case 'kt10001':
        return { body: this.newOrder(account, apiId === 'kt10000' ? 'buy' : 'sell', body) };
      case 'kt10002':
        return { body: this.modifyOrder(account, body) };
      case 'kt10003':
        return { body: this.cancelOrder(account, body) };
      default:
        return { body: { return_code: 1505, return_msg: `API ID(${apiId})가 존재하지 않습니다` } };
    }
  }

  /** Runs an engine call with its synchronous order events held back, then releases them after `answer`. */
  private withHeldEvents<T>(call: () => T): { result: T; release: () => void } {
    const held: PaperOrderUpdate[] = [];
    this.placing = held;
    try {
      const result = call();
      return { result, release: () => setImmediate(() => held.forEach((u) => this.pushOrder(u))) };
    } finally {
      this.placing = null;
    }
  }

  private newOrder(account: SimAccount, side: 'buy' | 'sell', body: Body, origOrdNo: string | null = null): Body {
    const symbol = symbolFromCode(typeof body.stk_cd === 'string' ? body.stk_cd : '');
    const qty = magnitude(String(body.ord_qty ?? ''));
    const tradeType = String(body.trde_tp ?? '');
    if (!symbol || !this.engine.instrument(symbol)) return { return_code: 1902, return_msg: '종목 정보가 없습니다' };
    if (!qty || !Number.isInteger(qty)) return { return_code: 1517, return_msg: '주문수량을 확인하세요' };
    if (tradeType !== '0' && tradeType !== '3') return { return_code: 1517, return_msg: `지원하지 않는 매매구분(${tradeType})입니다` };
    const price = tradeType === '0' ? magnitude(String(body.ord_uv ?? '')) : null;
    if (tradeType === '0' && !price) return { return_code: 1517, return_msg: '지정가 주문은 주문단가가 필요합니다' };
    const ordNo = account.allocateOrdNo();
    const { result: order, release } = this.withHeldEvents(() =>
      this.engine.placeOrder({ owner: account.owner, symbol, side, type: tradeType === '3' ? 'market' : 'limit', qty, ...(price ? { price } : {}) }),
    );
    if (order.status === 'rejected') return { return_code: 2000, return_msg: `주문이 거부되었습니다: ${order.reason ?? ''}` };
    account.track(ordNo, order.orderId, symbol, origOrdNo);
    release();
    const msg = side === 'buy' ? '매수주문이 완료되었습니다.' : '매도주문이 완료되었습니다.';
    return { ord_no: ordNo, dmst_stex_tp: 'KRX', return_code: 0, return_msg: msg };
  }

  private modifyOrder(account: SimAccount, body: Body): Body {
    const orig = account.byOrderNo(String(body.orig_ord_no ?? ''));
    const working = orig && this.engine.openOrders(account.owner).find((o) => o.orderId === orig.engineId);
    if (!orig || !working) return { return_code: 2001, return_msg: '정정할 원주문이 없습니다' };
    const newPrice = magnitude(String(body.mdfy_uv ?? ''));
    if (!newPrice) return { return_code: 1517, return_msg: '정정단가를 확인하세요' };
    const askedQty = magnitude(String(body.mdfy_qty ?? '0')) ?? 0;
    const qty = askedQty === 0 ? working.remainingQty : Math.min(askedQty, working.remainingQty);
    this.modifying.set(orig.engineId, orig);
    try {
      this.engine.cancelOrder(account.owner, orig.engineId);
    } catch (error) {
      this.modifying.delete(orig.engineId);
      return { return_code: 2001, return_msg: error instanceof PaperOrderError ? error.message : '정정 실패' };
    }
    const placed = this.newOrder(account, working.side, { stk_cd: krxCode(working.symbol), ord_qty: String(qty), ord_uv: String(newPrice), trde_tp: '0' }, orig.ordNo);
    if (placed.return_code !== 0) return placed;
    return {
      ord_no: placed.ord_no,
      base_orig_ord_no: orig.origOrdNo ?? orig.ordNo,
      mdfy_qty: padded(qty, 12),
      dmst_stex_tp: 'KRX',
      return_code: 0,
      return_msg: `${working.side === 'buy' ? '매수' : '매도'}정정 주문입력이 완료되었습니다`,
    };
  }

  private cancelOrder(account: SimAccount, body: Body): Body {
    const orig = account.byOrderNo(String(body.orig_ord_no ?? ''));
    if (!orig) return { return_code: 2001, return_msg: '취소할 원주문이 없습니다' };
    const cancelNo = account.allocateOrdNo();
    let cancelled;
    const { release } = this.withHeldEvents(() => {
      try {
        cancelled = this.engine.cancelOrder(account.owner, orig.engineId);
      } catch (error) {
        cancelled = error instanceof PaperOrderError ? error.message : '취소 실패';
      }
    });
    if (typeof cancelled === 'string' || cancelled === undefined) return { return_code: 2001, return_msg: cancelled ?? '취소 실패' };
    // The confirmation frame carries the cancel's own order number and points back at the original (904).
    account.track(cancelNo, `cancel:${orig.engineId}`, orig.symbol, orig.ordNo);
    this.modifying.delete(orig.engineId);
    release();
    return {
      ord_no: cancelNo,
      base_orig_ord_no: orig.origOrdNo ?? orig.ordNo,
      cncl_qty: padded((cancelled as { remainingQty: number }).remainingQty, 12),
      return_code: 0,
      return_msg: '취소 주문입력이 완료되었습니다',
    };
  }

  // ---- WebSocket ----------------------------------------------------------------------------------------

  private accept(ws: WebSocket): void {
    const session: Session = {
      ws,
      loggedIn: false,
      customer: null,
      groups: new Map(),
      listedConditions: false,
      liveConditions: new Set(),
      awaitingPing: false,
      pingTimer: null,
      loginTimer: null,
      pending: [],
      flushScheduled: false,
    };
    this.sessions.add(session);
    session.loginTimer = setTimeout(() => {
      this.send(session, { trnm: 'SYSTEM', code: 'R10001', message: '로그인 요청이 없어 접속을 종료합니다' });
      this.closeSession(session, 1008, 'no LOGIN');
    }, this.loginTimeoutMs);
    ws.on('message', (data, isBinary) => {
      if (isBinary) {
        this.stats.badFrames++;
        return;
      }
      this.handleFrame(session, data.toString());
    });
    ws.on('close', () => this.forget(session));
    ws.on('error', () => this.forget(session));
  }

  private forget(session: Session): void {
    if (session.pingTimer) clearInterval(session.pingTimer);
    if (session.loginTimer) clearTimeout(session.loginTimer);
    this.sessions.delete(session);
  }

  private closeSession(session: Session, code: number, reason: string): void {
    this.forget(session);
    session.ws.close(code, reason);
  }

  private send(session: Session, frame: ServerFrame): void {
    if (this.silent || session.ws.readyState !== session.ws.OPEN) return;
    session.ws.send(encodeServerFrame(frame));
  }

  private handleFrame(session: Session, text: string): void {
    if (this.silent) return;
    let frame: ClientFrame;
    try {
      frame = decodeClientFrame(text);
    } catch (error) {
      // The real server's reaction to junk is not documented; ignoring it keeps a client's typo from killing its session.
      if (error instanceof KiwoomCodecError) this.stats.badFrames++;
      return;
    }
    if (frame.trnm === 'LOGIN') return this.login(session, frame.token);
    if (!session.loggedIn) {
      this.send(session, { trnm: 'SYSTEM', code: 'R10003', message: '로그인 후 요청하세요' });
      return;
    }
    switch (frame.trnm) {
      case 'PING':
        // `{"trnm":"PING"}` echoed back: the client is alive.
        session.awaitingPing = false;
        return;
      case 'REG':
        return this.register(session, frame);
      case 'REMOVE':
        return this.remove(session, frame);
      case 'CNSRLST':
        // `{"trnm":"CNSRLST"}` → `{"trnm":"CNSRLST","return_code":0,"return_msg":"","data":[["0","상승추세"],…]}`
        session.listedConditions = true;
        this.send(session, {
          trnm: 'CNSRLST',
          return_code: 0,
          return_msg: '',
          data: this.scanner.conditions().map((c): [string, string] => [c.id, c.name]),
        });
        return;
      case 'CNSRREQ':
        return this.conditionRequest(session, frame);
      case 'CNSRCLR': {
        // `{"trnm":"CNSRCLR","seq":"1"}` → `{"trnm":"CNSRCLR","seq":"1","return_code":0,"return_msg":""}`
        const removed = session.liveConditions.delete(frame.seq);
        this.send(session, { trnm: 'CNSRCLR', seq: frame.seq, return_code: removed ? 0 : 1, return_msg: removed ? '' : `실시간 조건검색 ${frame.seq}이(가) 등록되어 있지 않습니다` });
        return;
      }
    }
  }

  /** `{"trnm":"LOGIN","token":"WQJCwyqInphKnR3bSRtB9NE1lv..."}` → `{"trnm":"LOGIN","return_code":0,"return_msg":"","sor_yn":"Y"}`. */
  private login(session: Session, token: string): void {
    if (session.loginTimer) clearTimeout(session.loginTimer);
    session.loginTimer = null;
    const forced = this.loginFailures > 0;
    if (forced) this.loginFailures--;
    const customer = forced ? null : this.customerOf(token);
    if (!customer) {
      // The exact failure text is UNCONFIRMED (§3.1); CODE=8005 is what the official client looks for.
      this.send(session, { trnm: 'LOGIN', return_code: 1, return_msg: forced ? '로그인 실패 [CODE=1999]' : '토큰이 유효하지 않습니다 [CODE=8005]' });
      this.closeSession(session, 1008, 'login failed');
      return;
    }
    session.loggedIn = true;
    session.customer = customer;
    this.stats.logins++;
    this.send(session, { trnm: 'LOGIN', return_code: 0, return_msg: '', sor_yn: 'Y' });
    session.pingTimer = setInterval(() => this.ping(session), this.pingIntervalMs);
  }

  /** `{"trnm":"PING"}` each interval; the previous one unanswered means the client is gone (§3.2). */
  private ping(session: Session): void {
    if (this.silent) return;
    if (session.awaitingPing) {
      this.send(session, { trnm: 'SYSTEM', code: 'R10002', message: R10002_MESSAGE });
      this.closeSession(session, 1000, 'heartbeat timeout');
      return;
    }
    session.awaitingPing = true;
    this.send(session, { trnm: 'PING', text: '{"trnm":"PING"}' });
  }

  private itemCount(session: Session): number {
    let n = 0;
    for (const group of session.groups.values()) n += group.size;
    return n;
  }

  /** `{"trnm":"REG","grp_no":"1","refresh":"1","data":[{"item":["005930"],"type":["0B","0D"]}]}` → ack. */
  private register(session: Session, frame: Extract<ClientFrame, { trnm: 'REG' }>): void {
    const refuse = (msg: string) => this.send(session, { trnm: 'REG', return_code: 1, return_msg: msg });
    if (!/^\d{1,4}$/.test(frame.grp_no)) return refuse(`그룹번호(${frame.grp_no})가 올바르지 않습니다`);
    const current = session.groups.get(frame.grp_no) ?? new Map<string, Set<string>>();
    const next = frame.refresh === '0' ? new Map<string, Set<string>>() : new Map([...current].map(([c, t]) => [c, new Set(t)]));
    for (const entry of frame.data) {
      for (const type of entry.type) if (!KNOWN_TYPES.has(type)) return refuse(`실시간 항목(${type})이 올바르지 않습니다`);
      for (const raw of entry.item) {
        const accountOnly = entry.type.every((t) => t === REAL_TYPE.order || t === REAL_TYPE.balance);
        // Account pushes register with item "" (§3.4).
        const code = raw.trim();
        if (code === '' && !accountOnly) return refuse('종목코드가 없습니다');
        if (code !== '') {
          const symbol = symbolFromCode(code);
          if (!symbol || !this.engine.instrument(symbol)) return refuse(`종목코드(${code})가 존재하지 않습니다`);
        }
        const key = code === '' ? '' : krxCode(symbolFromCode(code)!);
        const types = next.get(key) ?? new Set<string>();
        for (const type of entry.type) types.add(type);
        next.set(key, types);
      }
    }
    const codesIn = (group: Map<string, Set<string>>) => [...group.keys()].filter((c) => c !== '').length;
    if (codesIn(next) > this.groupItemLimit) return refuse(`그룹당 등록 가능한 종목 수(${this.groupItemLimit})를 초과했습니다`);
    const others = this.itemCount(session) - codesIn(current) - (current.has('') ? 1 : 0);
    if (others + codesIn(next) > this.totalItemLimit) return refuse(`등록 가능한 실시간 종목 수(${this.totalItemLimit})를 초과했습니다`);
    session.groups.set(frame.grp_no, next);
    this.send(session, { trnm: 'REG', return_code: 0, return_msg: '' });
  }

  /** `{"trnm":"REMOVE","grp_no":"1","data":[{"item":["005930"],"type":["0D"]}]}`; no item list = every item. */
  private remove(session: Session, frame: Extract<ClientFrame, { trnm: 'REMOVE' }>): void {
    const group = session.groups.get(frame.grp_no);
    if (group) {
      for (const entry of frame.data) {
        const codes = entry.item.length === 0 ? [...group.keys()] : entry.item.map((c) => c.trim());
        for (const raw of codes) {
          const key = raw === '' ? '' : (symbolFromCode(raw) ? krxCode(symbolFromCode(raw)!) : raw);
          const types = group.get(key);
          if (!types) continue;
          for (const type of entry.type) types.delete(type);
          if (types.size === 0) group.delete(key);
        }
      }
      if (group.size === 0) session.groups.delete(frame.grp_no);
    }
    // REMOVE ack shape is UNCONFIRMED (§3.4); the spec text says requests are echoed, so it mirrors REG's ack.
    this.send(session, { trnm: 'REMOVE', return_code: 0, return_msg: '' });
  }

  /**
   * `{"trnm":"CNSRREQ","seq":"4","search_type":"0","stex_tp":"K","cont_yn":"N","next_key":""}` → FID rows;
   * `{"trnm":"CNSRREQ","seq":"4","search_type":"1","stex_tp":"K"}` → `{"jmcode":"A005930"}` rows, then REAL 02.
   */
  private conditionRequest(session: Session, frame: Extract<ClientFrame, { trnm: 'CNSRREQ' }>): void {
    // Without CNSRLST first on this socket the real server stays silent (§6, LOG); so does this one.
    if (!session.listedConditions) return;
    const hits = this.scanner.hits(frame.seq);
    const refuse = (msg: string) =>
      this.send(session, { trnm: 'CNSRREQ', seq: frame.seq, return_code: 1, return_msg: msg, cont_yn: 'N', next_key: '', data: [] });
    if (!hits) return refuse(`조건검색식(${frame.seq})이 존재하지 않습니다`);
    if (frame.search_type === '0') {
      this.send(session, { trnm: 'CNSRREQ', seq: frame.seq, return_code: 0, return_msg: '', cont_yn: 'N', next_key: '', data: hits.map((s) => this.oneShotRow(s)) });
      return;
    }
    if (!session.liveConditions.has(frame.seq) && session.liveConditions.size >= this.liveConditionLimit) {
      return refuse(`실시간 조건검색은 최대 ${this.liveConditionLimit}개까지 등록할 수 있습니다`);
    }
    session.liveConditions.add(frame.seq);
    this.send(session, { trnm: 'CNSRREQ', seq: frame.seq, return_code: 0, return_msg: '', cont_yn: 'N', next_key: '', data: hits.map((s) => ({ jmcode: prefixedCode(s) })) });
  }

  /** A ka10172 row: 9-digit padded prices, FID 12 with two implied decimals (§5.6). */
  private oneShotRow(symbol: SymbolId): Record<string, string> {
    const state = this.engine.state(symbol);
    const t = state?.lastTrade;
    const prevClose = state?.instrument.prevClose ?? 0;
    const price = t?.price ?? prevClose;
    const change = price - prevClose;
    const rateHundredths = prevClose > 0 ? Math.round((change / prevClose) * 10_000) : 0;
    const sign = change > 0 ? '2' : change < 0 ? '5' : '3';
    return {
      '9001': prefixedCode(symbol),
      '302': state?.instrument.name ?? '',
      '10': padded(price, 9),
      '25': sign,
      '11': padded(change, 9),
      '12': padded(rateHundredths, 9),
      '13': padded(t?.cumVolume ?? 0, 9),
      '16': padded(t?.open ?? price, 9),
      '17': padded(t?.high ?? price, 9),
      '18': padded(t?.low ?? price, 9),
    };
  }

  // ---- pushes -------------------------------------------------------------------------------------------

  private queue(session: Session, item: RealItem): void {
    session.pending.push(item);
    const size = this.batchSize || MAX_ITEMS_PER_FRAME;
    if (this.batchSize > 0 && session.pending.length >= size) return this.flush(session, size);
    if (session.flushScheduled) return;
    session.flushScheduled = true;
    // One engine step emits many events synchronously; flushing on the next turn batches them into one frame.
    const flush = () => {
      session.flushScheduled = false;
      this.flush(session, size);
    };
    if (this.batchSize > 0) setTimeout(flush, BATCH_MAX_WAIT_MS);
    else setImmediate(flush);
  }

  private flush(session: Session, size: number): void {
    while (session.pending.length > 0) {
      const data = session.pending.splice(0, size);
      this.stats.realFrames++;
      this.send(session, { trnm: 'REAL', data });
    }
  }

  private wants(session: Session, code: string, type: string): boolean {
    if (!session.loggedIn) return false;
    for (const group of session.groups.values()) if (group.get(code)?.has(type)) return true;
    return false;
  }

  private wantsAccount(session: Session, type: string): boolean {
    if (!session.loggedIn) return false;
    for (const group of session.groups.values()) for (const types of group.values()) if (types.has(type)) return true;
    return false;
  }

  private pushTrade(trade: EngineTrade): void {
    if (!trade.symbol.startsWith('KRX:')) return;
    this.prevCloseOf.set(trade.symbol, trade.prevClose);
    const code = krxCode(trade.symbol);
    let item: RealItem | null = null;
    for (const session of this.sessions) {
      if (!this.wants(session, code, REAL_TYPE.trade)) continue;
      item ??= tradeItem(code, trade, this.bestOf.get(trade.symbol) ?? { ask: null, bid: null });
      this.queue(session, item);
    }
  }

  private pushBook(book: EngineBook): void {
    if (!book.symbol.startsWith('KRX:')) return;
    this.bestOf.set(book.symbol, { ask: book.asks[0]?.price ?? null, bid: book.bids[0]?.price ?? null });
    const code = krxCode(book.symbol);
    let item: RealItem | null = null;
    for (const session of this.sessions) {
      if (!this.wants(session, code, REAL_TYPE.book)) continue;
      let prevClose = this.prevCloseOf.get(book.symbol);
      if (prevClose === undefined) {
        prevClose = this.engine.instrument(book.symbol)?.prevClose ?? 0;
        this.prevCloseOf.set(book.symbol, prevClose);
      }
      item ??= bookItem(code, book, prevClose);
      this.queue(session, item);
    }
  }

  private pushOrder(update: PaperOrderUpdate): void {
    const customer = this.customers.find((c) => c.account.owner === update.order.owner);
    if (!customer) return;
    const account = customer.account;
    if (this.placing) {
      this.placing.push(update);
      return;
    }
    const record = account.byEngine(update.order.orderId);
    if (!record) return;
    const items: RealItem[] = [];
    const side = update.order.side === 'buy' ? '매수' : '매도';
    if (update.order.status === 'cancelled') {
      const modify = this.modifying.get(update.order.orderId);
      if (modify) {
        this.modifying.delete(update.order.orderId);
        items.push(account.orderItem({ ...record, origOrdNo: null }, update, { status: '확인', label: `${side}정정` }));
      } else {
        const cancel = account.byEngine(`cancel:${update.order.orderId}`) ?? record;
        items.push(account.orderItem(cancel, update, { status: '확인', label: `${side}취소` }));
      }
    } else {
      items.push(account.orderItem(record, update));
    }
    if (update.fill) items.push(account.applyFill(update.order, update.fill));
    for (const session of this.sessions) {
      if (session.customer !== customer) continue;
      for (const item of items) if (this.wantsAccount(session, item.type)) this.queue(session, item);
    }
  }

  private pushCondition(id: string, symbol: SymbolId, action: 'insert' | 'delete', ts: number): void {
    for (const session of this.sessions) {
      if (!session.loggedIn || !session.liveConditions.has(id)) continue;
      this.queue(session, conditionItem(id, krxCode(symbol), action, ts));
    }
  }
}

