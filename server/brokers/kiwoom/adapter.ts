/**
 * The Kiwoom REST API session: one WebSocket carrying quotes (0B/0D), account pushes (00/04) and condition
 * search (CNSRLST/CNSRREQ/CNSRCLR, REAL 02), plus REST through KiwoomRestClient. Implements Feed for KRX
 * quotes and offers a KiwoomAccount per account number (ka00001).
 *
 * Session rules (../shared/protocols/kiwoom-rest.md §3, §6, §9):
 *  - LOGIN is the first frame; a refusal naming 8005/8031/8103 renews the token before the next attempt.
 *  - Every server PING is echoed unchanged; a socket silent for idleTimeoutMs is presumed dead and replaced.
 *  - Registrations live per socket: after any reconnect the adapter logs in again and replays every REG group,
 *    the account REG, CNSRLST and every live CNSRREQ (CNSRLST must precede CNSRREQ on the same socket).
 *  - Reconnects use jittered exponential backoff; after one, balances are reconciled over REST.
 *
 * Condition search is not routed by the relay yet; it is exposed as listConditions / runCondition /
 * startLiveCondition / stopLiveCondition, with live hits published through `sink.condition` under
 * `conditionKey: 'kiwoom:<id>'` (the relay's `cond:kiwoom:<id>` room).
 */
import WebSocket from 'ws';
import type { ConditionHit, FeedState, Market, SymbolId } from '../../../lib/contracts';
import type { Logger } from '../../logger';
import { FeedError, type Feed, type FeedSink } from '../../relay/feed';
import { KiwoomAccount } from './account';
import {
  codeFromSymbol,
  decodeServerFrame,
  encodeClientFrame,
  KiwoomCodecError,
  magnitude,
  signedNumber,
  symbolFromCode,
  type ClientFrame,
  type RealItem,
  type ServerFrame,
} from './codec';
import { balanceFromReal, conditionFromReal, hogaFromReal, orderFromReal, REAL_TYPE, tickFromReal } from './normalize';
import { KiwoomRestClient } from './rest-client';
import { KiwoomApiError, parseAccountNumbers, TOKEN_RENEW_CODES } from './rest-codec';
import { TokenManager } from './token';

export const WS_PATH = '/api/dostk/websocket';
/** Items per REG group; BREAD's cap of 100 (§3.4, UNCONFIRMED officially). */
export const GROUP_ITEM_LIMIT = 100;
/** Quote items across groups; the broker publishes no number, so two full groups. Configurable. */
export const MAX_SYMBOLS = 200;
/** Live condition searches per login: BREAD quotes 10 (§6, UNCONFIRMED). */
export const LIVE_CONDITION_LIMIT = 10;
/** The REG group for account pushes (00/04), far from the quote groups 1, 2, …; grp_no has ≤ 4 characters. */
export const ACCOUNT_GROUP = '9999';
/** First reconnect delay: a dropped socket usually comes back at once. */
export const RECONNECT_BASE_DELAY_MS = 500;
/** Cap: a broker down for minutes is retried twice a minute, not hammered. */
export const RECONNECT_MAX_DELAY_MS = 30_000;
/** Acks, CNSRLST and CNSRREQ answers normally take milliseconds; 10 s means the broker is not answering. */
export const REQUEST_TIMEOUT_MS = 10_000;
/** PINGs come every 10–20 s (§3.2); nothing for 60 s means the socket is dead even if TCP has not noticed. */
export const IDLE_TIMEOUT_MS = 60_000;
/** Pages of one-shot condition results we follow (cont_yn=Y). */
const MAX_CONDITION_PAGES = 20;
/** Quote types registered per symbol. */
const QUOTE_TYPES = [REAL_TYPE.trade, REAL_TYPE.book];
/** Login failures that mean the token is stale (§3.1). */
const TOKEN_CODE_IN_TEXT = /CODE=(8005|8031|8103)/;
/** au10001 answers that will not change by retrying: wrong keys, wrong environment. */
const CREDENTIAL_CODES = new Set([8001, 8002, 8020, 8030]);

export interface KiwoomAdapterOptions {
  restUrl: string;
  /** `ws://` or `wss://`; the path `/api/dostk/websocket` is added when the URL has none. */
  wsUrl: string;
  appKey: string;
  secretKey: string;
  logger: Logger;
  /** Which symbols exist: the engine's list against the simulator; any KRX code against the real broker. */
  knows?: (symbol: SymbolId) => boolean;
  /** Instrument names for condition events (REAL 02 carries none). */
  nameOf?: (symbol: SymbolId) => string | null;
  /** Real money: orders need allowRealOrders. */
  realMoney?: boolean;
  allowRealOrders?: boolean;
  maxSymbols?: number;
  groupItemLimit?: number;
  liveConditionLimit?: number;
  reconnectBaseDelayMs?: number;
  reconnectMaxDelayMs?: number;
  requestTimeoutMs?: number;
  idleTimeoutMs?: number;
  /** REST paging delay; tests shorten it. */
  pageDelayMs?: number;
  rateLimitBackoffMs?: number;
  now?: () => number;
  /** Renew the token this long before expiry (default 600 s). */
  renewBeforeMs?: number;
}

export interface ConditionInfo {
  id: string;
  name: string;
}

/** A one-shot condition hit, as the relay and the API carry it. */
export type { ConditionHit };

interface Waiter {
  resolve: (frame: ServerFrame | null) => void;
  timer: ReturnType<typeof setTimeout>;
}

interface LiveCondition {
  members: Set<SymbolId>;
}

export class KiwoomAdapter implements Feed {
  readonly id = 'kiwoom' as const;
  readonly markets: readonly Market[] = ['KRX'];
  readonly tokens: TokenManager;
  readonly rest: KiwoomRestClient;
  private readonly logger: Logger;
  private sink: FeedSink | null = null;
  private current: FeedState = 'connecting';
  private ws: WebSocket | null = null;
  private loggedIn = false;
  private listedOnSocket = false;
  private stopping = false;
  private attempt = 0;
  private connectedOnce = false;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private idleTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly waiters = new Map<string, Waiter[]>();
  private readonly loginWaiters: Array<() => void> = [];
  /** symbol → grp_no. */
  private readonly desired = new Map<SymbolId, string>();
  private readonly live = new Map<string, LiveCondition>();
  private readonly names = new Map<SymbolId, string>();
  private readonly conditionNames = new Map<string, string>();
  private accountsList: KiwoomAccount[] = [];
  private readonly options: Required<Pick<KiwoomAdapterOptions,
    'maxSymbols' | 'groupItemLimit' | 'liveConditionLimit' | 'reconnectBaseDelayMs' | 'reconnectMaxDelayMs' | 'requestTimeoutMs' | 'idleTimeoutMs'>>;
  /** Counters for tests, health and the benchmark. */
  readonly stats = { frames: 0, badFrames: 0, skippedItems: 0, logins: 0, reconnects: 0 };

  constructor(private readonly config: KiwoomAdapterOptions) {
    this.logger = config.logger;
    this.options = {
      maxSymbols: config.maxSymbols ?? MAX_SYMBOLS,
      groupItemLimit: config.groupItemLimit ?? GROUP_ITEM_LIMIT,
      liveConditionLimit: config.liveConditionLimit ?? LIVE_CONDITION_LIMIT,
      reconnectBaseDelayMs: config.reconnectBaseDelayMs ?? RECONNECT_BASE_DELAY_MS,
      reconnectMaxDelayMs: config.reconnectMaxDelayMs ?? RECONNECT_MAX_DELAY_MS,
      requestTimeoutMs: config.requestTimeoutMs ?? REQUEST_TIMEOUT_MS,
      idleTimeoutMs: config.idleTimeoutMs ?? IDLE_TIMEOUT_MS,
    };
    this.tokens = new TokenManager({
      restUrl: config.restUrl,
      appKey: config.appKey,
      secretKey: config.secretKey,
      logger: config.logger,
      ...(config.now ? { now: config.now } : {}),
      ...(config.renewBeforeMs !== undefined ? { renewBeforeMs: config.renewBeforeMs } : {}),
    });
    this.rest = new KiwoomRestClient({
      restUrl: config.restUrl,
      tokens: this.tokens,
      logger: config.logger,
      ...(config.pageDelayMs !== undefined ? { pageDelayMs: config.pageDelayMs } : {}),
      ...(config.rateLimitBackoffMs !== undefined ? { rateLimitBackoffMs: config.rateLimitBackoffMs } : {}),
    });
  }

  // ---- Feed ---------------------------------------------------------------------------------------------

  /**
   * Finds the token's accounts (ka00001) and makes an AccountSession for each. Call before start() when the
   * caller needs the account list up front; failures leave the list empty and are thrown to the caller.
   */
  async discoverAccounts(): Promise<KiwoomAccount[]> {
    const body = await this.rest.call('ka00001', {});
    const numbers = parseAccountNumbers(body);
    this.accountsList = numbers.map(
      (no) => new KiwoomAccount(no, this.rest, { realMoney: this.config.realMoney ?? false, allowRealOrders: this.config.allowRealOrders ?? false }),
    );
    return this.accountsList;
  }

  get accounts(): readonly KiwoomAccount[] {
    return this.accountsList;
  }

  async start(sink: FeedSink): Promise<void> {
    this.sink = sink;
    this.stopping = false;
    this.setState('connecting', 'logging in to Kiwoom');
    void this.connect();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    this.clearIdle();
    const ws = this.ws;
    this.ws = null;
    this.dropSocketState();
    if (ws && ws.readyState !== WebSocket.CLOSED) {
      await new Promise<void>((resolve) => {
        ws.once('close', () => resolve());
        ws.close(1000, 'shutting down');
        // A peer that never completes the close handshake must not hold shutdown up.
        setTimeout(() => {
          ws.terminate();
          resolve();
        }, 1_000).unref();
      });
    }
    await this.tokens.close();
    this.current = 'down';
  }

  state(): FeedState {
    return this.current;
  }

  knows(symbol: SymbolId): boolean {
    if (this.config.knows) return this.config.knows(symbol);
    return codeFromSymbol(symbol) !== null;
  }

  async subscribe(symbol: SymbolId): Promise<void> {
    if (!this.knows(symbol)) throw new FeedError('UNKNOWN_SYMBOL', `Kiwoom does not list ${symbol}`);
    if (this.desired.has(symbol)) return;
    if (this.desired.size >= this.options.maxSymbols) {
      throw new FeedError('LIMIT_REACHED', `Kiwoom real-time registrations are full (${this.options.maxSymbols} symbols); close a chart first`);
    }
    const group = this.groupFor();
    this.desired.set(symbol, group);
    if (!this.loggedIn) return;
    const ack = await this.request({ trnm: 'REG', grp_no: group, refresh: '1', data: [{ item: [codeFromSymbol(symbol)!], type: QUOTE_TYPES }] }, 'REG');
    if (ack && ack.trnm === 'REG' && ack.return_code !== 0) {
      this.desired.delete(symbol);
      const code = /초과|최대|limit/i.test(ack.return_msg) ? 'LIMIT_REACHED' : /종목코드|code/i.test(ack.return_msg) ? 'UNKNOWN_SYMBOL' : 'LIMIT_REACHED';
      throw new FeedError(code, `Kiwoom refused ${symbol}: ${ack.return_msg || `return_code ${ack.return_code}`}`);
    }
  }

  async unsubscribe(symbol: SymbolId): Promise<void> {
    const group = this.desired.get(symbol);
    if (group === undefined) return;
    this.desired.delete(symbol);
    if (!this.loggedIn) return;
    await this.request({ trnm: 'REMOVE', grp_no: group, refresh: '1', data: [{ item: [codeFromSymbol(symbol)!], type: QUOTE_TYPES }] }, 'REMOVE');
  }

  /** Symbols in the desired set, for tests and health. */
  subscriptions(): SymbolId[] {
    return [...this.desired.keys()];
  }

  // ---- condition search ---------------------------------------------------------------------------------

  /** The user's saved conditions (CNSRLST). */
  async listConditions(): Promise<ConditionInfo[]> {
    await this.whenLoggedIn();
    const frame = await this.request({ trnm: 'CNSRLST' }, 'CNSRLST');
    if (!frame || frame.trnm !== 'CNSRLST') throw new FeedError('UPSTREAM_UNAVAILABLE', 'Kiwoom did not answer the condition list (CNSRLST)');
    if (frame.return_code !== 0) throw new FeedError('UPSTREAM_UNAVAILABLE', `Kiwoom refused the condition list: ${frame.return_msg}`);
    this.listedOnSocket = true;
    for (const [id, name] of frame.data) this.conditionNames.set(id, name);
    return frame.data.map(([id, name]) => ({ id, name }));
  }

  /** Runs a condition once (CNSRREQ search_type 0): the hits now, with names and prices. */
  async runCondition(id: string): Promise<ConditionHit[]> {
    await this.ensureListed();
    const hits: ConditionHit[] = [];
    let nextKey = '';
    for (let page = 0; page < MAX_CONDITION_PAGES; page++) {
      const frame = await this.request(
        { trnm: 'CNSRREQ', seq: id, search_type: '0', stex_tp: 'K', cont_yn: page === 0 ? 'N' : 'Y', next_key: nextKey },
        `CNSRREQ`,
      );
      if (!frame || frame.trnm !== 'CNSRREQ') throw new FeedError('UPSTREAM_UNAVAILABLE', `Kiwoom did not answer condition ${id}`);
      if (frame.return_code !== 0) throw new FeedError('NOT_FOUND', `Kiwoom refused condition ${id}: ${frame.return_msg}`);
      for (const row of frame.data) {
        const hit = conditionHitFromRow(row);
        if (!hit) continue;
        if (hit.name) this.names.set(hit.symbol, hit.name);
        hits.push(hit);
      }
      if (frame.cont_yn !== 'Y' || !frame.next_key) break;
      nextKey = frame.next_key;
    }
    return hits;
  }

  /**
   * Starts live alerts for a condition (CNSRREQ search_type 1). Resolves with the current hits; inserts and
   * deletes then flow to `sink.condition` under `kiwoom:<id>`, and resume after reconnects.
   * @throws FeedError LIMIT_REACHED past the broker's live-condition limit; NOT_FOUND for an unknown condition.
   */
  async startLiveCondition(id: string): Promise<{ conditionKey: string; symbols: SymbolId[] }> {
    const conditionKey = `kiwoom:${id}`;
    const existing = this.live.get(id);
    if (existing) return { conditionKey, symbols: [...existing.members] };
    if (this.live.size >= this.options.liveConditionLimit) {
      throw new FeedError(
        'LIMIT_REACHED',
        `Kiwoom runs at most ${this.options.liveConditionLimit} live condition searches at once (${[...this.live.keys()].join(', ')} are live); stop one first`,
      );
    }
    const entry: LiveCondition = { members: new Set() };
    this.live.set(id, entry);
    try {
      await this.sendLive(id);
    } catch (error) {
      this.live.delete(id);
      throw error;
    }
    return { conditionKey, symbols: [...entry.members] };
  }

  /** Stops live alerts (CNSRCLR). Unknown ids are a no-op. */
  async stopLiveCondition(id: string): Promise<void> {
    if (!this.live.delete(id)) return;
    if (!this.loggedIn) return;
    const frame = await this.request({ trnm: 'CNSRCLR', seq: id }, 'CNSRCLR');
    if (frame && frame.trnm === 'CNSRCLR' && frame.return_code !== 0) {
      this.logger.warn({ id, msg: frame.return_msg }, 'kiwoom: CNSRCLR refused');
    }
  }

  liveConditions(): string[] {
    return [...this.live.keys()];
  }

  private async ensureListed(): Promise<void> {
    await this.whenLoggedIn();
    if (!this.listedOnSocket) await this.listConditions();
  }

  private async sendLive(id: string): Promise<void> {
    if (!this.loggedIn) return; // replayed on login
    await this.ensureListed();
    const frame = await this.request({ trnm: 'CNSRREQ', seq: id, search_type: '1', stex_tp: 'K' }, 'CNSRREQ');
    if (!frame || frame.trnm !== 'CNSRREQ') return; // no answer: kept, replayed after the next reconnect
    if (frame.return_code !== 0) {
      const code = /최대|limit|초과/i.test(frame.return_msg) ? 'LIMIT_REACHED' : 'NOT_FOUND';
      throw new FeedError(code, `Kiwoom refused live condition ${id}: ${frame.return_msg || `return_code ${frame.return_code}`}`);
    }
    const entry = this.live.get(id);
    if (!entry) return;
    const now = Date.now();
    const current = new Set<SymbolId>();
    for (const row of frame.data) {
      const symbol = symbolFromCode(row.jmcode ?? row['9001']);
      if (symbol) current.add(symbol);
    }
    // After a reconnect the initial list is the truth: report what changed while we were away.
    for (const symbol of entry.members) if (!current.has(symbol)) this.emitCondition(id, symbol, 'delete', now);
    for (const symbol of current) if (!entry.members.has(symbol)) this.emitCondition(id, symbol, 'insert', now);
  }

  private emitCondition(id: string, symbol: SymbolId, action: 'insert' | 'delete', ts: number): void {
    const entry = this.live.get(id);
    if (!entry) return;
    if (action === 'insert') entry.members.add(symbol);
    else entry.members.delete(symbol);
    this.sink?.condition({ conditionKey: `kiwoom:${id}`, symbol, action, name: this.nameOf(symbol), source: 'kiwoom', ts, recvTs: Date.now() });
  }

  private nameOf(symbol: SymbolId): string | null {
    return this.names.get(symbol) ?? this.config.nameOf?.(symbol) ?? null;
  }

  // ---- socket -------------------------------------------------------------------------------------------

  private wsUrl(): string {
    const url = new URL(this.config.wsUrl);
    if (url.pathname === '/' || url.pathname === '') url.pathname = WS_PATH;
    return url.toString();
  }

  private async connect(): Promise<void> {
    if (this.stopping) return;
    let token: string;
    try {
      token = await this.tokens.get();
    } catch (error) {
      const hard = error instanceof KiwoomApiError && CREDENTIAL_CODES.has(error.returnCode);
      this.scheduleReconnect(
        hard ? `Kiwoom refused the app key and secret: ${error.message}` : `could not get a Kiwoom token: ${describe(error)}`,
        hard ? 'down' : 'reconnecting',
      );
      return;
    }
    if (this.stopping) return;
    const ws = new WebSocket(this.wsUrl(), { handshakeTimeout: this.options.requestTimeoutMs });
    this.ws = ws;
    let closedReason = 'the Kiwoom socket closed';
    ws.on('open', () => {
      this.touch();
      this.send({ trnm: 'LOGIN', token });
    });
    ws.on('message', (data, isBinary) => {
      if (ws !== this.ws) return;
      this.touch();
      if (isBinary) {
        this.stats.badFrames++;
        return;
      }
      const reason = this.handleText(data.toString());
      if (reason) closedReason = reason;
    });
    ws.on('error', (error) => {
      closedReason = `Kiwoom socket error: ${error.message}`;
    });
    ws.on('close', (code, reason) => {
      if (ws !== this.ws) return;
      this.ws = null;
      this.dropSocketState();
      this.clearIdle();
      if (this.stopping) return;
      const why = reason.length > 0 ? `${closedReason} (${code} ${reason.toString()})` : `${closedReason} (${code})`;
      this.scheduleReconnect(why, 'reconnecting');
    });
  }

  /** Returns a reason to report if the broker is about to close the socket. */
  private handleText(text: string): string | null {
    this.stats.frames++;
    let frame: ServerFrame;
    try {
      frame = decodeServerFrame(text);
    } catch (error) {
      this.stats.badFrames++;
      if (error instanceof KiwoomCodecError) this.logger.warn({ err: error.message, frame: error.frame }, 'kiwoom: bad frame skipped');
      return null;
    }
    switch (frame.trnm) {
      case 'PING':
        // `{"trnm":"PING"}` → the same text back, unchanged (§3.2).
        this.send({ trnm: 'PING', text: frame.text });
        return null;
      case 'LOGIN':
        // `{"trnm":"LOGIN","return_code":0,"return_msg":"","sor_yn":"Y"}`
        return this.onLogin(frame);
      case 'SYSTEM':
        // `{"trnm":"SYSTEM","code":"R10002","message":"…Heartbeat…"}` precedes a close.
        this.logger.warn({ code: frame.code, message: frame.message }, 'kiwoom: SYSTEM message');
        return `Kiwoom: ${frame.code} ${frame.message}`.trim();
      case 'REAL':
        // `{"trnm":"REAL","data":[{"type":"0B","item":"005930","values":{…}}, …]}` — several items, mixed types.
        for (const item of frame.data) this.dispatch(item);
        return null;
      default:
        // REG/REMOVE acks `{"trnm":"REG","return_code":0,"return_msg":""}`, CNSRLST/CNSRREQ/CNSRCLR answers.
        this.resolveWaiter(frame);
        return null;
    }
  }

  private onLogin(frame: Extract<ServerFrame, { trnm: 'LOGIN' }>): string | null {
    if (frame.return_code !== 0) {
      const stale = TOKEN_RENEW_CODES.has(frame.return_code) || TOKEN_CODE_IN_TEXT.test(frame.return_msg);
      if (stale) void this.tokens.renew().catch(() => undefined);
      const reason = `Kiwoom refused LOGIN: ${frame.return_msg || `return_code ${frame.return_code}`}`;
      this.ws?.close(1000, 'login refused');
      return reason;
    }
    this.loggedIn = true;
    this.listedOnSocket = false;
    this.stats.logins++;
    this.attempt = 0;
    const resumed = this.connectedOnce;
    this.connectedOnce = true;
    this.setState('connected', `logged in; ${this.desired.size} symbols, ${this.live.size} live conditions`);
    for (const resolve of this.loginWaiters.splice(0)) resolve();
    void this.replay(resumed);
    return null;
  }

  /** Re-sends every registration and live condition on a fresh socket; reconciles balances after a reconnect. */
  private async replay(resumed: boolean): Promise<void> {
    const byGroup = new Map<string, string[]>();
    for (const [symbol, group] of this.desired) {
      const codes = byGroup.get(group) ?? [];
      codes.push(codeFromSymbol(symbol)!);
      byGroup.set(group, codes);
    }
    const sends: Array<Promise<unknown>> = [];
    if (this.accountsList.length > 0) {
      // Account pushes register with an empty item and fire for the token's account (§3.4).
      sends.push(this.request({ trnm: 'REG', grp_no: ACCOUNT_GROUP, refresh: '1', data: [{ item: [''], type: [REAL_TYPE.order, REAL_TYPE.balance] }] }, 'REG'));
    }
    for (const [group, codes] of byGroup) {
      sends.push(this.request({ trnm: 'REG', grp_no: group, refresh: '0', data: [{ item: codes, type: QUOTE_TYPES }] }, 'REG'));
    }
    for (const id of this.live.keys()) {
      sends.push(this.sendLive(id).catch((error: unknown) => this.logger.warn({ id, err: describe(error) }, 'kiwoom: live condition not resumed')));
    }
    await Promise.all(sends);
    if (resumed) await this.reconcile();
  }

  /** After a reconnect, pushes may have been missed: publish a full balance per account from REST. */
  private async reconcile(): Promise<void> {
    for (const account of this.accountsList) {
      try {
        const snapshot = await account.balance();
        this.sink?.balance(snapshot);
      } catch (error) {
        this.logger.warn({ account: account.accountId, err: describe(error) }, 'kiwoom: balance reconcile failed');
      }
    }
  }

  private dispatch(item: RealItem): void {
    const sink = this.sink;
    if (!sink) return;
    const recvTs = Date.now();
    try {
      switch (item.type) {
        case REAL_TYPE.trade: {
          const tick = tickFromReal(item, recvTs);
          if (tick && this.desired.has(tick.symbol)) sink.tick(tick);
          else if (!tick) this.stats.skippedItems++;
          return;
        }
        case REAL_TYPE.book: {
          const hoga = hogaFromReal(item, recvTs);
          if (hoga && this.desired.has(hoga.symbol)) sink.hoga(hoga);
          else if (!hoga) this.stats.skippedItems++;
          return;
        }
        case REAL_TYPE.order: {
          const order = orderFromReal(item, recvTs);
          if (order) sink.order(order);
          else {
            this.stats.skippedItems++;
            this.logger.error({ values: item.values }, 'kiwoom: unreadable 00 (order) item');
          }
          return;
        }
        case REAL_TYPE.balance: {
          const balance = balanceFromReal(item, recvTs);
          if (balance) sink.balance(balance);
          else {
            this.stats.skippedItems++;
            this.logger.error({ values: item.values }, 'kiwoom: unreadable 04 (balance) item');
          }
          return;
        }
        case REAL_TYPE.condition: {
          const event = conditionFromReal(item, recvTs, (s) => this.nameOf(s as SymbolId));
          if (!event) {
            this.stats.skippedItems++;
            return;
          }
          const id = event.conditionKey.slice('kiwoom:'.length);
          const entry = this.live.get(id);
          if (!entry) return; // a late alert for a condition we stopped
          if (event.action === 'insert') entry.members.add(event.symbol);
          else entry.members.delete(event.symbol);
          sink.condition(event);
          return;
        }
        default:
          this.stats.skippedItems++;
      }
    } catch (error) {
      // A sink that throws must not take the socket down with it.
      this.stats.skippedItems++;
      this.logger.error({ err: describe(error), type: item.type }, 'kiwoom: REAL item handling failed');
    }
  }

  private send(frame: ClientFrame): boolean {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) return false;
    ws.send(encodeClientFrame(frame));
    return true;
  }

  /** Sends a frame and waits for the answer with the same trnm (FIFO); null on timeout or a closed socket. */
  private request(frame: ClientFrame, answer: string): Promise<ServerFrame | null> {
    return new Promise((resolve) => {
      if (!this.send(frame)) {
        resolve(null);
        return;
      }
      const queue = this.waiters.get(answer) ?? [];
      const waiter: Waiter = {
        resolve,
        timer: setTimeout(() => {
          const i = queue.indexOf(waiter);
          if (i >= 0) queue.splice(i, 1);
          resolve(null);
        }, this.options.requestTimeoutMs),
      };
      queue.push(waiter);
      this.waiters.set(answer, queue);
    });
  }

  private resolveWaiter(frame: ServerFrame): void {
    const waiter = this.waiters.get(frame.trnm)?.shift();
    if (!waiter) {
      this.logger.debug({ trnm: frame.trnm }, 'kiwoom: unsolicited answer');
      return;
    }
    clearTimeout(waiter.timer);
    waiter.resolve(frame);
  }

  private whenLoggedIn(): Promise<void> {
    if (this.loggedIn) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const i = this.loginWaiters.indexOf(done);
        if (i >= 0) this.loginWaiters.splice(i, 1);
        reject(new FeedError('UPSTREAM_UNAVAILABLE', `Kiwoom is not connected (${this.current})`));
      }, this.options.requestTimeoutMs);
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      this.loginWaiters.push(done);
    });
  }

  private dropSocketState(): void {
    this.loggedIn = false;
    this.listedOnSocket = false;
    for (const queue of this.waiters.values()) {
      for (const waiter of queue.splice(0)) {
        clearTimeout(waiter.timer);
        waiter.resolve(null);
      }
    }
  }

  private scheduleReconnect(detail: string, state: 'reconnecting' | 'down'): void {
    if (this.stopping || this.reconnectTimer) return;
    this.setState(state, detail);
    const ceiling = Math.min(this.options.reconnectMaxDelayMs, this.options.reconnectBaseDelayMs * 2 ** this.attempt);
    // Full jitter: many Sise nodes (or restarts) never reconnect in lockstep.
    const delay = state === 'down' ? this.options.reconnectMaxDelayMs : ceiling / 2 + (Math.random() * ceiling) / 2;
    this.attempt++;
    this.stats.reconnects++;
    this.logger.warn({ detail, delayMs: Math.round(delay) }, 'kiwoom: reconnecting');
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      void this.connect();
    }, delay);
    this.reconnectTimer.unref();
  }

  /** Any frame proves the socket alive; silence past idleTimeoutMs replaces it. */
  private touch(): void {
    this.clearIdle();
    this.idleTimer = setTimeout(() => {
      this.logger.warn('kiwoom: no frames; replacing the socket');
      this.ws?.terminate();
    }, this.options.idleTimeoutMs);
    this.idleTimer.unref();
  }

  private clearIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }

  private groupFor(): string {
    const counts = new Map<string, number>();
    for (const group of this.desired.values()) counts.set(group, (counts.get(group) ?? 0) + 1);
    for (let n = 1; ; n++) {
      const group = String(n);
      if ((counts.get(group) ?? 0) < this.options.groupItemLimit) return group;
    }
  }

  private setState(state: FeedState, detail: string | null): void {
    this.current = state;
    this.sink?.state(this.id, state, detail);
  }
}

/** A ka10172 row → hit. Row: `{"9001":"A005930","302":"삼성전자","10":"000075000","11":"-00000100","12":"-00000130","13":"010386116",…}` */
export function conditionHitFromRow(row: Record<string, string>): ConditionHit | null {
  const symbol = symbolFromCode(row['9001'] ?? row.jmcode);
  const price = magnitude(row['10']);
  if (!symbol || price === null) return null;
  const rateHundredths = signedNumber(row['12']) ?? 0;
  return {
    symbol,
    name: row['302']?.trim() ?? '',
    price,
    change: signedNumber(row['11']) ?? 0,
    // FID 12 in ka10172 carries two implied decimals (§5.6): "-00000130" → −1.30 %.
    changeRate: rateHundredths / 100,
    volume: magnitude(row['13']) ?? 0,
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
