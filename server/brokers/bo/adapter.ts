/**
 * The live session with the venue (bo-binary.md §4): AES logon → OES address and key → OES logon, then order
 * entry, fills and risk/collateral queries over the OES connection, mapped to normalized `order` and `balance`
 * events. It implements Feed for the `BO` market, but the venue is order entry only: AES/OES carry no quotes
 * (market data lives on a separate MDS the reference does not need), so subscribe() refuses with NOT_SUPPORTED.
 *
 * Reliability:
 *  - reconnect with jittered exponential backoff on any loss of the OES connection, through the AES again
 *    (keys are per logon); a logon refused for bad credentials stops retrying and says why (`down`);
 *  - after every logon: instruments (`Y` → `Q`…), then open orders (`E` → ORDER_STATUS `T`s), risk (`w` → `N`s)
 *    and collateral (`f` → `h`, which also marks the end of the answer, as no source gives an end marker);
 *    OrderTracker counts fills by cumulative quantity, so a replayed or re-reported fill is never doubled and
 *    a fill that happened while disconnected is reported exactly once;
 *  - MsgSeqNum rises by 1 per message on each OES connection; the highest server MsgSeqNum seen is sent back
 *    as LastSeqNum in the next logon (§4.3);
 *  - heartbeats (INFERRED §9) after `heartbeatMs` idle, a test request after that long without hearing
 *    anything, and a reconnect after twice that; `heartbeatMs: 0` turns this off (example-faithful venues).
 */
import type { BalanceEvent, FeedState, Market, OrderEvent, SymbolId } from '../../../lib/contracts';
import { parseSymbol } from '../../../lib/contracts';
import type { Logger } from '../../logger';
import { FeedError, type Feed, type FeedSink, type Unstamped } from '../../relay/feed';
import type { AccountCapabilities, AccountSession, OrderChange, OrderRequest } from '../account-session';
import { BoConnection, type BoConnectionHandlers } from './bo-connection';
import {
  msFromNs,
  nsFromMs,
  parseHostPort,
  type BoMessage,
  type CollateralDataMessage,
  type LogonMessage,
  type RiskUserSymbolMessage,
  type TransactionMessage,
} from './codec';
import { LOGIN_STATUS, LOGON_TYPE, ORDER_TYPE, REJECT, rejectName, REQUEST_TYPE, RESPONSE_TYPE, SIDE, SYMBOL_TYPE, TIF, TX } from './enums';
import { hotp } from './hotp';
import { OrderTracker, snapshot } from './order-tracker';

/** The library's TradingSessionID (every README dump); the vendor gives no other value. */
export const TRADING_SESSION_ID = 506;
/** A TCP connect on a LAN or loopback takes milliseconds; 5 s means the host is not there. */
export const CONNECT_TIMEOUT_MS = 5_000;
/** The example servers answer a logon at once; a venue that has not in 10 s will not. */
export const LOGON_TIMEOUT_MS = 10_000;
/** Order acks, cancels and replaces come back in milliseconds; after 10 s the caller gets an error (the order may still exist, and the next open-order check will show it). */
export const REQUEST_TIMEOUT_MS = 10_000;
/** Open orders + risk + collateral: a few dozen messages. */
export const SYNC_TIMEOUT_MS = 10_000;
/** First reconnect after half a second: a dropped connection usually comes back at once. */
export const RECONNECT_BASE_DELAY_MS = 500;
/** Never wait more than 30 s between attempts: a venue back after maintenance is picked up quickly. */
export const RECONNECT_MAX_DELAY_MS = 30_000;
/** ±30 % jitter so many Sise nodes do not reconnect in lockstep. */
export const RECONNECT_JITTER = 0.3;
/** §9 proposes 30 s idle before a heartbeat. */
export const DEFAULT_HEARTBEAT_MS = 30_000;
/** Heartbeat checks per interval: silence is noticed within a quarter of the interval. */
const HEARTBEAT_CHECKS_PER_INTERVAL = 4;
/** A net position smaller than this is float residue of equal buys and sells, not a holding. */
const POSITION_EPSILON = 1e-9;
/** Fills arrive in bursts; one balance refresh after a burst instead of one per fill. */
export const BALANCE_REFRESH_DELAY_MS = 50;
/** The venue cash the balance page shows: the account's USD equity (`N`/`h` USDEquity). */
const CASH_CURRENCY = 'USD';
/** Logon refusals that retrying cannot fix: the credentials or the account are wrong. */
const FATAL_LOGON_REASONS = new Set<number>([
  REJECT.USER_NOT_FOUND, REJECT.ACCOUNT_NOT_FOUND, REJECT.INVALID_KEY, 5 /* ACCOUNT_DISABLED */, REJECT.ACCOUNT_INVALID,
  33 /* INVALID_SECURITY_KEY */, REJECT.INVALID_LOGON_TYPE,
]);

export interface BoFeedOptions {
  /** `host:port` of the access server. */
  aesAddr: string;
  apiKey: string;
  userName: string;
  account: number;
  logger: Logger;
  /** 0 turns heartbeats off. */
  heartbeatMs?: number;
  /** Real money: orders are refused unless `ordersAllowed`. */
  realMoney: boolean;
  ordersAllowed: boolean;
  /** Against the simulator: the engine's instrument list. Default: any well-formed BO symbol. */
  knows?: (symbol: SymbolId) => boolean;
  reconnectBaseMs?: number;
  reconnectMaxMs?: number;
  requestTimeoutMs?: number;
  logonTimeoutMs?: number;
}

interface Instrument {
  symbolEnum: number;
  name: string;
  symbol: SymbolId;
}

interface Waiter {
  /** Settles on the first reply for which it returns true. */
  match(message: TransactionMessage): 'resolve' | 'reject' | null;
  resolve(message: TransactionMessage): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

interface SyncState {
  risk: RiskUserSymbolMessage[];
  resolve(collateral: CollateralDataMessage, risk: RiskUserSymbolMessage[]): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

class LogonRefused extends Error {
  constructor(
    readonly server: 'AES' | 'OES',
    readonly reason: number,
  ) {
    super(`the ${server} refused the logon: ${rejectName(reason)}`);
  }
}

export class BoFeed implements Feed {
  readonly id = 'bo' as const;
  readonly markets: readonly Market[] = ['BO'];
  readonly accountId: string;
  readonly accounts: AccountSession[];
  private readonly options: Required<Omit<BoFeedOptions, 'knows'>> & Pick<BoFeedOptions, 'knows'>;
  private readonly logger: Logger;
  private sink: FeedSink | null = null;
  private current: FeedState = 'connecting';
  private oes: BoConnection | null = null;
  private oesKey = 0;
  private outSeq = 1;
  /** Highest server MsgSeqNum seen, sent back as LastSeqNum on the next logon. */
  private lastServerSeq = 0;
  private stopping = false;
  private attempt = 0;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private heartbeatTimer: ReturnType<typeof setInterval> | null = null;
  private balanceTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly instruments = new Map<number, Instrument>();
  private readonly bySymbol = new Map<SymbolId, Instrument>();
  private instrumentWait: { resolve(): void; timer: ReturnType<typeof setTimeout> } | null = null;
  private readonly waiters = new Set<Waiter>();
  private syncState: SyncState | null = null;
  private syncChain: Promise<unknown> = Promise.resolve();
  private readonly tracker: OrderTracker;
  private nextOrderId: bigint;
  private lastBalance: Unstamped<BalanceEvent> | null = null;
  private connectedWaiters: Array<() => void> = [];

  constructor(options: BoFeedOptions) {
    this.options = {
      heartbeatMs: DEFAULT_HEARTBEAT_MS,
      reconnectBaseMs: RECONNECT_BASE_DELAY_MS,
      reconnectMaxMs: RECONNECT_MAX_DELAY_MS,
      requestTimeoutMs: REQUEST_TIMEOUT_MS,
      logonTimeoutMs: LOGON_TIMEOUT_MS,
      ...options,
    };
    this.logger = options.logger;
    this.accountId = `bo:${options.account}`;
    // Client-chosen OrderIDs must not repeat across restarts (DUPLICATE_ORDER_ID): start from the clock in µs.
    this.nextOrderId = BigInt(Date.now()) * 1000n;
    this.tracker = new OrderTracker({ accountId: this.accountId, symbolOf: (symbolEnum, name) => this.symbolOf(symbolEnum, name) });
    this.accounts = [new BoAccount(this)];
  }

  // ---- Feed ------------------------------------------------------------------------------------------------

  async start(sink: FeedSink): Promise<void> {
    this.sink = sink;
    this.stopping = false;
    this.setState('connecting', `logging on at the AES ${this.options.aesAddr}`);
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    if (this.balanceTimer) clearTimeout(this.balanceTimer);
    this.stopHeartbeats();
    const oes = this.oes;
    this.oes = null;
    if (oes?.isOpen) {
      // A logout before leaving (§4.1 step 6); the venue closes without answering.
      oes.send(this.logon(LOGON_TYPE.LOGOUT, this.oesKey));
      oes.end();
    }
    for (const waiter of this.waiters) {
      clearTimeout(waiter.timer);
      waiter.reject(new FeedError('UPSTREAM_UNAVAILABLE', 'the BO session was closed'));
    }
    this.waiters.clear();
    this.failSync(new FeedError('UPSTREAM_UNAVAILABLE', 'the BO session was closed'));
    if (this.instrumentWait) clearTimeout(this.instrumentWait.timer);
    this.instrumentWait = null;
    this.setState('down', 'stopped');
  }

  state(): FeedState {
    return this.current;
  }

  knows(symbol: SymbolId): boolean {
    if (this.options.knows) return this.options.knows(symbol);
    const parsed = parseSymbol(symbol);
    return parsed.ok && parsed.value.market === 'BO';
  }

  async subscribe(symbol: SymbolId): Promise<void> {
    if (!this.knows(symbol)) throw new FeedError('UNKNOWN_SYMBOL', `${symbol} is not listed on the BO venue`);
    throw new FeedError(
      'NOT_SUPPORTED',
      `the BO venue is order entry only: its AES/OES sessions carry no quote stream, so ${symbol} has no live prices here`,
    );
  }

  async unsubscribe(): Promise<void> {
    // Nothing is ever subscribed.
  }

  /** Instruments the venue listed at the last logon (`Q` answers). */
  listedSymbols(): SymbolId[] {
    return [...this.bySymbol.keys()];
  }

  // ---- session ---------------------------------------------------------------------------------------------

  private async connect(): Promise<void> {
    if (this.stopping) return;
    try {
      await this.logonOnce();
      this.attempt = 0;
    } catch (error) {
      if (this.stopping) return;
      if (error instanceof LogonRefused && FATAL_LOGON_REASONS.has(error.reason)) {
        // The vendor drops a client after one failed attempt; retrying wrong credentials would only repeat it.
        this.setState('down', `${error.message}; check BO_API_KEY, BO_USER and BO_ACCOUNT`);
        return;
      }
      this.scheduleReconnect(error instanceof Error ? error.message : String(error));
    }
  }

  private scheduleReconnect(why: string): void {
    if (this.stopping || this.reconnectTimer) return;
    const base = Math.min(this.options.reconnectMaxMs, this.options.reconnectBaseMs * 2 ** this.attempt);
    const delay = Math.round(base * (1 - RECONNECT_JITTER + Math.random() * 2 * RECONNECT_JITTER));
    this.attempt++;
    this.setState('reconnecting', `${why}; retrying in ${(delay / 1000).toFixed(1)} s`);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      void this.connect();
    }, delay);
  }

  private async logonOnce(): Promise<void> {
    const aesTarget = parseHostPort(this.options.aesAddr);
    if (!aesTarget) throw new Error(`BO_AES_ADDR "${this.options.aesAddr}" is not host:port`);

    // 1. AES: Key 0, answered with the OES address and a key (§4.1 steps 1–2).
    const aesReply = await this.logonAt('AES', aesTarget, 0);
    const oesTarget = parseHostPort(aesReply.primaryOrderEntryIp) ?? parseHostPort(aesReply.secondaryOrderEntryIp);
    if (!oesTarget) throw new Error(`the AES sent no usable OES address ("${aesReply.primaryOrderEntryIp}")`);

    // 2. OES: Key = the AES key (§4.2, V5); its reply's Key goes into every order.
    this.outSeq = 1;
    let connection: BoConnection | null = null;
    const reply = await this.logonAt('OES', oesTarget, aesReply.key, (c) => {
      connection = c;
    });
    if (this.stopping) {
      connection!.destroy();
      return;
    }
    this.oes = connection;
    this.oesKey = reply.key;
    this.noteServerSeq(reply.lastSeqNum);
    this.setState('connected', `logged on to the OES ${oesTarget.host}:${oesTarget.port} as account ${this.options.account}`);
    this.startHeartbeats();
    for (const resolve of this.connectedWaiters.splice(0)) resolve();

    // 3. What the venue suggests after logon: instruments, then open orders, risk and collateral.
    void this.afterLogon();
  }

  private async afterLogon(): Promise<void> {
    try {
      await this.requestInstruments();
      await this.sync();
    } catch (error) {
      this.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'BO post-logon queries failed');
    }
  }

  /**
   * Connects, sends a logon with `key`, and resolves with the server's `H` reply (LoginStatus 1). On the OES the
   * connection stays open and is handed to `keep`; the AES connection is closed once it has answered.
   */
  private logonAt(server: 'AES' | 'OES', target: { host: string; port: number }, key: number, keep?: (c: BoConnection) => void): Promise<LogonMessage> {
    return new Promise((resolve, reject) => {
      let settled = false;
      let connection: BoConnection | null = null;
      const settle = (error: Error | null, reply?: LogonMessage) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (error) {
          connection?.destroy();
          reject(error);
        } else resolve(reply!);
      };
      const timeoutMs = this.options.logonTimeoutMs;
      const timer = setTimeout(() => settle(new Error(`the ${server} did not answer the logon within ${timeoutMs / 1000} s`)), timeoutMs);
      const handlers: BoConnectionHandlers = {
        message: (message, recvTs) => {
          if (!settled) {
            /**
             * Logon reply, 143 bytes: 48 00 8F 00 01 00 <Account> … <PrimaryOrderEntryIP "127.0.0.1:4445"> …
             * <Key 4> <LoginStatus 01 00 | 02 00> <RejectReason 2> 00
             */
            if (message.type !== 'H') return settle(new Error(`the ${server} answered the logon with a '${message.type}' message`));
            if (message.loginStatus !== LOGIN_STATUS.SUCCESS) return settle(new LogonRefused(server, message.rejectReason));
            if (server === 'AES') connection?.end();
            else keep?.(connection!);
            return settle(null, message);
          }
          if (server === 'OES') this.onOesMessage(message, recvTs);
        },
        bad: (event) => {
          this.logger.warn({ code: event.code, detail: event.detail, bytes: event.raw.length }, `BO ${server}: unreadable message`);
          if (event.fatal) connection?.destroy();
        },
        close: () => {
          if (!settled) settle(new Error(`the ${server} closed the connection during logon`));
          else if (server === 'OES' && this.oes === connection) this.onOesClosed();
        },
      };
      BoConnection.connect(target.host, target.port, handlers, CONNECT_TIMEOUT_MS).then(
        (c) => {
          connection = c;
          if (settled) return c.destroy();
          c.send(this.logon(LOGON_TYPE.LOGIN, key));
        },
        (error: Error) => settle(new Error(`${server}: ${error.message}`)),
      );
    });
  }

  private logon(logonType: number, key: number): LogonMessage {
    return {
      type: 'H',
      logonType,
      account: this.options.account,
      twoFA: hotp(this.options.apiKey),
      userName: this.options.userName,
      tradingSessionId: TRADING_SESSION_ID,
      // Requests carry the library's dummy "1" in the four address fields (§3.1).
      primaryOrderEntryIp: '1',
      secondaryOrderEntryIp: '1',
      primaryMarketDataIp: '1',
      secondaryMarketDataIp: '1',
      sendingTime: nsFromMs(Date.now()),
      lastSeqNum: this.lastServerSeq,
      key,
      loginStatus: 0,
      rejectReason: 0,
      riskMaster: '',
    };
  }

  private onOesClosed(): void {
    this.oes = null;
    this.stopHeartbeats();
    this.failSync(new FeedError('UPSTREAM_UNAVAILABLE', 'the OES connection dropped'));
    if (this.instrumentWait) {
      clearTimeout(this.instrumentWait.timer);
      this.instrumentWait.resolve();
      this.instrumentWait = null;
    }
    if (!this.stopping) this.scheduleReconnect('the OES connection dropped');
  }

  private onOesMessage(message: BoMessage, recvTs: number): void {
    if ('msgSeqNum' in message) this.noteServerSeq(Number(message.msgSeqNum));
    switch (message.type) {
      case 'T':
        this.onTransaction(message, recvTs);
        return;
      case 'Q':
        /** Instrument, 74 bytes: 51 00 4A 00 00 00 00 00 <ResponseType> <SymbolEnum> "BTCUSD"… <PriceIncrement f64> … */
        this.onInstrument(message.symbolEnum, message.symbolName, message.responseType);
        return;
      case 'N':
        /** RiskUserSymbol, 161 bytes: 4E 00 A1 00 … "NAM1" <Account> <SymbolEnum> <Leverage f64> <LongPosition f64> … */
        this.syncState?.risk.push(message);
        return;
      case 'h':
        /** CollateralData (INFERRED `N` layout), 161 bytes: 68 00 A1 00 1F 00 … <USDEquity f64 at 133> … */
        this.completeSync(message);
        return;
      case '1':
        /** Test request, 28 bytes: 31 00 1C 00 … → answered with a heartbeat. */
        this.sendHeartbeat('0');
        return;
      case '0':
        return;
      case '3':
        /** Session reject, 32 bytes: 33 00 20 00 0C 00 <RefMsgType> 00 <RejectReason> … */
        this.logger.warn({ refMsgType: message.refMsgType, reason: rejectName(message.rejectReason) }, 'BO OES rejected a request');
        if ('wfE'.includes(message.refMsgType)) this.failSync(new FeedError('UPSTREAM_UNAVAILABLE', `the OES refused the query: ${rejectName(message.rejectReason)}`));
        return;
      case 'H':
        /** The venue's logout (LogonType 2), e.g. before a failover: it will close the connection. */
        this.logger.warn({ logonType: message.logonType, reason: rejectName(message.rejectReason) }, 'BO OES logged the session out');
        return;
      default:
        this.logger.debug({ type: message.type }, 'BO OES sent a message the client does not use');
    }
  }

  private noteServerSeq(seq: number): void {
    if (Number.isFinite(seq) && seq > this.lastServerSeq && seq <= 0xffffffff) this.lastServerSeq = seq;
  }

  private onTransaction(message: TransactionMessage, recvTs: number): void {
    for (const waiter of this.waiters) {
      const verdict = waiter.match(message);
      if (!verdict) continue;
      this.waiters.delete(waiter);
      clearTimeout(waiter.timer);
      if (verdict === 'resolve') waiter.resolve(message);
      else waiter.reject(new FeedError('BAD_REQUEST', `the BO venue refused: ${rejectName(message.rejectReason)}`));
    }
    const events = this.tracker.apply(message, recvTs);
    for (const event of events) this.sink?.order(event);
    if (events.some((e) => e.lastFill !== null)) this.scheduleBalanceRefresh();
    if (events.length === 0 && !this.tracker.get(message.orderId)) {
      this.logger.debug({ orderId: message.orderId.toString(), messageType: message.messageType }, 'BO reply for an order this session does not know');
    }
  }

  private onInstrument(symbolEnum: number, name: string, responseType: number): void {
    const parsed = parseSymbol(`BO:${name}`);
    if (parsed.ok) {
      const instrument = { symbolEnum, name, symbol: parsed.value.symbol };
      this.instruments.set(symbolEnum, instrument);
      this.bySymbol.set(instrument.symbol, instrument);
    }
    if (responseType === RESPONSE_TYPE.SNAPSHOT || responseType === RESPONSE_TYPE.SNAPSHOT_FINISH) {
      const wait = this.instrumentWait;
      this.instrumentWait = null;
      if (wait) {
        clearTimeout(wait.timer);
        wait.resolve();
      }
    }
  }

  private symbolOf(symbolEnum: number, name: string): SymbolId | null {
    const known = this.instruments.get(symbolEnum);
    if (known) return known.symbol;
    const parsed = parseSymbol(`BO:${name}`);
    return parsed.ok ? parsed.value.symbol : null;
  }

  /** `Y` RequestType ALL: 59 00 40 00 00 00 00 00 00 00 <Account> 01 00 <Key> … → `Q` … until SNAPSHOT_FINISH. */
  private requestInstruments(): Promise<void> {
    return new Promise((resolve, reject) => {
      const oes = this.oes;
      if (!oes) return reject(new Error('not connected'));
      const timer = setTimeout(() => {
        this.instrumentWait = null;
        reject(new Error(`the OES did not list its instruments within ${SYNC_TIMEOUT_MS / 1000} s`));
      }, SYNC_TIMEOUT_MS);
      this.instrumentWait = { resolve, timer };
      oes.send({
        type: 'Y', messageType: 0, rejectReason: 0, account: this.options.account, requestType: REQUEST_TYPE.ALL,
        key: this.oesKey, symbolName: '', symbolType: 0, symbolEnum: 0, tradingSessionId: TRADING_SESSION_ID,
        sendingTime: nsFromMs(Date.now()), msgSeqNum: this.outSeq++,
      });
    });
  }

  /**
   * Open orders, risk and collateral in one round: `E` (every instrument), `w` (every instrument), `f`. The venue
   * answers in order, so the `h` for `f` arrives after every ORDER_STATUS and `N`: it ends the round. Rounds
   * run one at a time; the result is the full balance, also emitted as a `balance` event.
   */
  sync(): Promise<Unstamped<BalanceEvent>> {
    const run = this.syncChain.then(() => this.syncOnce());
    this.syncChain = run.catch(() => undefined);
    return run;
  }

  private syncOnce(): Promise<Unstamped<BalanceEvent>> {
    return new Promise((resolve, reject) => {
      const oes = this.oes;
      if (!oes || this.current !== 'connected') return reject(new FeedError('UPSTREAM_UNAVAILABLE', 'the BO venue is not connected'));
      const timer = setTimeout(() => this.failSync(new FeedError('UPSTREAM_UNAVAILABLE', `the OES did not answer the account queries within ${SYNC_TIMEOUT_MS / 1000} s`)), SYNC_TIMEOUT_MS);
      this.syncState = {
        risk: [],
        timer,
        reject,
        resolve: (collateral, risk) => {
          const balance = this.balanceFrom(collateral, risk);
          this.lastBalance = balance;
          this.sink?.balance(balance);
          resolve(balance);
        },
      };
      const now = nsFromMs(Date.now());
      const common = { account: this.options.account, tradingSessionId: TRADING_SESSION_ID, sendingTime: now };
      oes.send({ type: 'E', messageType: 0, symbolEnum: 0, symbolName: '', ...common, msgSeqNum: this.outSeq++ });
      oes.send({ type: 'w', messageType: 0, responseType: 0, symbolEnum: 0, key: this.oesKey, ...common, msgSeqNum: this.outSeq++ });
      oes.send({ type: 'f', messageType: 0, updateType: 0, symbolEnum: 0, key: this.oesKey, ...common, msgSeqNum: this.outSeq++ });
    });
  }

  private completeSync(collateral: CollateralDataMessage): void {
    const state = this.syncState;
    if (!state) return;
    this.syncState = null;
    clearTimeout(state.timer);
    state.resolve(collateral, state.risk);
  }

  private failSync(error: Error): void {
    const state = this.syncState;
    if (!state) return;
    this.syncState = null;
    clearTimeout(state.timer);
    state.reject(error);
  }

  private scheduleBalanceRefresh(): void {
    if (this.balanceTimer) return;
    this.balanceTimer = setTimeout(() => {
      this.balanceTimer = null;
      this.sync().catch((error: unknown) => this.logger.warn({ err: String(error) }, 'BO balance refresh after a fill failed'));
    }, BALANCE_REFRESH_DELAY_MS);
  }

  private balanceFrom(collateral: CollateralDataMessage, risk: RiskUserSymbolMessage[]): Unstamped<BalanceEvent> {
    const recvTs = Date.now();
    const holdings = risk.flatMap((row) => {
      const instrument = this.instruments.get(row.symbolEnum);
      const net = row.executedLongPosition - row.executedShortPosition;
      if (!instrument || Math.abs(net) < POSITION_EPSILON) return [];
      const avg = row.executedLongPosition > 0 ? row.executedLongCash / row.executedLongPosition : 0;
      return [{
        symbol: instrument.symbol,
        name: instrument.name,
        qty: decimalText(net),
        orderableQty: decimalText(Math.max(0, net)),
        avgPrice: decimalText(avg),
        purchaseAmount: decimalText(net * avg),
      }];
    });
    return {
      // `N` and `h` carry no SendingTime; the venue's state is as of its answer.
      ts: recvTs,
      recvTs,
      source: 'bo',
      accountId: this.accountId,
      full: true,
      cash: { currency: CASH_CURRENCY, deposit: decimalText(collateral.usdEquity), orderable: decimalText(collateral.usdEquity) },
      holdings,
    };
  }

  // ---- heartbeats (INFERRED §9) ------------------------------------------------------------------------------

  private startHeartbeats(): void {
    this.stopHeartbeats();
    const interval = this.options.heartbeatMs;
    if (interval <= 0) return;
    let testRequestSent = false;
    this.heartbeatTimer = setInterval(() => {
      const oes = this.oes;
      if (!oes) return;
      const now = Date.now();
      const silent = now - oes.lastReceiveTs;
      if (silent >= 2 * interval) {
        this.logger.warn({ silentMs: silent }, 'BO OES stopped answering; reconnecting');
        oes.destroy();
        return;
      }
      if (silent >= interval && !testRequestSent) {
        testRequestSent = true;
        this.sendHeartbeat('1');
      } else if (silent < interval) testRequestSent = false;
      if (now - oes.lastSendTs >= interval) this.sendHeartbeat('0');
    }, Math.max(1, Math.floor(interval / HEARTBEAT_CHECKS_PER_INTERVAL)));
    this.heartbeatTimer.unref();
  }

  private stopHeartbeats(): void {
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = null;
  }

  /** Heartbeat '0' / test request '1', 28 bytes: 30 00 1C 00 00 00 00 00 <Account> FA 01 00 00 <SendingTime> <MsgSeqNum> */
  private sendHeartbeat(type: '0' | '1'): void {
    this.oes?.send({
      type, messageType: 0, padding: 0, account: this.options.account, tradingSessionId: TRADING_SESSION_ID,
      sendingTime: nsFromMs(Date.now()), msgSeqNum: this.outSeq++,
    });
  }

  // ---- orders ----------------------------------------------------------------------------------------------

  /** Resolves once connected (or rejects after `timeoutMs`): order entry during a short reconnect waits for it. */
  private whenConnected(): Promise<void> {
    if (this.current === 'connected' && this.oes) return Promise.resolve();
    if (this.current === 'down') return Promise.reject(new FeedError('UPSTREAM_UNAVAILABLE', 'the BO venue session is down'));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new FeedError('UPSTREAM_UNAVAILABLE', 'the BO venue is reconnecting')), this.options.requestTimeoutMs);
      this.connectedWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private request(message: TransactionMessage, match: Waiter['match']): Promise<TransactionMessage> {
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        match,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters.delete(waiter);
          reject(new FeedError('UPSTREAM_UNAVAILABLE', `no answer from the BO venue within ${this.options.requestTimeoutMs / 1000} s; the open-order check will show whether order ${message.orderId} exists`));
        }, this.options.requestTimeoutMs),
      };
      this.waiters.add(waiter);
      this.oes!.send({ ...message, key: this.oesKey, msgSeqNum: BigInt(this.outSeq++) });
    });
  }

  private assertOrdersAllowed(): void {
    if (this.options.realMoney && !this.options.ordersAllowed) {
      throw new FeedError('FORBIDDEN', 'real-money orders are off; set ALLOW_REAL_ORDERS=true to allow them');
    }
  }

  private instrumentFor(symbol: SymbolId): Instrument {
    const instrument = this.bySymbol.get(symbol);
    if (!instrument) throw new FeedError('UNKNOWN_SYMBOL', `${symbol} is not among the instruments the BO venue listed (${this.listedSymbols().join(', ') || 'none yet'})`);
    return instrument;
  }

  async placeOrder(request: OrderRequest): Promise<{ orderId: string }> {
    this.assertOrdersAllowed();
    if (request.type === 'limit' && !(typeof request.price === 'number' && request.price > 0)) {
      throw new FeedError('BAD_REQUEST', 'a limit order needs a positive price');
    }
    if (!(request.qty > 0)) throw new FeedError('BAD_REQUEST', 'qty must be positive');
    await this.whenConnected();
    const instrument = this.instrumentFor(request.symbol);
    const orderId = this.nextOrderId++;
    this.tracker.expect({
      orderId, origOrderId: null, symbol: instrument.symbol, side: request.side, type: request.type, qty: request.qty,
      price: request.type === 'limit' ? request.price! : null,
    });
    await this.request(
      this.transaction(TX.ORDER_NEW, orderId, 0n, instrument, request.side, request.type, request.qty, request.price ?? 0),
      (reply) => (reply.orderId !== orderId ? null : reply.messageType === TX.ORDER_ACK ? 'resolve' : reply.messageType === TX.REJECT ? 'reject' : null),
    );
    return { orderId: orderId.toString() };
  }

  async cancelOrder(orderIdText: string): Promise<void> {
    this.assertOrdersAllowed();
    const order = this.tracked(orderIdText);
    await this.whenConnected();
    const instrument = this.instrumentFor(order.symbol);
    await this.request(
      this.transaction(TX.ORDER_CANCEL, order.orderId, order.orderId, instrument, order.side, order.type, order.qty, order.price ?? 0),
      (reply) => (reply.orderId !== order.orderId ? null : reply.messageType === TX.CANCELLED ? 'resolve' : reply.messageType === TX.REJECT ? 'reject' : null),
    );
  }

  /** Cancel/replace (MessageType 2): a new OrderID with the new price and quantity takes the working order's place. */
  async replaceOrder(orderIdText: string, change: { qty?: number; price?: number }): Promise<{ orderId: string }> {
    this.assertOrdersAllowed();
    const order = this.tracked(orderIdText);
    await this.whenConnected();
    const instrument = this.instrumentFor(order.symbol);
    const qty = change.qty ?? order.qty - order.filledQty;
    const price = change.price ?? order.price ?? 0;
    const orderId = this.nextOrderId++;
    this.tracker.expect({ orderId, origOrderId: order.orderId, symbol: order.symbol, side: order.side, type: order.type, qty, price: order.type === 'limit' ? price : null });
    await this.request(
      this.transaction(TX.CANCEL_REPLACE, orderId, order.orderId, instrument, order.side, order.type, qty, price),
      (reply) => (reply.orderId !== orderId ? null : reply.messageType === TX.REPLACED ? 'resolve' : reply.messageType === TX.REJECT || reply.messageType === TX.CANCEL_REPLACE_REJECT ? 'reject' : null),
    );
    return { orderId: orderId.toString() };
  }

  async openOrders(): Promise<Array<Unstamped<OrderEvent>>> {
    await this.whenConnected();
    await this.sync();
    const now = Date.now();
    return this.tracker.working().map((order) => snapshot(this.accountId, order, now, now));
  }

  async balance(): Promise<Unstamped<BalanceEvent>> {
    await this.whenConnected();
    return this.sync();
  }

  get realMoney(): boolean {
    return this.options.realMoney;
  }

  get latestBalance(): Unstamped<BalanceEvent> | null {
    return this.lastBalance;
  }

  private tracked(orderIdText: string): NonNullable<ReturnType<OrderTracker['get']>> {
    let id: bigint;
    try {
      id = BigInt(orderIdText);
    } catch {
      throw new FeedError('NOT_FOUND', `no BO order ${orderIdText}`);
    }
    const order = this.tracker.get(id);
    if (!order) throw new FeedError('NOT_FOUND', `no BO order ${orderIdText}`);
    return order;
  }

  private transaction(
    messageType: number, orderId: bigint, origOrderId: bigint, instrument: Instrument, side: 'buy' | 'sell',
    type: 'limit' | 'market', qty: number, price: number,
  ): TransactionMessage {
    return {
      type: 'T', messageType, padding: 0, account: this.options.account, orderId, symbolEnum: instrument.symbolEnum,
      orderType: type === 'limit' ? ORDER_TYPE.LMT : ORDER_TYPE.MKT, symbolType: SYMBOL_TYPE.SPOT,
      price: type === 'limit' ? price : 0, side: side === 'buy' ? SIDE.BUY : SIDE.SELL, orderQty: qty, tif: TIF.GTC,
      stopLimitPrice: 0, symbol: instrument.name, origOrderId, cancelShares: 0, execId: 0n, execShares: 0,
      remainingQuantity: 0, execFee: 0, expirationDate: '', traderId: '', rejectReason: 0,
      sendingTime: nsFromMs(Date.now()), tradingSessionId: TRADING_SESSION_ID, key: 0, displaySize: 0, refreshSize: 0,
      layers: 0, sizeIncrement: 0, priceIncrement: 0, priceOffset: 0, origPrice: 0, execPrice: 0, msgSeqNum: 0n,
      takeProfitPrice: 0, triggerType: 0, secondLegPrice: 0, routeEnum: 0, modifyType: 0, attributes: '',
    };
  }

  private setState(state: FeedState, detail: string): void {
    this.current = state;
    this.sink?.state(this.id, state, detail);
  }
}

/** The account surface of the BO session: order entry and queries go through the one OES connection. */
export class BoAccount implements AccountSession {
  readonly accountId: string;
  readonly capabilities: AccountCapabilities;

  constructor(private readonly feed: BoFeed) {
    this.accountId = feed.accountId;
    this.capabilities = { cancel: true, modify: true, realMoney: feed.realMoney };
  }

  balance(): Promise<Unstamped<BalanceEvent>> {
    return this.feed.balance();
  }

  openOrders(): Promise<Array<Unstamped<OrderEvent>>> {
    return this.feed.openOrders();
  }

  placeOrder(request: OrderRequest): Promise<{ orderId: string }> {
    return this.feed.placeOrder(request);
  }

  cancelOrder(orderId: string): Promise<void> {
    return this.feed.cancelOrder(orderId);
  }

  /** 정정 as the venue's cancel/replace: a new OrderID takes the working order's place. */
  modifyOrder(orderId: string, change: OrderChange): Promise<{ orderId: string }> {
    return this.feed.replaceOrder(orderId, change);
  }
}

/** Decimal text without exponent, at most 8 decimals, as the balance contract wants ("0.12345678"). */
export function decimalText(value: number): string {
  if (!Number.isFinite(value)) return '0';
  const fixed = value.toFixed(8).replace(/\.?0+$/, '');
  return fixed === '-0' || fixed === '' ? '0' : fixed;
}

