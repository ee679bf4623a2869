/**
 * The live KIS session (protocols/kis.md §2–§4): one WebSocket per app key, registrations counted against the
 * 41 limit, PINGPONG echoed, every batched record decoded, execution notices decrypted and followed by a REST
 * balance refresh, and reconnection with jittered exponential backoff that re-registers everything active.
 */
import WebSocket from 'ws';
import type { FeedState, Market, SymbolId } from '../../../lib/contracts';
import { codeOf, parseSymbol } from '../../../lib/contracts';
import type { Logger } from '../../logger';
import { FeedError, type Feed, type FeedSink } from '../../relay/feed';
import { KisAccountSession } from './account';
import {
  decodeData,
  encodeSubscribeRequest,
  KisCodecError,
  MSG,
  parseServerMessage,
  type KisAck,
  type KisCipherKey,
  type KisDataEnvelope,
  type KisTrType,
} from './codec';
import { isNoticeTr, TR_HOGA, TR_NOTICE, TR_NOTICE_PAPER, TR_TICK } from './layouts';
import { hogaOf, noticeOf, tickOf } from './normalize';
import { KisOrderTracker } from './order-tracker';
import type { KisRestClient } from './rest-client';

/** KIS's registration limit per session (§3.1): 체결가, 호가 and 체결통보 together; each (tr_id, tr_key) is one. */
export const KIS_MAX_REGISTRATIONS = 41;
/** A stock shown through KIS takes two registrations: trades (H0STCNT0) and the book (H0STASP0). */
export const REGISTRATIONS_PER_SYMBOL = 2;
/** First reconnect delay; doubled per failed attempt. */
export const RECONNECT_BASE_DELAY_MS = 1_000;
/**
 * Cap of the backoff. KIS locks an app key after connect loops and a slot can stay taken after an unclean close
 * (§7.7): a minute between attempts keeps a long outage from looking like a loop.
 */
export const RECONNECT_MAX_DELAY_MS = 60_000;
/** After OPSP8996 (app key already in use) the old session needs tens of seconds to clear (§7.7). */
export const APPKEY_IN_USE_DELAY_MS = 30_000;
/** How long subscribe() waits for the ack before trusting the registration (it stays desired either way). */
export const ACK_TIMEOUT_MS = 5_000;
/**
 * No frame at all (not even PINGPONG) for this long means the session is dead without a close; third parties use
 * 60–180 s watchdogs against KIS's unconfirmed PINGPONG interval (§3.5).
 */
export const SILENCE_TIMEOUT_MS = 120_000;
/** How often silence is checked within SILENCE_TIMEOUT_MS: a dead session is noticed within a quarter more. */
const SILENCE_CHECKS_PER_TIMEOUT = 4;
/** An approval key is valid 24 h (§2.2); re-issue well inside that, and whenever the service calls it invalid. */
export const APPROVAL_REUSE_MS = 12 * 3_600_000;
/** A failed balance refresh after a fill is retried: the balance event must not be lost. */
export const BALANCE_RETRY_DELAY_MS = 2_000;
export const BALANCE_MAX_ATTEMPTS = 5;

export interface KisTiming {
  reconnectBaseMs: number;
  reconnectMaxMs: number;
  appKeyInUseMs: number;
  ackTimeoutMs: number;
  silenceTimeoutMs: number;
  balanceRetryMs: number;
}

export interface KisFeedOptions {
  rest: KisRestClient;
  wsUrl: string;
  /** `50012345-01`; null: quotes only. */
  account: string | null;
  /** The HTS ID under which notices are registered; null: no notices (and no order events). */
  htsId: string | null;
  /** 모의투자: notices on H0STCNI9 and V-prefixed REST tr_ids. */
  paper: boolean;
  /** Whether orders may be placed (paper, or ALLOW_REAL_ORDERS=true). */
  ordersAllowed: boolean;
  logger: Logger;
  /** The instrument list, when known (the simulator's engine); otherwise any well-formed KRX code. */
  knows?: (symbol: SymbolId) => boolean;
  maxRegistrations?: number;
  timing?: Partial<KisTiming>;
  now?: () => number;
  random?: () => number;
}

interface AckWaiter {
  resolve: (ack: KisAck | null) => void;
  timer: ReturnType<typeof setTimeout>;
}

/** Why a session ended, for the next delay and the state detail. */
type DropReason = { kind: 'closed'; detail: string } | { kind: 'appkey-in-use' } | { kind: 'auth'; detail: string };

const key = (trId: string, trKey: string) => `${trId}|${trKey}`;

export class KisFeed implements Feed {
  readonly id = 'kis' as const;
  readonly markets: readonly Market[] = ['KRX'];
  readonly accounts: KisAccountSession[];
  /** Counters for tests and health: records delivered and records or frames that could not be read. */
  readonly stats = { frames: 0, records: 0, badFrames: 0, badRecords: 0, sessions: 0, pingpongs: 0 };

  private readonly timing: KisTiming;
  private readonly maxRegistrations: number;
  private readonly noticeTr: string;
  private readonly tracker = new KisOrderTracker();
  private readonly desired = new Set<SymbolId>();
  private readonly ciphers = new Map<string, KisCipherKey>();
  private readonly waiters = new Map<string, AckWaiter[]>();
  private readonly now: () => number;
  private readonly random: () => number;
  private sink: FeedSink | null = null;
  private ws: WebSocket | null = null;
  private open = false;
  private stopped = false;
  private current: FeedState = 'connecting';
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private silenceTimer: ReturnType<typeof setInterval> | null = null;
  private lastFrameAt = 0;
  private dropReason: DropReason | null = null;
  private approval: { key: string; at: number } | null = null;
  private balanceRunning = false;
  private balanceDirty = false;

  constructor(private readonly options: KisFeedOptions) {
    this.timing = {
      reconnectBaseMs: RECONNECT_BASE_DELAY_MS,
      reconnectMaxMs: RECONNECT_MAX_DELAY_MS,
      appKeyInUseMs: APPKEY_IN_USE_DELAY_MS,
      ackTimeoutMs: ACK_TIMEOUT_MS,
      silenceTimeoutMs: SILENCE_TIMEOUT_MS,
      balanceRetryMs: BALANCE_RETRY_DELAY_MS,
      ...options.timing,
    };
    this.maxRegistrations = options.maxRegistrations ?? KIS_MAX_REGISTRATIONS;
    this.noticeTr = options.paper ? TR_NOTICE_PAPER : TR_NOTICE;
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.accounts = options.account
      ? [new KisAccountSession({ rest: options.rest, account: options.account, paper: options.paper, ordersAllowed: options.ordersAllowed, now: this.now })]
      : [];
  }

  async start(sink: FeedSink): Promise<void> {
    this.sink = sink;
    this.stopped = false;
    this.setState('connecting', 'signing in to KIS');
    void this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.clearSilence();
    const ws = this.ws;
    this.ws = null;
    this.open = false;
    for (const list of this.waiters.values()) for (const w of list) { clearTimeout(w.timer); w.resolve(null); }
    this.waiters.clear();
    if (ws && ws.readyState !== WebSocket.CLOSED) {
      await new Promise<void>((resolve) => {
        ws.once('close', () => resolve());
        ws.close();
        // A server that never answers the close handshake does not hold shutdown up.
        setTimeout(() => { ws.terminate(); resolve(); }, 1_000).unref();
      });
    }
    this.setState('down', 'stopped');
  }

  state(): FeedState {
    return this.current;
  }

  knows(symbol: SymbolId): boolean {
    const parsed = parseSymbol(symbol);
    if (!parsed.ok || parsed.value.market !== 'KRX') return false;
    return this.options.knows ? this.options.knows(symbol) : true;
  }

  /** Registrations in use: two per stock, plus the notice registration when there is an account. */
  registrationsInUse(): number {
    return this.desired.size * REGISTRATIONS_PER_SYMBOL + (this.wantsNotices() ? 1 : 0);
  }

  async subscribe(symbol: SymbolId): Promise<void> {
    if (!this.knows(symbol)) throw new FeedError('UNKNOWN_SYMBOL', `KIS does not list ${symbol}`);
    if (this.desired.has(symbol)) return;
    if (this.registrationsInUse() + REGISTRATIONS_PER_SYMBOL > this.maxRegistrations) {
      throw new FeedError('LIMIT_REACHED', this.limitMessage(symbol));
    }
    this.desired.add(symbol);
    if (!this.open) return; // registered as soon as the session is (back) up
    const code = codeOf(symbol);
    const acks = await Promise.all([this.register(TR_TICK, code), this.register(TR_HOGA, code)]);
    const refusal = acks.find((ack) => ack !== null && ack.rtCd !== '0' && ack.msgCd !== 'OPSP0002');
    if (!refusal) return;
    // One side refused: release the other, so a half-served symbol does not hold a registration.
    this.desired.delete(symbol);
    if (this.open) {
      for (const [i, trId] of [TR_TICK, TR_HOGA].entries()) if (acks[i]?.rtCd === '0') this.send(trId, code, '2');
    }
    throw this.refusalError(symbol, refusal);
  }

  async unsubscribe(symbol: SymbolId): Promise<void> {
    if (!this.desired.delete(symbol)) return;
    if (!this.open) return;
    const code = codeOf(symbol);
    this.send(TR_TICK, code, '2');
    this.send(TR_HOGA, code, '2');
  }

  private limitMessage(symbol: SymbolId): string {
    const shown = this.desired.size;
    return `KIS allows ${this.maxRegistrations} live registrations per session and each stock takes ${REGISTRATIONS_PER_SYMBOL} (trades and order book)` +
      `${this.wantsNotices() ? ', one goes to order notices' : ''}; ${shown} stocks are already live, so ${symbol} cannot be added. ` +
      'Close a chart or remove a watchlist entry to free one.';
  }

  private refusalError(symbol: SymbolId, ack: KisAck): FeedError {
    if (ack.msgCd === 'OPSP0008') {
      return new FeedError('LIMIT_REACHED', `KIS refused ${symbol}: its registration limit is reached (${ack.msgCd} ${ack.msg1}). Close a chart or watchlist entry to free one.`);
    }
    return new FeedError('UPSTREAM_UNAVAILABLE', `KIS refused ${symbol}: ${ack.msg1 || 'no reason'} (${ack.msgCd || ack.rtCd})`);
  }

  private wantsNotices(): boolean {
    return this.options.account !== null && this.options.htsId !== null;
  }

  /** Tells the relay on every change of state or of its explanation (a refusal while connected is news too). */
  private setState(state: FeedState, detail: string): void {
    if (state === this.current && detail === this.detail) return;
    this.current = state;
    this.detail = detail;
    this.sink?.state(this.id, state, detail);
    this.options.logger.info({ feed: this.id, state, detail }, 'kis feed state');
  }

  private detail = '';

  // --- session ----------------------------------------------------------------------------------------------------

  private async connect(): Promise<void> {
    if (this.stopped) return;
    this.dropReason = null;
    let approvalKey: string;
    try {
      approvalKey = await this.approvalKey();
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      const auth = error instanceof FeedError && error.code === 'UNAUTHENTICATED';
      this.scheduleReconnect(auth ? { kind: 'auth', detail } : { kind: 'closed', detail });
      return;
    }
    if (this.stopped) return;
    // skipUTF8Validation: KIS has sent text frames that fail strict UTF-8 checks (§7.8); decoding stays lenient.
    const ws = new WebSocket(this.options.wsUrl, { skipUTF8Validation: true });
    this.ws = ws;
    ws.on('open', () => this.onOpen(ws, approvalKey));
    ws.on('message', (data: WebSocket.RawData, isBinary: boolean) => {
      if (ws === this.ws) this.onMessage(data, isBinary);
    });
    ws.on('error', (error) => {
      if (ws === this.ws && !this.dropReason) this.dropReason = { kind: 'closed', detail: `KIS WebSocket error: ${error.message}` };
    });
    ws.on('close', (code) => {
      if (ws !== this.ws) return;
      this.onClose(code);
    });
  }

  private async approvalKey(): Promise<string> {
    const cached = this.approval;
    if (cached && this.now() - cached.at < APPROVAL_REUSE_MS) return cached.key;
    const approvalKey = await this.options.rest.approvalKey();
    this.approval = { key: approvalKey, at: this.now() };
    return approvalKey;
  }

  private onOpen(ws: WebSocket, approvalKey: string): void {
    if (ws !== this.ws) return;
    this.open = true;
    this.stats.sessions++;
    this.currentApproval = approvalKey;
    this.ciphers.clear();
    this.armSilence();
    this.setState('connected', this.desired.size > 0 ? `KIS session open; registering ${this.desired.size} stocks` : 'KIS session open');
    // Registrations belong to a session (§7.10): a new session starts empty and gets everything back.
    if (this.wantsNotices()) this.send(this.noticeTr, this.options.htsId!, '1');
    for (const symbol of this.desired) {
      const code = codeOf(symbol);
      this.send(TR_TICK, code, '1');
      this.send(TR_HOGA, code, '1');
    }
    // Fills may have happened while the session was down: balances and working orders are re-read after every
    // (re)connect (design §4).
    if (this.accounts.length > 0) {
      this.refreshBalance();
      if (this.stats.sessions > 1) void this.reconcileOrders();
    }
  }

  private currentApproval = '';

  private send(trId: string, trKey: string, trType: KisTrType): void {
    const ws = this.ws;
    if (!ws || !this.open) return;
    ws.send(encodeSubscribeRequest({ approvalKey: this.currentApproval, custtype: 'P', trType, trId, trKey }));
  }

  /** Sends a registration and resolves with its ack, or null on timeout or a lost session. */
  private register(trId: string, trKey: string): Promise<KisAck | null> {
    return new Promise((resolve) => {
      const k = key(trId, trKey);
      const waiter: AckWaiter = {
        resolve,
        timer: setTimeout(() => {
          const list = this.waiters.get(k);
          const at = list ? list.indexOf(waiter) : -1;
          if (list && at >= 0) {
            list.splice(at, 1);
            if (list.length === 0) this.waiters.delete(k);
          }
          resolve(null);
        }, this.timing.ackTimeoutMs),
      };
      const list = this.waiters.get(k) ?? [];
      list.push(waiter);
      this.waiters.set(k, list);
      this.send(trId, trKey, '1');
    });
  }

  private onClose(code: number): void {
    this.open = false;
    this.ws = null;
    this.clearSilence();
    for (const list of this.waiters.values()) for (const w of list) { clearTimeout(w.timer); w.resolve(null); }
    this.waiters.clear();
    if (this.stopped) return;
    this.scheduleReconnect(this.dropReason ?? { kind: 'closed', detail: `KIS closed the session (code ${code}${code === 1006 ? ', no close frame' : ''})` });
  }

  private scheduleReconnect(reason: DropReason): void {
    if (this.stopped) return;
    const exp = Math.min(this.timing.reconnectMaxMs, this.timing.reconnectBaseMs * 2 ** this.attempt);
    // Full jitter over the upper half: many clients dropped at once do not come back in step.
    let delay = Math.round(exp * (0.5 + this.random() / 2));
    this.attempt++;
    let detail: string;
    if (reason.kind === 'appkey-in-use') {
      delay = Math.max(delay, this.timing.appKeyInUseMs);
      detail = 'KIS says this app key already has a WebSocket session (another Sise or tool with the same key?)';
    } else {
      detail = reason.detail;
    }
    const state: FeedState = reason.kind === 'auth' ? 'down' : 'reconnecting';
    this.setState(state, `${detail}; retrying in ${Math.ceil(delay / 1000)} s`);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.connect();
    }, delay);
  }

  /** A check a few times per timeout, not a timer re-armed per frame: frames can come thousands a second. */
  private armSilence(): void {
    this.clearSilence();
    this.lastFrameAt = Date.now();
    const timeout = this.timing.silenceTimeoutMs;
    this.silenceTimer = setInterval(() => {
      if (Date.now() - this.lastFrameAt < timeout) return;
      this.dropReason = { kind: 'closed', detail: `KIS sent nothing for ${Math.round(timeout / 1000)} s (not even PINGPONG)` };
      this.ws?.terminate();
    }, Math.max(1, Math.round(timeout / SILENCE_CHECKS_PER_TIMEOUT)));
  }

  private clearSilence(): void {
    if (this.silenceTimer) clearInterval(this.silenceTimer);
    this.silenceTimer = null;
  }

  // --- frames -------------------------------------------------------------------------------------------------------

  private onMessage(data: WebSocket.RawData, isBinary: boolean): void {
    const recvTs = Date.now();
    this.lastFrameAt = recvTs;
    if (isBinary) {
      this.stats.badFrames++;
      this.options.logger.warn({ feed: this.id }, 'kis: binary frame ignored (KIS sends text)');
      return;
    }
    const text = data.toString();
    try {
      const message = parseServerMessage(text);
      if (message.kind === 'data') this.onData(message, recvTs);
      else if (message.kind === 'pingpong') {
        // {"header":{"tr_id":"PINGPONG","datetime":"20260605093000"}} — echoed as the same text (§3.5).
        this.stats.pingpongs++;
        this.ws?.send(message.raw);
      } else this.onAck(message);
    } catch (error) {
      this.stats.badFrames++;
      this.options.logger.warn({ feed: this.id, err: describe(error) }, 'kis: unreadable frame skipped');
    }
  }

  /** `0|H0STCNT0|003|…` → three ticks, in order; a bad record is skipped and its neighbours still delivered. */
  private onData(envelope: KisDataEnvelope, recvTs: number): void {
    const sink = this.sink;
    if (!sink) return;
    const frame = decodeData(envelope, envelope.encrypted ? this.ciphers.get(envelope.trId) : null);
    this.stats.frames++;
    this.attempt = 0;
    for (let i = 0; i < frame.count; i++) {
      try {
        if (frame.trId === TR_HOGA) sink.hoga(hogaOf(frame, i, recvTs));
        else if (isNoticeTr(frame.trId)) this.onNotice(frame, i, recvTs);
        else sink.tick(tickOf(frame, i, recvTs));
        this.stats.records++;
      } catch (error) {
        this.stats.badRecords++;
        this.options.logger.warn({ feed: this.id, trId: frame.trId, record: i, err: describe(error) }, 'kis: record skipped');
      }
    }
  }

  /**
   * `1|H0STCNI9|001|KKvmKbO2Nm4n…` decrypted to
   * `SISEDEMO01^5001234501^0000000002^^02^0^01^0^005930^3^70100^093015^0^2^2^06590^3^시세모의^0^1^Y^^^^삼성전자^0`:
   * an `order` event now, and for a fill a balance refresh after it.
   */
  private onNotice(frame: Parameters<typeof noticeOf>[0], i: number, recvTs: number): void {
    const notice = noticeOf(frame, i, recvTs);
    this.sink?.order(this.tracker.apply(notice, recvTs));
    if (notice.isFill) this.refreshBalance();
  }

  /**
   * `{"header":{"tr_id":"H0STCNI9","tr_key":"SISEDEMO01","encrypt":"Y"},"body":{"rt_cd":"0","msg_cd":"OPSP0000",…,"output":{"iv":"…","key":"…"}}}`
   */
  private onAck(ack: KisAck): void {
    if (ack.msgCd === 'OPSP8996') {
      this.dropReason = { kind: 'appkey-in-use' };
      this.ws?.terminate();
      return;
    }
    if (ack.msgCd === 'OPSP0011') {
      // The approval key is no longer valid: get a new one on the next session.
      this.approval = null;
      this.dropReason = { kind: 'closed', detail: `KIS rejected the approval key (${ack.msg1.split(':')[0]?.trim()})` };
      this.ws?.terminate();
      return;
    }
    if (ack.rtCd === '0' && ack.trId !== null && ack.key !== null && ack.iv !== null) {
      this.ciphers.set(ack.trId, { key: ack.key, iv: ack.iv });
      this.attempt = 0;
    }
    if (ack.trId === null || ack.trKey === null) {
      this.options.logger.warn({ feed: this.id, msgCd: ack.msgCd, msg1: ack.msg1 }, 'kis: control message without a TR');
      return;
    }
    // Unregistration answers (OPSP0001/OPSP0003) never settle a pending registration of the same key.
    if (ack.msgCd === MSG.UNSUBSCRIBED.msgCd || ack.msgCd === MSG.NOT_SUBSCRIBED.msgCd) return;
    const k = key(ack.trId, ack.trKey);
    const list = this.waiters.get(k);
    const waiter = list?.shift();
    if (list?.length === 0) this.waiters.delete(k);
    if (waiter) {
      clearTimeout(waiter.timer);
      waiter.resolve(ack);
      return;
    }
    // An ack nobody awaits: a re-registration after reconnect, or an unsubscribe.
    if (ack.rtCd !== '0' && ack.msgCd !== MSG.ALREADY_SUBSCRIBED.msgCd) this.onLateRefusal(ack);
  }

  /** A re-registration refused after a reconnect: the symbol leaves the desired set and the user is told. */
  private onLateRefusal(ack: KisAck): void {
    const trKey = ack.trKey ?? '';
    if (isNoticeTr(ack.trId ?? '')) {
      this.setState('connected', `KIS refused order notices for HTS ID ${trKey}: ${ack.msg1} (${ack.msgCd}); check KIS_HTS_ID`);
      return;
    }
    const symbol = `KRX:${trKey}` as SymbolId;
    if (!this.desired.delete(symbol)) return;
    if (this.open) this.send(ack.trId === TR_TICK ? TR_HOGA : TR_TICK, trKey, '2');
    this.setState('connected', this.refusalError(symbol, ack).message);
  }

  // --- balances -----------------------------------------------------------------------------------------------------

  private async reconcileOrders(): Promise<void> {
    for (const account of this.accounts) {
      try {
        for (const order of this.tracker.reconcile(await account.openOrders())) this.sink?.order(order);
      } catch (error) {
        this.options.logger.warn({ feed: this.id, account: account.accountId, err: describe(error) }, 'kis: open-order reconciliation failed');
      }
    }
  }

  /** A full balance snapshot after a fill; fills in quick succession share one refresh, and a failure retries. */
  private refreshBalance(): void {
    if (this.balanceRunning) {
      this.balanceDirty = true;
      return;
    }
    this.balanceRunning = true;
    void (async () => {
      let attempts = 0;
      do {
        this.balanceDirty = false;
        for (const account of this.accounts) {
          try {
            this.sink?.balance(await account.balance());
            attempts = 0;
          } catch (error) {
            attempts++;
            this.options.logger.warn({ feed: this.id, account: account.accountId, attempts, err: describe(error) }, 'kis: balance refresh failed');
            if (attempts < BALANCE_MAX_ATTEMPTS && !this.stopped) {
              this.balanceDirty = true;
              await new Promise((resolve) => setTimeout(resolve, this.timing.balanceRetryMs));
            }
          }
        }
      } while (this.balanceDirty && !this.stopped);
      this.balanceRunning = false;
    })();
  }
}

function describe(error: unknown): string {
  if (error instanceof KisCodecError || error instanceof FeedError) return `${error.code}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}
