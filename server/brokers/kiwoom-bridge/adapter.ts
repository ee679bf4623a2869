/**
 * The live session with a KiwoomServer bridge (§8): REST for login status, accounts, orders, registrations and
 * conditions; `/ws/realtime` and `/ws/execution` for events. Both sockets reconnect on their own; after a reconnect
 * the realtime registrations are replayed and orders and balances are reconciled over REST, since the bridge keeps
 * no history of what was sent while a socket was down. Bad frames are counted and logged, never fatal.
 */
import { marketOf, type ConditionHit, type FeedState, type Market, type SymbolId, type OrderEvent } from '../../../lib/contracts';
import type { Logger } from '../../logger';
import type { ConditionProvider } from '../../relay/condition-provider';
import { FeedError, type Feed, type FeedSink, type Unstamped } from '../../relay/feed';
import type { AccountSession } from '../account-session';
import { KiwoomBridgeAccount } from './account';
import { BridgeSocket } from './bridge-socket';
import { decodeFrame, isRecord, MESSAGE, plainCode, type BridgeFrame } from './codec';
import {
  BROKER_ID,
  balanceFromChejan,
  conditionFromFrame,
  hogaFromFrame,
  krxSymbol,
  orderFromChejan,
  tickFromFrame,
} from './normalize';
import { BridgeRefusal, BridgeRestClient, errorFor } from './rest-client';

/** The bridge's default realtime screen (§8.1); every registration goes there with the full desired list. */
export const REALTIME_SCREEN = '1000';
/** OpenAPI+ SetRealReg takes at most 100 codes per screen. */
export const MAX_REALTIME_CODES = 100;
/** OpenAPI+ allows 10 live conditions (SendCondition with nSearch 1) per login. */
export const MAX_LIVE_CONDITIONS = 10;
/** Live-condition screens 9001… (the bridge's default screen is 9001), one per condition. */
const CONDITION_SCREEN_BASE = 9001;
/** The bridge sends no order number back; the 접수 event on `/ws/execution` normally follows within a second. */
export const ORDER_ACK_TIMEOUT_MS = 10_000;
/** Login may take the bridge up to its own 30 s timeout, plus a margin for the answer to travel. */
const LOGIN_REQUEST_TIMEOUT_MS = 35_000;
/** Retrying a failed login (bridge down, OpenAPI+ logged out) this often keeps the state fresh without hammering. */
export const LOGIN_RETRY_MS = 10_000;

export interface KiwoomBridgeAdapterOptions {
  baseUrl: string;
  logger: Logger;
  /** Against the simulator: the engine's instrument list; otherwise any well-formed KRX code. */
  knows?: (symbol: SymbolId) => boolean;
  nameOf?: (symbol: SymbolId) => string | null;
  /** Whether orders move real money (a configured bridge) — then ALLOW_REAL_ORDERS must be set. */
  realMoney: boolean;
  allowRealOrders: boolean;
  /** OPW00018/OPW00001 `pass`; empty when the password is saved in OpenAPI+ (the usual bridge setup). */
  password?: string;
  reconnectBaseMs?: number;
  reconnectMaxMs?: number;
  livenessIntervalMs?: number;
  requestTimeoutMs?: number;
  orderAckTimeoutMs?: number;
  loginRetryMs?: number;
}

interface PendingOrder {
  accountNo: string;
  code: string;
  side: 'buy' | 'sell';
  qty: number;
  resolve(orderId: string): void;
}

export class KiwoomBridgeAdapter implements Feed, ConditionProvider {
  readonly id = BROKER_ID;
  readonly markets: readonly Market[] = ['KRX'];
  /** Frames that were not JSON or lacked the standard fields / frames of a type this build does not handle. */
  readonly counters = { malformed: 0, unknownType: 0, reconciliations: 0 };
  readonly rest: BridgeRestClient;
  private sink: FeedSink | null = null;
  private current: FeedState = 'connecting';
  private loggedIn = false;
  private stopped = false;
  private readonly desired = new Set<SymbolId>();
  /** Live condition id → its screen. */
  private readonly liveConditions = new Map<string, string>();
  /** Live condition id → the codes in it as this adapter last heard, to publish what changed while a socket was down. */
  private readonly conditionMembers = new Map<string, Set<string>>();
  private conditionNames = new Map<string, string>();
  private accountNos: string[] = [];
  private readonly filledByOrder = new Map<string, number>();
  private readonly knownOrders = new Set<string>();
  private readonly pending: PendingOrder[] = [];
  private readonly lastPrice = new Map<SymbolId, { price: number; change: number; changeRate: number; volume: number }>();
  private registration: Promise<void> = Promise.resolve();
  private loginTimer: NodeJS.Timeout | null = null;
  private loggingIn = false;
  private readonly realtime: BridgeSocket;
  private readonly execution: BridgeSocket;

  constructor(private readonly options: KiwoomBridgeAdapterOptions) {
    this.rest = new BridgeRestClient(options.baseUrl, options.requestTimeoutMs, () => this.sessionLost());
    const wsBase = options.baseUrl.replace(/^http/, 'ws').replace(/\/$/, '');
    const socketOptions = {
      ...(options.reconnectBaseMs === undefined ? {} : { reconnectBaseMs: options.reconnectBaseMs }),
      ...(options.reconnectMaxMs === undefined ? {} : { reconnectMaxMs: options.reconnectMaxMs }),
      ...(options.livenessIntervalMs === undefined ? {} : { livenessIntervalMs: options.livenessIntervalMs }),
    };
    this.realtime = new BridgeSocket({
      ...socketOptions,
      url: `${wsBase}/ws/realtime`,
      onText: (text) => this.onText('realtime', text),
      onOpen: (reconnect) => this.onSocketOpen('realtime', reconnect),
      onDown: (detail) => this.setState('reconnecting', detail),
    });
    this.execution = new BridgeSocket({
      ...socketOptions,
      url: `${wsBase}/ws/execution`,
      onText: (text) => this.onText('execution', text),
      onOpen: (reconnect) => this.onSocketOpen('execution', reconnect),
      onDown: (detail) => this.setState('reconnecting', detail),
    });
  }

  /** Times each socket came back after a drop. */
  get reconnects(): { realtime: number; execution: number } {
    return { realtime: this.realtime.reconnects, execution: this.execution.reconnects };
  }

  async start(sink: FeedSink): Promise<void> {
    this.sink = sink;
    this.stopped = false;
    this.setState('connecting', `connecting to KiwoomServer at ${this.options.baseUrl}`);
    this.realtime.start();
    this.execution.start();
    await this.ensureLogin();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.loginTimer) clearTimeout(this.loginTimer);
    this.loginTimer = null;
    this.realtime.stop();
    this.execution.stop();
    this.current = 'down';
  }

  state(): FeedState {
    return this.current;
  }

  knows(symbol: SymbolId): boolean {
    if (this.options.knows) return this.options.knows(symbol);
    return marketOf(symbol) === 'KRX' && /^KRX:\d{6}$/.test(symbol);
  }

  async subscribe(symbol: SymbolId): Promise<void> {
    if (!this.knows(symbol)) throw new FeedError('UNKNOWN_SYMBOL', `KiwoomServer does not list ${symbol}`);
    if (this.desired.has(symbol)) return;
    if (this.desired.size >= MAX_REALTIME_CODES) {
      throw new FeedError('LIMIT_REACHED', `KiwoomServer registers at most ${MAX_REALTIME_CODES} codes on one screen (OpenAPI+ SetRealReg)`);
    }
    this.desired.add(symbol);
    if (!this.loggedIn) return;
    try {
      await this.register();
    } catch (error) {
      // Transport trouble and a logout are retried once the session is back; any other refusal is final.
      if (error instanceof BridgeRefusal && error.bridgeMessage !== MESSAGE.notLoggedIn) {
        this.desired.delete(symbol);
        throw error;
      }
    }
  }

  async unsubscribe(symbol: SymbolId): Promise<void> {
    if (!this.desired.delete(symbol)) return;
    if (!this.loggedIn) return;
    const code = symbol.slice(4);
    await this.queue(() => this.rest.get('/api/realtime/unsubscribe', { screen: REALTIME_SCREEN, code }).then(() => undefined)).catch(
      (error: unknown) => this.options.logger.warn({ err: String(error), symbol }, 'kiwoom-bridge: unsubscribe failed; the bridge keeps sending it and we drop it'),
    );
  }

  // ---- accounts ---------------------------------------------------------------------------------------------

  /** The login's accounts (`AccountNo`, `;`-separated when there are several, as GetLoginInfo("ACCNO") gives). */
  async discoverAccounts(): Promise<AccountSession[]> {
    const status = await this.rest.get('/api/status');
    if (!isRecord(status) || status.IsLoggedIn !== true) {
      throw new FeedError('UPSTREAM_UNAVAILABLE', 'KiwoomServer is not logged in to Kiwoom OpenAPI+; no accounts yet');
    }
    this.accountNos = String(status.AccountNo ?? '')
      .split(';')
      .map((a) => a.trim())
      .filter((a) => a !== '');
    return this.accountNos.map(
      (accountNo) =>
        new KiwoomBridgeAccount({
          adapter: this,
          accountNo,
          password: this.options.password ?? '',
          realMoney: this.options.realMoney,
          allowRealOrders: this.options.allowRealOrders,
        }),
    );
  }

  /** Sends an order and waits for its 접수 on `/ws/execution`: the only place the order number appears. */
  async sendOrder(body: Record<string, unknown>, accountNo: string, code: string, side: 'buy' | 'sell', qty: number): Promise<string> {
    let entry: PendingOrder | null = null;
    const acked = new Promise<string>((resolve) => {
      entry = { accountNo, code, side, qty, resolve };
      this.pending.push(entry);
    });
    const forget = () => {
      const i = this.pending.indexOf(entry!);
      if (i >= 0) this.pending.splice(i, 1);
    };
    try {
      const data = await this.rest.post('/api/orders', body);
      // The reference shows the failure in `Data` too (§8.1); a bridge that says Success:true with it still failed.
      if (typeof data === 'string' && data.startsWith(MESSAGE.orderFailedPrefix)) throw errorFor('/api/orders', data);
    } catch (error) {
      forget();
      throw error;
    }
    const timeoutMs = this.options.orderAckTimeoutMs ?? ORDER_ACK_TIMEOUT_MS;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        forget();
        reject(
          new FeedError(
            'UPSTREAM_UNAVAILABLE',
            `KiwoomServer said "Order Sent" but no 접수 event came on /ws/execution within ${Math.round(timeoutMs / 1000)} s; the order may be working — check open orders`,
          ),
        );
      }, timeoutMs);
    });
    try {
      return await Promise.race([acked, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  // ---- conditions -------------------------------------------------------------------------------------------

  async listConditions(): Promise<Array<{ id: string; name: string }>> {
    const data = await this.rest.get('/api/conditions');
    const list = Array.isArray(data) ? data.filter(isRecord) : [];
    this.conditionNames = new Map(list.map((c) => [String(c.Index), String(c.Name ?? '')]));
    return [...this.conditionNames].map(([id, name]) => ({ id, name }));
  }

  async runCondition(id: string): Promise<ConditionHit[]> {
    const codes = await this.search(id);
    return codes.map((code) => {
      const symbol = krxSymbol(code);
      const last = this.lastPrice.get(symbol);
      // The search answer carries codes only; price fields come from the last tick seen, 0 when none was.
      return { symbol, name: this.options.nameOf?.(symbol) ?? code, price: last?.price ?? 0, change: last?.change ?? 0, changeRate: last?.changeRate ?? 0, volume: last?.volume ?? 0 };
    });
  }

  async startLiveCondition(id: string): Promise<{ conditionKey: string; symbols: string[] }> {
    const conditionKey = `${BROKER_ID}:${id}`;
    if (!this.liveConditions.has(id) && this.liveConditions.size >= MAX_LIVE_CONDITIONS) {
      throw new FeedError('LIMIT_REACHED', `Kiwoom OpenAPI+ runs at most ${MAX_LIVE_CONDITIONS} live conditions per login`);
    }
    const codes = await this.search(id);
    const screen = String(CONDITION_SCREEN_BASE + Number(id));
    await this.rest.get('/api/conditions/start', { name: await this.nameOfCondition(id), index: id, screen });
    this.liveConditions.set(id, screen);
    this.conditionMembers.set(id, new Set(codes));
    return { conditionKey, symbols: codes.map((c) => krxSymbol(c)) };
  }

  async stopLiveCondition(id: string): Promise<void> {
    const screen = this.liveConditions.get(id);
    if (!screen) return;
    this.liveConditions.delete(id);
    this.conditionMembers.delete(id);
    await this.rest.get('/api/conditions/stop', { name: await this.nameOfCondition(id), index: id, screen });
  }

  private async search(id: string): Promise<string[]> {
    const data = await this.rest.get('/api/conditions/search', { name: await this.nameOfCondition(id), index: id });
    if (!isRecord(data) || !Array.isArray(data.Codes)) return [];
    return data.Codes.map((c) => plainCode(String(c))).filter((c): c is string => c !== null);
  }

  private async nameOfCondition(id: string): Promise<string> {
    if (!this.conditionNames.has(id)) await this.listConditions();
    const name = this.conditionNames.get(id);
    if (name === undefined) throw new FeedError('NOT_FOUND', `KiwoomServer has no condition with index ${id}`);
    return name;
  }

  // ---- session ----------------------------------------------------------------------------------------------

  /** One login attempt at a time: a logout noticed mid-attempt must not start a second retry loop. */
  private async ensureLogin(): Promise<void> {
    if (this.stopped || this.loggingIn) return;
    this.loggingIn = true;
    if (this.loginTimer) clearTimeout(this.loginTimer);
    this.loginTimer = null;
    try {
      const status = await this.rest.get('/api/status');
      if (!isRecord(status) || status.IsLoggedIn !== true) {
        this.setState('reconnecting', 'KiwoomServer is not logged in to Kiwoom OpenAPI+; asking it to log in');
        await this.rest.get('/api/auth/login', {}, LOGIN_REQUEST_TIMEOUT_MS);
      }
      this.loggedIn = true;
      await this.register();
      for (const [id, screen] of this.liveConditions) {
        await this.rest.get('/api/conditions/start', { name: await this.nameOfCondition(id), index: id, screen });
      }
      this.loggingIn = false;
      this.updateState();
    } catch (error) {
      this.loggingIn = false;
      this.loggedIn = false;
      const detail = error instanceof Error ? error.message : String(error);
      this.options.logger.warn({ err: detail }, 'kiwoom-bridge: session not ready; retrying');
      this.setState('down', detail);
      if (!this.stopped) this.loginTimer = setTimeout(() => void this.ensureLogin(), this.options.loginRetryMs ?? LOGIN_RETRY_MS);
    }
  }

  /** The bridge said OpenAPI+ is logged out mid-session: report it and log in again. */
  private sessionLost(): void {
    if (!this.loggedIn || this.stopped || this.loggingIn) return;
    this.loggedIn = false;
    this.setState('reconnecting', 'KiwoomServer reports Kiwoom OpenAPI+ logged out; logging in again');
    void this.ensureLogin();
  }

  /** Replaces the screen's registrations with the whole desired set, in order with other registration calls. */
  private register(): Promise<void> {
    return this.queue(async () => {
      if (this.desired.size === 0) return;
      const codes = [...this.desired].map((s) => s.slice(4)).join(';');
      await this.rest.get('/api/realtime/subscribe', { codes, screen: REALTIME_SCREEN });
    });
  }

  private queue(task: () => Promise<void>): Promise<void> {
    const next = this.registration.then(task, task);
    this.registration = next.catch(() => undefined);
    return next;
  }

  private onSocketOpen(which: 'realtime' | 'execution', reconnect: boolean): void {
    this.updateState();
    if (!reconnect || !this.loggedIn) return;
    if (which === 'realtime') {
      // Registrations live on the bridge, but a restarted bridge forgot them: replay.
      this.register().catch((error: unknown) => this.options.logger.warn({ err: String(error) }, 'kiwoom-bridge: re-registration failed'));
      void this.resyncConditions();
    } else {
      void this.reconcile();
    }
  }

  /** The codes of a live condition as the adapter knows them (initial search plus enter/exit since). */
  conditionCodes(id: string): string[] {
    return [...(this.conditionMembers.get(id) ?? [])].sort();
  }

  /**
   * After `/ws/realtime` was down, enter/exit frames may have been missed: search each live condition again and
   * publish the differences as insert/delete, so a room's history still adds up to the condition's members.
   */
  private async resyncConditions(): Promise<void> {
    for (const [id, screen] of [...this.liveConditions]) {
      try {
        const codes = new Set(await this.search(id));
        await this.rest.get('/api/conditions/start', { name: await this.nameOfCondition(id), index: id, screen });
        const known = this.conditionMembers.get(id);
        if (!known || !this.sink) continue;
        const now = Date.now();
        const publish = (code: string, action: 'insert' | 'delete') =>
          this.sink!.condition({ conditionKey: `${BROKER_ID}:${id}`, symbol: krxSymbol(code), source: BROKER_ID, ts: now, recvTs: now, action, name: null });
        for (const code of codes) if (!known.has(code)) publish(code, 'insert');
        for (const code of known) if (!codes.has(code)) publish(code, 'delete');
        this.conditionMembers.set(id, codes);
      } catch (error) {
        this.options.logger.warn({ err: String(error), id }, 'kiwoom-bridge: live condition resync failed');
      }
    }
  }

  /** After `/ws/execution` was down: working orders and a full balance over REST, for every account. */
  async reconcile(): Promise<void> {
    const sink = this.sink;
    if (!sink) return;
    this.counters.reconciliations++;
    for (const accountNo of this.accountNos) {
      const account = new KiwoomBridgeAccount({ adapter: this, accountNo, password: this.options.password ?? '', realMoney: this.options.realMoney, allowRealOrders: this.options.allowRealOrders });
      try {
        const orders = await account.openOrders();
        for (const order of orders) {
          this.filledByOrder.set(order.orderId, order.filledQty);
          sink.order(order);
        }
        sink.balance(await account.balance());
      } catch (error) {
        this.options.logger.warn({ err: String(error), accountNo }, 'kiwoom-bridge: reconciliation after reconnect failed');
      }
    }
  }

  private updateState(): void {
    if (this.stopped) return;
    if (!this.loggedIn) return;
    if (this.realtime.open && this.execution.open) this.setState('connected', null);
    else this.setState('reconnecting', 'waiting for KiwoomServer sockets /ws/realtime and /ws/execution');
  }

  private setState(state: FeedState, detail: string | null): void {
    if (this.stopped) return;
    if (state === this.current && state === 'connected') return;
    this.current = state;
    this.sink?.state(this.id, state, detail);
  }

  // ---- frames -----------------------------------------------------------------------------------------------

  private onText(socket: 'realtime' | 'execution', text: string): void {
    const recvTs = Date.now();
    const decoded = decodeFrame(text);
    if (decoded.kind === 'malformed') {
      this.counters.malformed++;
      this.options.logger.warn({ socket, reason: decoded.reason, sample: text.slice(0, 200) }, 'kiwoom-bridge: malformed frame dropped');
      return;
    }
    if (decoded.kind === 'unknown') {
      this.counters.unknownType++;
      this.options.logger.warn({ socket, type: decoded.type }, 'kiwoom-bridge: frame of unknown type dropped');
      return;
    }
    try {
      this.dispatch(decoded.frame, recvTs);
    } catch (error) {
      this.counters.malformed++;
      this.options.logger.warn({ socket, err: String(error) }, 'kiwoom-bridge: frame could not be mapped');
    }
  }

  private dispatch(frame: BridgeFrame, recvTs: number): void {
    const sink = this.sink;
    if (!sink) return;
    switch (frame.type) {
      case 'tick': {
        // {"type":"tick","code":"005930","timestamp":"20240205120000","data":{"time":"120000","current_price":70000,"diff":-500,…}}
        const symbol = krxSymbol(frame.code);
        const tick = tickFromFrame(frame.code, frame.timestamp, frame.data, recvTs);
        if (!tick) return this.countMalformed('tick without price or volume');
        this.lastPrice.set(symbol, { price: tick.price, change: tick.change, changeRate: tick.changeRate, volume: tick.cumVolume });
        if (this.desired.has(symbol)) sink.tick(tick);
        return;
      }
      case 'hoga': {
        // {"type":"hoga","code":"005930","timestamp":"20240205120001","data":{"total_ask_vol":250000,"ask_price_1":70100,…}}
        if (this.desired.has(krxSymbol(frame.code))) sink.hoga(hogaFromFrame(frame.code, frame.timestamp, frame.data, recvTs));
        return;
      }
      case 'condition': {
        // {"type":"condition","code":"005930","timestamp":"…","data":{"condition_name":"상승종목","condition_index":0,"state":"enter"}}
        const members = this.conditionMembers.get(String(frame.data.condition_index));
        if (!members) return;
        if (frame.data.state === 'enter') members.add(frame.code);
        else members.delete(frame.code);
        sink.condition(conditionFromFrame(frame.code, frame.timestamp, frame.data, recvTs));
        return;
      }
      case 'order': {
        // {"type":"order","timestamp":"20240205120003","data":{"gubun":"0","9201":"1234567890","9203":"0012345","913":"체결",…}}
        const orderId = (frame.data['9203'] ?? '').trim();
        const order = orderFromChejan(frame.data, frame.timestamp, recvTs, this.filledByOrder.get(orderId) ?? 0);
        if (!order) return this.countMalformed('order frame without account, order number, code, side or quantity');
        this.trackOrder(order);
        sink.order(order);
        return;
      }
      case 'balance': {
        // {"type":"balance","timestamp":"…","data":{"gubun":"1","9201":"…","9001":"A005930","930":"10","931":"70000",…}}
        const balance = balanceFromChejan(frame.data, frame.timestamp, recvTs);
        if (!balance) return this.countMalformed('balance frame without account or code');
        sink.balance(balance);
        return;
      }
      case 'dashboard':
        // {"type":"dashboard","timestamp":"…","data":{"AccountNo":"…","Holdings":[…],…}}: a summary for the bridge's
        // own UI; balances come from the balance frames and the REST snapshot, whose rows are documented.
        return;
    }
  }

  private trackOrder(order: Unstamped<OrderEvent>): void {
    const done = order.status === 'filled' || order.status === 'cancelled' || order.status === 'rejected' || order.status === 'replaced';
    const seen = this.knownOrders.has(order.orderId);
    // Finished orders are forgotten so the maps stay as small as the working set.
    if (done) {
      this.filledByOrder.delete(order.orderId);
      this.knownOrders.delete(order.orderId);
    } else {
      this.filledByOrder.set(order.orderId, order.filledQty);
      this.knownOrders.add(order.orderId);
    }
    if (seen) return;
    const code = order.symbol.slice(4);
    const i = this.pending.findIndex((p) => `${BROKER_ID}:${p.accountNo}` === order.accountId && p.code === code && p.side === order.side && p.qty === order.qty);
    if (i >= 0) this.pending.splice(i, 1)[0]!.resolve(order.orderId);
  }

  private countMalformed(reason: string): void {
    this.counters.malformed++;
    this.options.logger.warn({ reason }, 'kiwoom-bridge: frame dropped');
  }
}
