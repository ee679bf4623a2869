/**
 * A loopback fake of the KIS Open API (protocols/kis.md §9), driven by the shared MarketEngine: REST (tokenP,
 * Approval, inquire-balance, order-cash, order-rvsecncl, inquire-psbl-rvsecncl) and the real-time WebSocket
 * (acks with their codes, the 41-registration limit, one session per app key, batched `0|TR|NNN|…` frames,
 * 62-field 호가, AES-encrypted 체결통보, PINGPONG with a dropped session when it is not echoed).
 *
 * It speaks the wire of protocols/kis.md, not whatever the adapter happens to expect: simulator.test.ts proves
 * it with a raw client written from that reference.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { readJsonObject } from '../simulator-http';
import type { OrderSide, SymbolId } from '../../../lib/contracts';
import { signOf } from '../../../lib/format/price-colour';
import type { EngineBook, EngineTrade, PaperOrder, PaperOrderUpdate } from '../../market/engine-types';
import type { MarketEngine } from '../../market/market-engine';
import { PaperOrderError } from '../../market/paper-orders';
import {
  encodeAck,
  encodeDataFrame,
  encodePingPong,
  KisCodecError,
  MSG,
  parseSubscribeRequest,
  type KisCipherKey,
  type KisSubscribeRequest,
} from './codec';
import {
  HOGA_COLUMNS,
  HOGA_LEVELS,
  HOGA_WIRE_WIDTH,
  isDataTrId,
  isNoticeTr,
  NOTICE_COLUMNS,
  TICK_COLUMNS,
  TR_HOGA,
  TR_NOTICE,
  TR_NOTICE_PAPER,
  TR_TICK,
  TR_TICK_UNIFIED,
  type KisDataTrId,
} from './layouts';
import { kstDate, kstTime, SIGN_CODES } from './normalize';
import { PaperLedger } from './sim-ledger';

/** Simulator credentials: an app key of KIS's 36 characters and a secret of its 180 (§2.1). */
export const SIM_APP_KEY = 'PSsiseSIMULATORappKEY000000000000001';
export const SIM_APP_SECRET = 'siseSimulatorSecret/'.repeat(9);
/** The paper account of the simulated market (design §3: `kis:50012345-01`). */
export const SIM_ACCOUNT = '50012345-01';
/** A demo HTS ID: the key under which 체결통보 (H0STCNI0/9) is subscribed. */
export const SIM_HTS_ID = 'SISEDEMO01';
/**
 * A second customer the simulated KIS has issued an app key to, with its own paper account, as KIS issues keys
 * per customer: users link it on their account page to try linking without a real account.
 */
export const SIM_ISSUED_CREDENTIALS: KisCustomerCredentials = {
  appKey: 'PSsiseSIMULATORappKEY000000000000002',
  appSecret: 'siseDemoCustomerTwo/'.repeat(9),
  account: '50067890-01',
  htsId: 'SISEDEMO02',
};
const SIM_ACCOUNT_NAME = '시세모의';

/** KIS's limit per session (§3.1): 체결가, 호가 and 체결통보 registrations together. */
export const KIS_MAX_REGISTRATIONS = 41;
/** The real interval is unconfirmed (§3.5, third parties guess 5–30 s); 10 s keeps a dead client visible quickly. */
export const SIM_PINGPONG_INTERVAL_MS = 10_000;
/** A client that has not echoed a PINGPONG within this is dropped (real timeout unconfirmed, §9 ✱). */
export const SIM_PINGPONG_TIMEOUT_MS = 10_000;
/** KIS issues at most one token per minute (§2.1). */
export const SIM_TOKEN_MIN_INTERVAL_MS = 60_000;
/** Token validity: one day (§2.1). */
export const SIM_TOKEN_LIFETIME_S = 86_400;
/** A re-request within 6 hours returns the same token (§2.1). */
export const SIM_TOKEN_REUSE_MS = 6 * 3_600_000;
/** Rows per inquire-balance page on the paper service (§6.1: 50 real, 20 mock). */
export const SIM_BALANCE_PAGE_SIZE = 20;
/** The paper account's opening cash: 100 million won, KIS's usual 모의투자 grant. */
export const SIM_STARTING_CASH = 100_000_000;
/** KRX's 0-padded 10-digit order numbers (ODNO) and 5-digit branch (KRX_FWDG_ORD_ORGNO). */
const ORDER_NO_DIGITS = 10;
const SIM_BRANCH = '06590';
/** The `count` field has three digits (§3.6). */
const MAX_RECORDS_PER_FRAME = 999;

/** One customer's app key pair, account and HTS id. */
export interface KisCustomerCredentials {
  appKey: string;
  appSecret: string;
  account: string;
  htsId: string;
}

/** A customer as the simulated service keeps it: keys, its own token, paper account and REST budget. */
interface Customer extends KisCustomerCredentials {
  accountId: string;
  ledger: PaperLedger;
  token: TokenState | null;
  lastTokenAt: number;
  recentCalls: number[];
}

export interface KisSimulatorOptions {
  engine: MarketEngine;
  appKey?: string;
  appSecret?: string;
  account?: string;
  htsId?: string;
  /** Further customers, each with its own keys, token and paper account (orders and balances kept apart). */
  issued?: readonly KisCustomerCredentials[];
  maxRegistrations?: number;
  pingIntervalMs?: number;
  pingTimeoutMs?: number;
  tokenMinIntervalMs?: number;
  balancePageSize?: number;
  startingCash?: number;
  /** REST calls per second per app key before EGW00201 (paper KIS: 2, §6); unset: unlimited. */
  restRatePerSecond?: number;
  /** §3.5: whether an RFC 6455 pong carrying the PINGPONG text also counts as the echo. Default: only the text echo. */
  pongControlFrameCounts?: boolean;
  now?: () => number;
}

export interface KisSimulatorUrls {
  restUrl: string;
  wsUrl: string;
}

interface Registration {
  trId: KisDataTrId;
  trKey: string;
}

interface Session {
  ws: WebSocket;
  appKey: string | null;
  registrations: Map<string, Registration>;
  cipher: KisCipherKey;
  lastPing: string | null;
  pingAnswered: boolean;
  pingTimer: ReturnType<typeof setInterval>;
  pongTimer: ReturnType<typeof setTimeout> | null;
  /** Records waiting for this turn's flush, per `trId|trKey`. */
  pending: Map<string, { trId: KisDataTrId; records: string[][] }>;
}

interface TokenState {
  token: string;
  issuedAt: number;
  expiresAt: number;
}

/** Per-symbol day counters that H0STCNT0 carries but the engine does not keep. */
interface TapeCounters {
  sellCount: number;
  buyCount: number;
  sellQty: number;
  buyQty: number;
  date: string;
}

const REG = (trId: string, trKey: string) => `${trId}|${trKey}`;

export class KisSimulator {
  readonly appKey: string;
  readonly appSecret: string;
  readonly account: string;
  readonly htsId: string;
  readonly accountId: string;
  readonly ledger: PaperLedger;
  private readonly customers: Customer[];
  /** Counters tests read: every tokenP request, and tokens actually minted. */
  readonly stats = { tokenRequests: 0, tokensIssued: 0, approvals: 0, connections: 0, sessionsDropped: 0, rateLimited: 0 };

  private readonly engine: MarketEngine;
  private readonly now: () => number;
  private readonly maxRegistrations: number;
  private readonly pingIntervalMs: number;
  private readonly pingTimeoutMs: number;
  private readonly tokenMinIntervalMs: number;
  private readonly balancePageSize: number;
  private readonly pongControlFrameCounts: boolean;
  private readonly restRatePerSecond: number | null;

  private http: Server | null = null;
  private wss: WebSocketServer | null = null;
  private readonly sessions = new Set<Session>();
  private readonly liveByAppKey = new Map<string, Session>();
  private readonly approvals = new Map<string, string>();
  private flushScheduled = false;
  private readonly tape = new Map<SymbolId, TapeCounters>();
  private readonly lastBook = new Map<SymbolId, EngineBook>();
  /** Engine order id ↔ KIS order number. */
  private readonly kisNoOf = new Map<string, string>();
  private readonly engineIdOf = new Map<string, string>();
  private orderSeq = 0;
  /** Set while order-cash runs: a rejection then is the REST answer, not a notice. */
  private placing = false;
  /** The cancel order's own number, for the notice the engine's synchronous `cancelled` event produces. */
  private cancelNo: string | null = null;

  // Fault switches.
  private echoCheck = true;
  private available = true;
  private forcedBatch: number | null = null;

  private readonly onTrade = (trade: EngineTrade) => this.publishTrade(trade);
  private readonly onBook = (book: EngineBook) => this.publishBook(book);
  private readonly onOrder = (update: PaperOrderUpdate) => this.publishOrder(update);

  constructor(options: KisSimulatorOptions) {
    this.engine = options.engine;
    this.appKey = options.appKey ?? SIM_APP_KEY;
    this.appSecret = options.appSecret ?? SIM_APP_SECRET;
    this.account = options.account ?? SIM_ACCOUNT;
    this.htsId = options.htsId ?? SIM_HTS_ID;
    this.accountId = `kis:${this.account}`;
    this.maxRegistrations = options.maxRegistrations ?? KIS_MAX_REGISTRATIONS;
    this.pingIntervalMs = options.pingIntervalMs ?? SIM_PINGPONG_INTERVAL_MS;
    this.pingTimeoutMs = options.pingTimeoutMs ?? SIM_PINGPONG_TIMEOUT_MS;
    this.tokenMinIntervalMs = options.tokenMinIntervalMs ?? SIM_TOKEN_MIN_INTERVAL_MS;
    this.balancePageSize = options.balancePageSize ?? SIM_BALANCE_PAGE_SIZE;
    this.pongControlFrameCounts = options.pongControlFrameCounts ?? false;
    this.restRatePerSecond = options.restRatePerSecond ?? null;
    this.now = options.now ?? Date.now;
    const startingCash = options.startingCash ?? SIM_STARTING_CASH;
    const customer = (c: KisCustomerCredentials, ledger: PaperLedger): Customer => ({
      ...c, accountId: `kis:${c.account}`, ledger, token: null, lastTokenAt: -Infinity, recentCalls: [],
    });
    this.ledger = new PaperLedger(startingCash);
    this.customers = [
      customer({ appKey: this.appKey, appSecret: this.appSecret, account: this.account, htsId: this.htsId }, this.ledger),
      ...(options.issued ?? []).map((c) => customer(c, new PaperLedger(startingCash))),
    ];
  }

  /** Listens on 127.0.0.1, port 0; REST and WebSocket share the port (paths differ). */
  async start(): Promise<KisSimulatorUrls> {
    const http = createServer((req, res) => {
      this.handleRest(req, res).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify({ rt_cd: '1', msg_cd: 'EGW00001', msg1: String(error) }));
      });
    });
    // Like KIS's real socket (§3.1): any path, plain text frames. UTF-8 is checked by the client, not here.
    const wss = new WebSocketServer({ noServer: true });
    http.on('upgrade', (req, socket, head) => {
      if (!this.available) {
        socket.end('HTTP/1.1 503 Service Unavailable\r\nconnection: close\r\n\r\n');
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => this.acceptSession(ws));
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    this.http = http;
    this.wss = wss;
    this.engine.on('trade', this.onTrade).on('book', this.onBook).on('order', this.onOrder);
    const { port } = http.address() as AddressInfo;
    return { restUrl: `http://127.0.0.1:${port}`, wsUrl: `ws://127.0.0.1:${port}/tryitout` };
  }

  async stop(): Promise<void> {
    this.engine.off('trade', this.onTrade).off('book', this.onBook).off('order', this.onOrder);
    for (const session of [...this.sessions]) this.drop(session);
    this.wss?.close();
    const http = this.http;
    this.http = null;
    if (http) {
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    }
  }

  // --- fault switches -------------------------------------------------------------------------------------------

  /** Drops every session without a close frame (the 1006 KIS clients see, §7.9) and, if `down`, refuses new ones. */
  dropConnections(down = false): void {
    this.available = !down;
    for (const session of [...this.sessions]) this.drop(session);
  }

  /** Lets sessions in again after dropConnections(true). */
  restore(): void {
    this.available = true;
  }

  /** Off: a session that never echoes PINGPONG stays up (to test clients without the keep-alive rule). */
  setPingEchoCheck(enabled: boolean): void {
    this.echoCheck = enabled;
  }

  /**
   * Sends a text frame to every session, e.g. a malformed data frame; bytes go out as a text frame unchecked,
   * for the invalid UTF-8 KIS has been seen to send (§7.8).
   */
  injectFrame(data: string | Buffer): void {
    for (const session of this.sessions) session.ws.send(data, { binary: false });
  }

  /** Every data frame carries exactly `n` records (held back until there are `n`); null restores per-turn batching. */
  forceBatchSize(n: number | null): void {
    if (n !== null && !(Number.isInteger(n) && n >= 1 && n <= MAX_RECORDS_PER_FRAME)) throw new RangeError(`batch size 1–999, got ${n}`);
    this.forcedBatch = n;
  }

  /** Every customer's current token expires now: the next REST call with it gets EGW00123. */
  expireToken(): void {
    for (const customer of this.customers) if (customer.token) customer.token.expiresAt = this.now() - 1;
  }

  /** Live registrations per session, for tests. */
  registrations(): string[][] {
    return [...this.sessions].map((s) => [...s.registrations.keys()]);
  }

  get sessionCount(): number {
    return this.sessions.size;
  }

  // --- WebSocket ------------------------------------------------------------------------------------------------

  private acceptSession(ws: WebSocket): void {
    this.stats.connections++;
    const session: Session = {
      ws,
      appKey: null,
      registrations: new Map(),
      // Per session: 32 lowercase letters and 16 lowercase hex, the shapes every capture shows (§3.4).
      cipher: { key: randomLetters(32), iv: randomBytes(8).toString('hex') },
      lastPing: null,
      pingAnswered: true,
      pingTimer: setInterval(() => this.ping(session), this.pingIntervalMs),
      pongTimer: null,
      pending: new Map(),
    };
    this.sessions.add(session);
    ws.on('message', (data, isBinary) => this.onClientMessage(session, isBinary ? null : data.toString()));
    ws.on('pong', (data) => {
      if (this.pongControlFrameCounts && data.toString() === session.lastPing) this.answered(session);
    });
    ws.on('close', () => this.forget(session));
    ws.on('error', () => this.forget(session));
  }

  private ping(session: Session): void {
    const text = encodePingPong(`${kstDate(this.now())}${kstTime(this.now())}`);
    session.lastPing = text;
    session.pingAnswered = false;
    session.ws.send(text);
    // The deadline runs from the oldest unanswered PINGPONG; later ones do not push it back.
    if (session.pongTimer) return;
    session.pongTimer = setTimeout(() => {
      session.pongTimer = null;
      if (this.echoCheck && !session.pingAnswered) {
        this.stats.sessionsDropped++;
        this.drop(session);
      }
    }, this.pingTimeoutMs);
  }

  private answered(session: Session): void {
    session.pingAnswered = true;
    if (session.pongTimer) clearTimeout(session.pongTimer);
    session.pongTimer = null;
  }

  /** No close frame: the socket is destroyed, as KIS does (§7.9). */
  private drop(session: Session): void {
    session.ws.terminate();
    this.forget(session);
  }

  private forget(session: Session): void {
    if (!this.sessions.delete(session)) return;
    clearInterval(session.pingTimer);
    if (session.pongTimer) clearTimeout(session.pongTimer);
    if (session.appKey !== null && this.liveByAppKey.get(session.appKey) === session) this.liveByAppKey.delete(session.appKey);
  }

  /**
   * `{"header":{"approval_key":"…","custtype":"P","tr_type":"1","content-type":"utf-8"},"body":{"input":{"tr_id":"H0STCNT0","tr_key":"005930"}}}`,
   * or the echo of the last PINGPONG.
   */
  private onClientMessage(session: Session, text: string | null): void {
    if (text === null) return;
    // The echo of {"header":{"tr_id":"PINGPONG","datetime":"…"}}, byte for byte (§3.5).
    if (text === session.lastPing) {
      this.answered(session);
      return;
    }
    let request: KisSubscribeRequest;
    try {
      request = parseSubscribeRequest(text);
    } catch (error) {
      const reason = error instanceof KisCodecError ? error.message : String(error);
      // The service's answer to garbage is unconfirmed; OPSP0007 is the code python-kis knows as a server-side error.
      session.ws.send(encodeAck({ trId: null, trKey: null, rtCd: '1', msgCd: 'OPSP0007', msg1: `JSON PARSING ERROR : ${reason}` }));
      return;
    }
    const { trId, trKey } = request;
    const appKey = this.approvals.get(request.approvalKey);
    if (appKey === undefined) {
      session.ws.send(encodeAck({ trId, trKey, ...MSG.INVALID_APPROVAL, msg1: `${MSG.INVALID_APPROVAL.msg1}${request.approvalKey}` }));
      return;
    }
    if (session.appKey === null) {
      const live = this.liveByAppKey.get(appKey);
      if (live && live !== session) {
        // {"body":{"rt_cd":"9","msg_cd":"OPSP8996","msg1":"ALREADY IN USE appkey"}} and the socket closes.
        session.ws.send(encodeAck({ trId: null, trKey: null, ...MSG.APPKEY_IN_USE }));
        session.ws.close();
        return;
      }
      session.appKey = appKey;
      this.liveByAppKey.set(appKey, session);
    }
    const key = REG(trId, trKey);
    if (request.trType === '2') {
      if (!session.registrations.delete(key)) {
        session.ws.send(encodeAck({ trId, trKey, ...MSG.NOT_SUBSCRIBED }));
        return;
      }
      session.pending.delete(key);
      session.ws.send(encodeAck({ trId, trKey, ...MSG.UNSUBSCRIBED }));
      return;
    }
    if (!isDataTrId(trId)) {
      session.ws.send(encodeAck({ trId, trKey, rtCd: '1', msgCd: 'OPSP0007', msg1: `invalid tr_id : ${trId}` }));
      return;
    }
    if (session.registrations.has(key)) {
      session.ws.send(encodeAck({ trId, trKey, ...MSG.ALREADY_SUBSCRIBED }));
      return;
    }
    if (session.registrations.size >= this.maxRegistrations) {
      session.ws.send(encodeAck({ trId, trKey, ...MSG.LIMIT }));
      return;
    }
    session.registrations.set(key, { trId, trKey });
    session.ws.send(encodeAck({ trId, trKey, encrypt: isNoticeTr(trId), ...MSG.SUBSCRIBED, cipher: session.cipher }));
  }

  // --- market data ----------------------------------------------------------------------------------------------

  private wants(trId: KisDataTrId, trKey: string): Session[] {
    const key = REG(trId, trKey);
    const out: Session[] = [];
    for (const session of this.sessions) if (session.registrations.has(key)) out.push(session);
    return out;
  }

  private publishTrade(trade: EngineTrade): void {
    if (!trade.symbol.startsWith('KRX:')) return;
    const code = trade.symbol.slice(4);
    const counters = this.countTrade(trade);
    const plain = this.wants(TR_TICK, code);
    const unified = this.wants(TR_TICK_UNIFIED, code);
    if (plain.length === 0 && unified.length === 0) return;
    const record = this.tickRecord(trade, code, counters);
    for (const session of plain) this.enqueue(session, TR_TICK, code, record);
    for (const session of unified) this.enqueue(session, TR_TICK_UNIFIED, code, record);
  }

  private countTrade(trade: EngineTrade): TapeCounters {
    const date = kstDate(trade.ts);
    let c = this.tape.get(trade.symbol);
    if (!c || c.date !== date) {
      c = { sellCount: 0, buyCount: 0, sellQty: 0, buyQty: 0, date };
      this.tape.set(trade.symbol, c);
    }
    if (trade.side === 'buy') {
      c.buyCount++;
      c.buyQty += trade.qty;
    } else {
      c.sellCount++;
      c.sellQty += trade.qty;
    }
    return c;
  }

  /** H0STCNT0's 46 fields (§5.1), e.g. `005930^090001^70000^2^500^0.72^69950.12^69800^70100^69700^70000^69900^10^…` */
  private tickRecord(trade: EngineTrade, code: string, c: TapeCounters): string[] {
    const book = this.lastBook.get(trade.symbol) ?? this.engine.state(trade.symbol)?.book;
    const change = trade.price - trade.prevClose;
    const sign = SIGN_CODES[signOf(trade.price, trade.prevClose, trade.upperLimit, trade.lowerLimit)];
    const vs = (ref: number) => {
      const d = trade.price - ref;
      return [d > 0 ? '2' : d < 0 ? '5' : '3', String(d)];
    };
    const totalAsk = book ? sum(book.asks.map((l) => l.qty)) : 0;
    const totalBid = book ? sum(book.bids.map((l) => l.qty)) : 0;
    const hour = kstTime(trade.ts);
    const r: string[] = [
      code, hour, String(trade.price), sign, String(change), fixed2((change / trade.prevClose) * 100),
      fixed2(trade.cumVolume > 0 ? trade.cumValue / trade.cumVolume : trade.price), String(trade.open), String(trade.high),
      String(trade.low), String(book?.asks[0]?.price ?? 0), String(book?.bids[0]?.price ?? 0), String(trade.qty),
      String(trade.cumVolume), String(Math.round(trade.cumValue)), String(c.sellCount), String(c.buyCount),
      String(c.buyCount - c.sellCount), fixed2(c.sellQty > 0 ? (c.buyQty / c.sellQty) * 100 : 0), String(c.sellQty),
      String(c.buyQty), trade.side === 'buy' ? '1' : '5', fixed2(trade.cumVolume > 0 ? (c.buyQty / trade.cumVolume) * 100 : 0),
      '0.00', hour, ...vs(trade.open), hour, ...vs(trade.high), hour, ...vs(trade.low), kstDate(trade.ts), '20', 'N',
      String(book?.asks[0]?.qty ?? 0), String(book?.bids[0]?.qty ?? 0), String(totalAsk), String(totalBid), '0.00', '0',
      '0.00', '0', '', String(trade.prevClose),
    ];
    if (r.length !== TICK_COLUMNS.length) throw new Error(`tick record has ${r.length} fields`);
    return r;
  }

  private publishBook(book: EngineBook): void {
    if (!book.symbol.startsWith('KRX:')) return;
    this.lastBook.set(book.symbol, book);
    const code = book.symbol.slice(4);
    const sessions = this.wants(TR_HOGA, code);
    if (sessions.length === 0) return;
    const record = this.hogaRecord(book, code);
    for (const session of sessions) this.enqueue(session, TR_HOGA, code, record);
  }

  /** H0STASP0 as the real service sends it: the 59 documented fields and 3 more (§5.3, §10.3). */
  private hogaRecord(book: EngineBook, code: string): string[] {
    const level = (side: EngineBook['asks'], i: number) => side[i] ?? { price: 0, qty: 0 };
    const askPrices: string[] = [];
    const bidPrices: string[] = [];
    const askQtys: string[] = [];
    const bidQtys: string[] = [];
    for (let i = 0; i < HOGA_LEVELS; i++) {
      askPrices.push(String(level(book.asks, i).price));
      bidPrices.push(String(level(book.bids, i).price));
      askQtys.push(String(level(book.asks, i).qty));
      bidQtys.push(String(level(book.bids, i).qty));
    }
    const totalAsk = sum(book.asks.map((l) => l.qty));
    const totalBid = sum(book.bids.map((l) => l.qty));
    const cumVolume = this.engine.state(book.symbol)?.lastTrade?.cumVolume ?? 0;
    const ask1 = book.asks[0]?.price ?? 0;
    const bid1 = book.bids[0]?.price ?? 0;
    const mid = ask1 > 0 && bid1 > 0 ? (ask1 + bid1) / 2 : 0;
    const r: string[] = [
      code, kstTime(book.ts), '0', ...askPrices, ...bidPrices, ...askQtys, ...bidQtys, String(totalAsk), String(totalBid),
      '0', '0', '0', '0', '0', '0', '3', '0.00', String(cumVolume), '0', '0', '0', '0', '0',
      // The three undocumented fields; the capture's first is the mid price (§5.3).
      String(mid), '0', '0',
    ];
    if (r.length !== HOGA_WIRE_WIDTH || HOGA_COLUMNS.length !== 59) throw new Error(`hoga record has ${r.length} fields`);
    return r;
  }

  private enqueue(session: Session, trId: KisDataTrId, trKey: string, record: string[]): void {
    const key = REG(trId, trKey);
    let queue = session.pending.get(key);
    if (!queue) {
      queue = { trId, records: [] };
      session.pending.set(key, queue);
    }
    queue.records.push(record);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      // Everything one engine step produced for a key goes out as one frame: a busy step batches records,
      // as KIS does at busy moments (§7.1).
      setImmediate(() => this.flush());
    }
  }

  private flush(): void {
    this.flushScheduled = false;
    for (const session of this.sessions) {
      for (const [key, queue] of session.pending) {
        const n = this.forcedBatch;
        if (n === null) {
          for (let i = 0; i < queue.records.length; i += MAX_RECORDS_PER_FRAME) {
            session.ws.send(encodeDataFrame(queue.trId, queue.records.slice(i, i + MAX_RECORDS_PER_FRAME)));
          }
          session.pending.delete(key);
        } else {
          while (queue.records.length >= n) session.ws.send(encodeDataFrame(queue.trId, queue.records.splice(0, n)));
          if (queue.records.length === 0) session.pending.delete(key);
        }
      }
    }
  }

  // --- execution notices ----------------------------------------------------------------------------------------

  private kisNo(engineId: string): string {
    let no = this.kisNoOf.get(engineId);
    if (no === undefined) {
      no = this.nextOrderNo();
      this.kisNoOf.set(engineId, no);
      this.engineIdOf.set(no, engineId);
    }
    return no;
  }

  private nextOrderNo(): string {
    return String(++this.orderSeq).padStart(ORDER_NO_DIGITS, '0');
  }

  private publishOrder(update: PaperOrderUpdate): void {
    const { order, fill } = update;
    const customer = this.customers.find((c) => c.accountId === order.owner);
    if (!customer) return;
    const name = this.engine.instrument(order.symbol)?.name ?? '';
    if (fill) customer.ledger.fill(order.symbol, name, order.side, fill.qty, fill.price);
    if (order.status === 'rejected' && this.placing) return;
    const orderNo = this.kisNo(order.orderId);
    let record: string[];
    if (fill) {
      record = this.noticeRecord(customer, order, name, update.ts, { orderNo, origNo: '0000000000', amend: '0', isFill: true, qty: fill.qty, price: fill.price, accept: '2' });
    } else if (order.status === 'cancelled') {
      const cancelNo = this.cancelNo ?? this.nextOrderNo();
      record = this.noticeRecord(customer, order, name, update.ts, { orderNo: cancelNo, origNo: orderNo, amend: '2', isFill: false, qty: order.remainingQty, price: 0, accept: '1' });
    } else if (order.status === 'rejected') {
      record = this.noticeRecord(customer, order, name, update.ts, { orderNo, origNo: '0000000000', amend: '0', isFill: false, qty: order.qty, price: 0, accept: '1', refused: true });
    } else {
      record = this.noticeRecord(customer, order, name, update.ts, { orderNo, origNo: '0000000000', amend: '0', isFill: false, qty: order.qty, price: order.price ?? 0, accept: '1' });
    }
    for (const trId of [TR_NOTICE, TR_NOTICE_PAPER] as const) {
      // Notices go out at once, one record a frame (whether KIS batches encrypted frames is unconfirmed, §4).
      // Only sockets opened with this customer's app key hear its notices, whichever HTS id they name.
      for (const session of this.wants(trId, customer.htsId)) if (session.appKey === customer.appKey) session.ws.send(encodeDataFrame(trId, [record], session.cipher));
    }
  }

  /** H0STCNI0's 26 fields (§5.5), e.g. `SISEDEMO01^5001234501^0000000001^^02^0^00^0^005930^10^70000^093015^0^2^2^06590^10^시세모의^0^1^Y^^^^삼성전자^70000` */
  private noticeRecord(
    customer: Customer,
    order: PaperOrder,
    name: string,
    ts: number,
    n: { orderNo: string; origNo: string; amend: string; isFill: boolean; qty: number; price: number; accept: string; refused?: boolean },
  ): string[] {
    const r = [
      customer.htsId, customer.account.replace('-', ''), n.orderNo, n.origNo, order.side === 'sell' ? '01' : '02', n.amend,
      order.type === 'market' ? '01' : '00', '0', order.symbol.slice(order.symbol.indexOf(':') + 1), String(n.qty), String(n.price),
      kstTime(ts), n.refused ? '1' : '0', n.isFill ? '2' : '1', n.accept, SIM_BRANCH, String(order.qty), SIM_ACCOUNT_NAME, '0', '1',
      'Y', '', '', '', name, String(order.price ?? 0),
    ];
    if (r.length !== NOTICE_COLUMNS.length) throw new Error(`notice record has ${r.length} fields`);
    return r;
  }

  // --- REST -----------------------------------------------------------------------------------------------------

  private async handleRest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const body = req.method === 'POST' ? await readJsonObject(req, MAX_BODY_BYTES) : null;
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(JSON.stringify(payload));
    };
    if (req.method === 'POST' && url.pathname === '/oauth2/tokenP') return this.tokenP(body, send);
    if (req.method === 'POST' && url.pathname === '/oauth2/Approval') return this.approval(body, send);
    if (!url.pathname.startsWith('/uapi/')) return send(404, { rt_cd: '1', msg_cd: 'EGW00002', msg1: `no such API ${url.pathname}` });
    const auth = this.checkAuth(req);
    if ('error' in auth) return send(500, auth.error);
    const { customer } = auth;
    if (this.overRate(customer)) {
      this.stats.rateLimited++;
      return send(500, { rt_cd: '1', msg_cd: 'EGW00201', msg1: '초당 거래건수를 초과하였습니다.' });
    }
    const trId = header(req, 'tr_id');
    const path = url.pathname;
    if (req.method === 'GET' && path === '/uapi/domestic-stock/v1/trading/inquire-balance') return this.inquireBalance(customer, trId, url, req, send);
    if (req.method === 'POST' && path === '/uapi/domestic-stock/v1/trading/order-cash') return this.orderCash(customer, trId, body, send);
    if (req.method === 'POST' && path === '/uapi/domestic-stock/v1/trading/order-rvsecncl') return this.orderCancel(customer, trId, body, send);
    if (req.method === 'GET' && path === '/uapi/domestic-stock/v1/trading/inquire-psbl-rvsecncl') return this.openOrdersRest(customer, trId, url, send);
    return send(404, { rt_cd: '1', msg_cd: 'EGW00002', msg1: `no such API ${path}` });
  }

  /**
   * `{"grant_type":"client_credentials","appkey":"…","appsecret":"…"}` → the token; the same one again within 6 h;
   * 403 EGW00133 when asked again within a minute (§2.1, §9).
   */
  private tokenP(body: Record<string, unknown> | null, send: Send): void {
    this.stats.tokenRequests++;
    const customer = body && body.grant_type === 'client_credentials' ? this.customerByKey(body.appkey) : undefined;
    if (!body || !customer) {
      return send(403, { error_code: 'EGW00103', error_description: '유효하지 않은 AppKey입니다.' });
    }
    if (body.appsecret !== customer.appSecret) return send(403, { error_code: 'EGW00105', error_description: '유효하지 않은 AppSecret입니다.' });
    const now = this.now();
    // The once-a-minute limit is per app key (§2.1): one customer's restart does not lock out another.
    if (now - customer.lastTokenAt < this.tokenMinIntervalMs) {
      return send(403, { error_code: 'EGW00133', error_description: '접근토큰 발급 잠시 후 다시 시도하세요(1분당 1회)' });
    }
    customer.lastTokenAt = now;
    if (!customer.token || customer.token.expiresAt <= now || now - customer.token.issuedAt > SIM_TOKEN_REUSE_MS) {
      customer.token = { token: `sim.${randomBytes(24).toString('base64url')}`, issuedAt: now, expiresAt: now + SIM_TOKEN_LIFETIME_S * 1000 };
      this.stats.tokensIssued++;
    }
    const expiresIn = Math.max(0, Math.round((customer.token.expiresAt - now) / 1000));
    const expired = `${formatKstDateTime(customer.token.expiresAt)}`;
    send(200, { access_token: customer.token.token, access_token_token_expired: expired, token_type: 'Bearer', expires_in: expiresIn });
  }

  /** `{"grant_type":"client_credentials","appkey":"…","secretkey":"…"}` → `{"approval_key":"<uuid>"}` (§2.2). */
  private approval(body: Record<string, unknown> | null, send: Send): void {
    const customer = body ? this.customerByKey(body.appkey) : undefined;
    if (!body || !customer) return send(403, { error_code: 'EGW00103', error_description: '유효하지 않은 AppKey입니다.' });
    if (body.secretkey !== customer.appSecret) return send(403, { error_code: 'EGW00105', error_description: '유효하지 않은 AppSecret입니다.' });
    this.stats.approvals++;
    const key = randomUUID();
    this.approvals.set(key, customer.appKey);
    send(200, { approval_key: key });
  }

  private customerByKey(appKey: unknown): Customer | undefined {
    return this.customers.find((c) => c.appKey === appKey);
  }

  /** One-second windows of a customer's `/uapi` calls, like the service's per-second count per app key. */
  private overRate(customer: Customer): boolean {
    const rate = this.restRatePerSecond;
    if (rate === null) return false;
    const now = this.now();
    const calls = customer.recentCalls;
    while (calls.length > 0 && now - calls[0]! >= 1000) calls.shift();
    if (calls.length >= rate) return true;
    calls.push(now);
    return false;
  }

  private checkAuth(req: IncomingMessage): { customer: Customer } | { error: Record<string, string> } {
    const customer = this.customerByKey(header(req, 'appkey'));
    if (!customer || header(req, 'appsecret') !== customer.appSecret) {
      return { error: { rt_cd: '1', msg_cd: 'EGW00103', msg1: '유효하지 않은 AppKey입니다.' } };
    }
    const token = /^Bearer (.+)$/.exec(header(req, 'authorization'))?.[1];
    if (!customer.token || token !== customer.token.token) return { error: { rt_cd: '1', msg_cd: 'EGW00121', msg1: '유효하지 않은 token 입니다.' } };
    if (customer.token.expiresAt <= this.now()) return { error: { rt_cd: '1', msg_cd: 'EGW00123', msg1: '기간이 만료된 token 입니다.' } };
    return { customer };
  }

  private accountError(customer: Customer, cano: unknown, product: unknown): Record<string, string> | null {
    if (`${String(cano)}-${String(product)}` === customer.account) return null;
    return { rt_cd: '1', msg_cd: 'OPSQ2000', msg1: 'ERROR : INPUT INVALID_CHECK_ACNO' };
  }

  /**
   * GET inquire-balance?CANO=50012345&ACNT_PRDT_CD=01&…&CTX_AREA_NK100= → `{"ctx_area_fk100":"","ctx_area_nk100":"20",
   * "output1":[{"pdno":"005930","hldg_qty":"3",…}],"output2":[{"dnca_tot_amt":"99789700",…}],"rt_cd":"0",…}` with header
   * `tr_cont: M` while more pages follow (§6.1).
   */
  private inquireBalance(customer: Customer, trId: string, url: URL, req: IncomingMessage, send: Send): void {
    if (trId !== 'TTTC8434R' && trId !== 'VTTC8434R') return send(500, { rt_cd: '1', msg_cd: 'EGW00002', msg1: `tr_id ${trId} is not inquire-balance` });
    const q = url.searchParams;
    const bad = this.accountError(customer, q.get('CANO'), q.get('ACNT_PRDT_CD'));
    if (bad) return send(200, bad);
    const continuing = header(req, 'tr_cont') === 'N';
    const offset = continuing ? Number(q.get('CTX_AREA_NK100')?.trim() || '0') : 0;
    const rows = customer.ledger.list();
    const page = rows.slice(offset, offset + this.balancePageSize);
    const next = offset + page.length;
    const more = next < rows.length;
    const reserved = this.reservedCash(customer);
    const cash = customer.ledger.cash;
    let evaluation = 0;
    const output1 = page.map((h) => {
      const last = this.engine.state(h.symbol)?.lastTrade?.price ?? this.engine.instrument(h.symbol)?.prevClose ?? 0;
      const evlu = h.qty * last;
      evaluation += evlu;
      return {
        pdno: h.symbol.slice(4), prdt_name: h.name, trad_dvsn_name: '현금', bfdy_buy_qty: '0', bfdy_sll_qty: '0',
        thdt_buyqty: String(h.boughtToday), thdt_sll_qty: String(h.soldToday), hldg_qty: String(h.qty),
        ord_psbl_qty: String(Math.max(0, h.qty - this.reservedQty(customer, h.symbol))),
        pchs_avg_pric: h.qty > 0 ? (h.purchaseAmount / h.qty).toFixed(4) : '0.0000', pchs_amt: String(h.purchaseAmount),
        prpr: String(last), evlu_amt: String(evlu), evlu_pfls_amt: String(evlu - h.purchaseAmount),
        evlu_pfls_rt: h.purchaseAmount > 0 ? (((evlu - h.purchaseAmount) / h.purchaseAmount) * 100).toFixed(2) : '0.00',
        evlu_erng_rt: '0.00000000', loan_dt: '', loan_amt: '0', stln_slng_chgs: '0', expd_dt: '', fltt_rt: '0.00000000',
        bfdy_cprs_icdc: '0', item_mgna_rt_name: '', grta_rt_name: '', sbst_pric: '0', stck_loan_unpr: '0.0000',
      };
    });
    const output2 = [{
      dnca_tot_amt: String(cash), nxdy_excc_amt: String(cash), prvs_rcdl_excc_amt: String(cash - reserved), cma_evlu_amt: '0',
      bfdy_buy_amt: '0', thdt_buy_amt: '0', nxdy_auto_rdpt_amt: '0', bfdy_sll_amt: '0', thdt_sll_amt: '0', d2_auto_rdpt_amt: '0',
      bfdy_tlex_amt: '0', thdt_tlex_amt: '0', tot_loan_amt: '0', scts_evlu_amt: String(evaluation), tot_evlu_amt: String(cash + evaluation),
      nass_amt: String(cash + evaluation), fncg_gld_auto_rdpt_yn: 'N', pchs_amt_smtl_amt: '0', evlu_amt_smtl_amt: '0',
      evlu_pfls_smtl_amt: '0', tot_stln_slng_chgs: '0', bfdy_tot_asst_evlu_amt: '0', asst_icdc_amt: '0', asst_icdc_erng_rt: '0.00000000',
    }];
    send(
      200,
      { ctx_area_fk100: q.get('CTX_AREA_FK100') ?? '', ctx_area_nk100: more ? String(next) : '', output1, output2, rt_cd: '0', msg_cd: 'KIOK0510', msg1: '조회가 완료되었습니다' },
      { tr_cont: more ? 'M' : 'D' },
    );
  }

  private reservedCash(customer: Customer): number {
    let total = 0;
    for (const o of this.engine.openOrders(customer.accountId)) if (o.side === 'buy') total += o.remainingQty * (o.price ?? 0);
    return total;
  }

  private reservedQty(customer: Customer, symbol: SymbolId): number {
    let total = 0;
    for (const o of this.engine.openOrders(customer.accountId)) if (o.side === 'sell' && o.symbol === symbol) total += o.remainingQty;
    return total;
  }

  /**
   * POST order-cash (§6.2): buy TTTC0012U/VTTC0012U, sell TTTC0011U/VTTC0011U (legacy 0802U/0801U accepted too).
   * `{"CANO":"50012345","ACNT_PRDT_CD":"01","PDNO":"005930","ORD_DVSN":"00","ORD_QTY":"10","ORD_UNPR":"70000"}` →
   * `{"rt_cd":"0","msg_cd":"APBK0013","msg1":"주문 전송 완료 되었습니다.","output":{"KRX_FWDG_ORD_ORGNO":"06590","ODNO":"0000000001","ORD_TMD":"093015"}}`
   */
  private orderCash(customer: Customer, trId: string, body: Record<string, unknown> | null, send: Send): void {
    const side: OrderSide | null = /^[TV]TTC(0012U|0802U)$/.test(trId) ? 'buy' : /^[TV]TTC(0011U|0801U)$/.test(trId) ? 'sell' : null;
    if (side === null) return send(500, { rt_cd: '1', msg_cd: 'EGW00002', msg1: `tr_id ${trId} is not order-cash` });
    if (!body) return send(200, refusal('OPSQ0001', 'ERROR : INPUT FIELD NOT FOUND'));
    const bad = this.accountError(customer, body.CANO, body.ACNT_PRDT_CD);
    if (bad) return send(200, bad);
    const code = String(body.PDNO ?? '');
    const qty = Number(body.ORD_QTY);
    const dvsn = String(body.ORD_DVSN ?? '');
    const price = Number(body.ORD_UNPR);
    if (!/^[0-9][0-9A-Z]{5}$/.test(code) || !Number.isInteger(qty) || qty <= 0 || (dvsn !== '00' && dvsn !== '01')) {
      return send(200, refusal('APBK0919', '주문 입력값을 확인해 주십시오 (PDNO, ORD_QTY, ORD_DVSN 00/01)'));
    }
    const symbol = `KRX:${code}` as SymbolId;
    const state = this.engine.state(symbol);
    if (!state) return send(200, refusal('APBK0656', '해당종목정보가 없습니다.'));
    const type = dvsn === '01' ? 'market' : 'limit';
    if (side === 'buy') {
      const unit = type === 'limit' ? price : (state.upperLimit ?? state.lastTrade?.price ?? state.instrument.prevClose);
      if (qty * unit > customer.ledger.cash - this.reservedCash(customer)) return send(200, refusal('APBK0952', '주문가능금액을 초과 했습니다'));
    } else if (qty > customer.ledger.qtyOf(symbol) - this.reservedQty(customer, symbol)) {
      return send(200, refusal('APBK0400', '주문 가능한 수량을 초과하였습니다.'));
    }
    this.placing = true;
    let order: PaperOrder;
    try {
      order = this.engine.placeOrder({ owner: customer.accountId, symbol, side, type, qty, ...(type === 'limit' ? { price } : {}) });
    } finally {
      this.placing = false;
    }
    if (order.status === 'rejected') return send(200, refusal('APBK0919', order.reason ?? '주문이 거부되었습니다'));
    send(200, {
      rt_cd: '0', msg_cd: 'APBK0013', msg1: '주문 전송 완료 되었습니다.',
      output: { KRX_FWDG_ORD_ORGNO: SIM_BRANCH, ODNO: this.kisNo(order.orderId), ORD_TMD: kstTime(order.createdTs) },
    });
  }

  /** POST order-rvsecncl with RVSE_CNCL_DVSN_CD "02" (cancel); amendments are not simulated. */
  private orderCancel(customer: Customer, trId: string, body: Record<string, unknown> | null, send: Send): void {
    if (!/^[TV]TTC(0013U|0803U)$/.test(trId)) return send(500, { rt_cd: '1', msg_cd: 'EGW00002', msg1: `tr_id ${trId} is not order-rvsecncl` });
    if (!body) return send(200, refusal('OPSQ0001', 'ERROR : INPUT FIELD NOT FOUND'));
    const bad = this.accountError(customer, body.CANO, body.ACNT_PRDT_CD);
    if (bad) return send(200, bad);
    if (body.RVSE_CNCL_DVSN_CD !== '02') return send(200, refusal('APBK0919', '정정 주문은 모의 시뮬레이터에서 지원하지 않습니다 (RVSE_CNCL_DVSN_CD 02 only)'));
    const engineId = this.engineIdOf.get(String(body.ORGN_ODNO ?? ''));
    if (engineId === undefined) return send(200, refusal('APBK0344', '원주문번호가 존재하지 않습니다.'));
    const cancelNo = this.nextOrderNo();
    this.cancelNo = cancelNo;
    try {
      this.engine.cancelOrder(customer.accountId, engineId);
    } catch (error) {
      const reason = error instanceof PaperOrderError ? error.message : String(error);
      return send(200, refusal('APBK0344', `취소할 수 없는 주문입니다: ${reason}`));
    } finally {
      this.cancelNo = null;
    }
    send(200, { rt_cd: '0', msg_cd: 'APBK0013', msg1: '주문 전송 완료 되었습니다.', output: { KRX_FWDG_ORD_ORGNO: SIM_BRANCH, ODNO: cancelNo, ORD_TMD: kstTime(this.now()) } });
  }

  /** GET inquire-psbl-rvsecncl: working orders that can still be cancelled (TTTC0084R; paper id accepted here too). */
  private openOrdersRest(customer: Customer, trId: string, url: URL, send: Send): void {
    if (trId !== 'TTTC0084R' && trId !== 'VTTC0084R') return send(500, { rt_cd: '1', msg_cd: 'EGW00002', msg1: `tr_id ${trId} is not inquire-psbl-rvsecncl` });
    const bad = this.accountError(customer, url.searchParams.get('CANO'), url.searchParams.get('ACNT_PRDT_CD'));
    if (bad) return send(200, bad);
    const output = this.engine.openOrders(customer.accountId).map((o) => ({
      ord_gno_brno: SIM_BRANCH, odno: this.kisNo(o.orderId), orgn_odno: '', ord_dvsn_name: o.type === 'market' ? '시장가' : '지정가',
      pdno: o.symbol.slice(4), prdt_name: this.engine.instrument(o.symbol)?.name ?? '', rvse_cncl_dvsn_name: '',
      ord_qty: String(o.qty), ord_unpr: String(o.price ?? 0), ord_tmd: kstTime(o.createdTs), tot_ccld_qty: String(o.filledQty),
      tot_ccld_amt: String(Math.round((o.avgFillPrice ?? 0) * o.filledQty)), psbl_qty: String(o.remainingQty),
      sll_buy_dvsn_cd: o.side === 'sell' ? '01' : '02', ord_dvsn_cd: o.type === 'market' ? '01' : '00', mgco_aptm_odno: '',
    }));
    send(200, { ctx_area_fk100: '', ctx_area_nk100: '', output, rt_cd: '0', msg_cd: 'KIOK0510', msg1: '조회가 완료되었습니다' }, { tr_cont: 'D' });
  }
}

type Send = (status: number, payload: unknown, headers?: Record<string, string>) => void;

function refusal(msgCd: string, msg1: string) {
  return { rt_cd: '1', msg_cd: msgCd, msg1 };
}

function header(req: IncomingMessage, name: string): string {
  const value = req.headers[name];
  return Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
}

/** Bodies are small JSON; anything else reads as null and gets the API's input error. */
const MAX_BODY_BYTES = 64 * 1024;


function sum(values: number[]): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}

function fixed2(n: number): string {
  return Number.isFinite(n) ? n.toFixed(2) : '0.00';
}

function randomLetters(n: number): string {
  const bytes = randomBytes(n);
  let out = '';
  for (const b of bytes) out += String.fromCharCode(0x61 + (b % 26));
  return out;
}

/** `YYYY-MM-DD HH:MM:SS` in KST, tokenP's `access_token_token_expired`. */
function formatKstDateTime(epochMs: number): string {
  const d = kstDate(epochMs);
  const t = kstTime(epochMs);
  return `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)} ${t.slice(0, 2)}:${t.slice(2, 4)}:${t.slice(4, 6)}`;
}
