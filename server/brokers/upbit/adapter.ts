/**
 * The Upbit session: one public WebSocket for ticker/trade/orderbook, one private WebSocket (JWT) for
 * myOrder/myAsset, REST for balances and orders (protocols/upbit.md).
 *
 * Upbit replaces a connection's whole subscription set with every request (§3.1), so the adapter keeps the
 * desired set and re-sends all of it on every change — changes made in the same tick go out as one request —
 * within the per-connection request budget (5/s, 100/min, §1.4), and again after every reconnect.
 */
import { randomUUID } from 'node:crypto';
import type { FeedState, Market, OrderEvent, SymbolId } from '../../../lib/contracts';
import { codeOf, marketOf, parseSymbol } from '../../../lib/contracts';
import type { Logger } from '../../logger';
import { FeedError, type Feed, type FeedSink, type Unstamped } from '../../relay/feed';
import { authorization, type UpbitCredentials } from './auth';
import { UpbitAccount } from './account';
import {
  decodeFrame,
  encodeRequest,
  orderbookCode,
  type SubscribeRequest,
  type UpbitFormat,
  type UpbitFrame,
} from './codec';
import { balanceOfMyAsset, hogaOf, orderOfMyOrder, TickMerger } from './normalize';
import { quickFrame, type QuickFrame } from './quick-fields';
import { backoffDelay, SlidingWindowLimiter, WS_CONNECT_LIMITS, WS_REQUEST_LIMITS } from './rate-limit';
import { UpbitRestClient } from './rest-client';
import { DEFAULT_SOCKET_TIMINGS, UpbitSocket, type SocketTimings } from './upbit-socket';

/** The hoga ladder shows 15 levels; asking for more only costs bandwidth (Upbit's default would be 30). */
export const ORDERBOOK_DEPTH = 15;
/** After an error frame the same set is tried again from about this long, doubling: the refusal may be passing. */
const REQUEST_RETRY_BASE_MS = 2_000;
const REQUEST_RETRY_MAX_MS = 60_000;

export interface UpbitAdapterOptions {
  /** Public quotation endpoint, e.g. `wss://api.upbit.com/websocket/v1`; the private one is this + `/private`. */
  wsUrl: string;
  /** e.g. `https://api.upbit.com`. */
  restUrl: string;
  /** Null: quotes only, no accounts. */
  credentials: UpbitCredentials | null;
  format?: UpbitFormat;
  /** The instruments this upstream lists (the simulator's universe); null accepts every well-formed Upbit code. */
  lists?: ((symbol: SymbolId) => boolean) | null;
  /** Korean name of a coin for balances (`BTC` → `비트코인`). */
  nameOf?: (currency: string) => string;
  realMoney: boolean;
  allowRealOrders: boolean;
  timings?: Partial<SocketTimings>;
  /** First retry after an error frame (tests shorten it). */
  requestRetryBaseMs?: number;
  random?: () => number;
  logger: Logger;
}

export class UpbitAdapter implements Feed {
  readonly id = 'upbit' as const;
  readonly markets: readonly Market[] = ['UPBIT'];
  readonly account: UpbitAccount | null;

  private sink: FeedSink | null = null;
  private current: FeedState = 'connecting';
  private readonly desired = new Set<string>();
  private readonly merger = new TickMerger();
  private readonly format: UpbitFormat;
  private readonly timings: SocketTimings;
  private readonly connectLimiter = new SlidingWindowLimiter(WS_CONNECT_LIMITS);
  private readonly requestLimiter = new SlidingWindowLimiter(WS_REQUEST_LIMITS);
  private publicSocket: UpbitSocket | null = null;
  private privateSocket: UpbitSocket | null = null;
  private resendQueued = false;
  private resendTimer: NodeJS.Timeout | null = null;
  private requestErrors = 0;
  /** Limit prices of working orders: myOrder fill frames carry the fill price instead (§4.5). */
  private readonly limitPrices = new Map<string, number>();
  private readonly rest: UpbitRestClient | null;

  /** Requests sent on the public connection, for tests and diagnostics. */
  requestsSent = 0;

  constructor(private readonly options: UpbitAdapterOptions) {
    this.format = options.format ?? 'DEFAULT';
    this.timings = { ...DEFAULT_SOCKET_TIMINGS, ...options.timings };
    this.rest = options.credentials ? new UpbitRestClient(options.restUrl, options.credentials) : null;
    this.account =
      options.credentials && this.rest
        ? new UpbitAccount(this.rest, options.credentials.accessKey, {
            realMoney: options.realMoney,
            allowRealOrders: options.allowRealOrders,
            nameOf: options.nameOf ?? ((c) => c),
            onOrderPrice: (orderId, price) => this.limitPrices.set(orderId, price),
          })
        : null;
  }

  /** Where events go; start() sets it. Alone, it lets recorded frames be replayed through ingest() offline. */
  attachSink(sink: FeedSink): void {
    this.sink = sink;
  }

  async start(sink: FeedSink): Promise<void> {
    this.attachSink(sink);
    this.setState('connecting', `connecting to ${this.options.wsUrl}`);
    this.publicSocket = new UpbitSocket({
      name: 'public',
      url: this.options.wsUrl,
      headers: async () => ({}),
      timings: this.timings,
      connectLimiter: this.connectLimiter,
      random: this.options.random,
      onOpen: () => {
        this.requestLimiter.reset();
        this.setState('connected', null);
        this.flush();
      },
      onMessage: (data, recvTs) => this.ingest(data, recvTs),
      onDown: (detail, retryInMs) => this.setState('reconnecting', `${detail}; retrying in ${(retryInMs / 1000).toFixed(1)} s`),
    });
    this.publicSocket.start();
    const credentials = this.options.credentials;
    if (credentials && this.account) {
      this.privateSocket = new UpbitSocket({
        name: 'private',
        url: `${this.options.wsUrl}/private`,
        headers: async () => ({ authorization: await authorization(credentials) }),
        timings: this.timings,
        connectLimiter: this.connectLimiter,
        random: this.options.random,
        onOpen: () => this.onPrivateOpen(),
        onMessage: (data, recvTs) => this.onPrivate(data, recvTs),
        onDown: (detail, retryInMs) => this.report(`${detail}; retrying in ${(retryInMs / 1000).toFixed(1)} s`),
      });
      this.privateSocket.start();
    }
  }

  async stop(): Promise<void> {
    if (this.resendTimer) clearTimeout(this.resendTimer);
    this.resendTimer = null;
    await Promise.all([this.publicSocket?.stop(), this.privateSocket?.stop()]);
    this.publicSocket = null;
    this.privateSocket = null;
    this.desired.clear();
    this.setState('down', 'stopped');
  }

  state(): FeedState {
    return this.current;
  }

  knows(symbol: SymbolId): boolean {
    const parsed = parseSymbol(symbol);
    if (!parsed.ok || parsed.value.market !== 'UPBIT') return false;
    return this.options.lists ? this.options.lists(parsed.value.symbol) : true;
  }

  async subscribe(symbol: SymbolId): Promise<void> {
    if (!this.knows(symbol)) {
      throw new FeedError('UNKNOWN_SYMBOL', marketOf(symbol) === 'UPBIT' ? `Upbit does not list ${codeOf(symbol)}` : `${symbol} is not an Upbit market`);
    }
    const code = codeOf(symbol);
    if (this.desired.has(code)) return;
    this.desired.add(code);
    this.queueResend();
  }

  async unsubscribe(symbol: SymbolId): Promise<void> {
    const code = codeOf(symbol);
    if (!this.desired.delete(code)) return;
    this.merger.forget(code);
    this.queueResend();
  }

  /** The codes whose quotes are wanted now. */
  subscribedCodes(): string[] {
    return [...this.desired];
  }

  /** Drops both connections as a network failure would (tests, fault drills). */
  dropConnections(): void {
    this.publicSocket?.drop();
    this.privateSocket?.drop();
  }

  /** The full set as one request: ticker and trade make the tick, orderbook the hoga (§3). */
  buildRequest(): SubscribeRequest {
    const codes = [...this.desired].sort();
    return {
      ticket: randomUUID(),
      types: [
        { type: 'ticker', codes },
        { type: 'trade', codes },
        { type: 'orderbook', codes: codes.map((code) => orderbookCode(code, ORDERBOOK_DEPTH)) },
      ],
      format: this.format,
    };
  }

  /** Coalesces every change made in this tick (a page subscribing 20 symbols at once) into one request. */
  private queueResend(): void {
    if (this.resendQueued) return;
    this.resendQueued = true;
    setImmediate(() => {
      this.resendQueued = false;
      this.flush();
    });
  }

  /**
   * Sends the current set if the connection is up and the request budget allows; otherwise waits for the budget
   * (the set may change meanwhile: only the latest goes out). A closed connection sends it on open.
   */
  private flush(): void {
    if (!this.publicSocket?.isOpen || this.resendTimer) return;
    // An empty set cannot be said (codes are required); frames of dropped codes are filtered until the next set.
    if (this.desired.size === 0) return;
    const wait = this.requestLimiter.delay();
    if (wait > 0) {
      this.resendTimer = setTimeout(() => {
        this.resendTimer = null;
        this.flush();
      }, wait);
      return;
    }
    this.requestLimiter.tryTake();
    if (this.publicSocket.send(encodeRequest(this.buildRequest()))) this.requestsSent++;
  }

  /**
   * Handles one frame of the public connection: decode, map, publish. Public so recorded frames can be replayed
   * through exactly the code a live socket runs (the benchmark does).
   */
  ingest(data: Buffer, recvTs: number): void {
    const text = data.toString('utf8');
    // Tickers, trades and books are nearly every frame; their fields are read without building the whole object.
    const quick = quickFrame(text);
    if (quick) return this.handleQuick(quick, recvTs);
    const decoded = decodeFrame(text);
    if (!decoded.ok) {
      this.options.logger.warn({ reason: decoded.reason }, 'upbit: unreadable public frame ignored');
      this.report(`an unreadable frame from Upbit was ignored (${decoded.reason})`);
      return;
    }
    for (const frame of decoded.frames) this.handlePublic(frame, recvTs);
  }

  /**
   * A ticker, trade or orderbook read by the quick path:
   * {"type":"trade","code":"KRW-BTC","timestamp":1730336862082,…,"trade_price":100473000,"trade_volume":0.00014208,"ask_bid":"BID",…}
   * {"ty":"ticker","cd":"KRW-ETH","op":37249,"hp":37645,"lp":36732,"tp":36929,…,"atv":0.149474,…}
   * {"type":"orderbook","code":"KRW-BTC","timestamp":…,"orderbook_units":[{"ask_price":…,"bid_price":…,"ask_size":…,"bid_size":…},…],…}
   */
  private handleQuick(frame: QuickFrame, recvTs: number): void {
    this.requestErrors = 0;
    if (!this.sink || !this.desired.has(frame.code)) return;
    if (frame.type === 'ticker') {
      this.merger.ticker(frame);
    } else if (frame.type === 'trade') {
      const tick = this.merger.tick(frame, recvTs);
      if (tick) this.sink.tick(tick);
    } else {
      const hoga = hogaOf(frame, recvTs);
      if (hoga) this.sink.hoga(hoga);
    }
  }

  private handlePublic(frame: UpbitFrame, recvTs: number): void {
    const sink = this.sink;
    if (!sink) return;
    switch (frame.type) {
      // {"type":"ticker","code":"KRW-ETH","opening_price":37249,…,"acc_trade_volume":0.149474,…,"stream_type":"SNAPSHOT"}
      case 'ticker':
        if (this.desired.has(frame.code)) this.merger.ticker(frame);
        this.requestErrors = 0;
        return;
      // {"type":"trade","code":"KRW-BTC","timestamp":1730336862082,…,"trade_price":100473000,"sequential_id":17303368620470000,…}
      case 'trade': {
        this.requestErrors = 0;
        if (!this.desired.has(frame.code)) return;
        const tick = this.merger.tick(frame, recvTs);
        if (tick) sink.tick(tick);
        return;
      }
      // {"type":"orderbook","code":"KRW-BTC","timestamp":…,"total_ask_size":…,"orderbook_units":[{"ask_price":…},…],"level":0,…}
      case 'orderbook': {
        this.requestErrors = 0;
        if (!this.desired.has(frame.code)) return;
        const hoga = hogaOf(frame, recvTs);
        if (hoga) sink.hoga(hoga);
        return;
      }
      // {"error":{"name":"NO_CODES","message":"…"}}: the set was refused; keep it and try again after a backoff.
      case 'error': {
        const wait = backoffDelay(this.requestErrors++, this.options.requestRetryBaseMs ?? REQUEST_RETRY_BASE_MS, REQUEST_RETRY_MAX_MS, this.options.random);
        this.options.logger.warn({ error: frame.name, message: frame.message }, 'upbit refused a subscription request');
        this.report(`Upbit refused the subscription request: ${frame.name}${frame.message ? ` (${frame.message})` : ''}; retrying in ${(wait / 1000).toFixed(1)} s`);
        if (this.resendTimer) clearTimeout(this.resendTimer);
        this.resendTimer = setTimeout(() => {
          this.resendTimer = null;
          this.flush();
        }, wait);
        return;
      }
      // {"status":"UP"}: the answer to our keep-alive PING; receiving it is all the socket needed.
      case 'status':
      case 'listSubscriptions':
      case 'unknown':
        return;
      default:
        this.options.logger.debug({ type: frame.type }, 'upbit: private frame on the public connection ignored');
    }
  }

  private onPrivateOpen(): void {
    // myOrder and myAsset in one request: separate requests would replace each other (ccxt PR #27219).
    const request: SubscribeRequest = { ticket: randomUUID(), types: [{ type: 'myOrder' }, { type: 'myAsset' }], format: this.format };
    this.privateSocket?.send(encodeRequest(request));
    void this.reconcile();
  }

  /** After every (re)connect: what may have been missed while the private stream was down, from REST. */
  private async reconcile(): Promise<void> {
    const account = this.account;
    const sink = this.sink;
    if (!account || !sink) return;
    try {
      sink.balance(await account.balance());
      for (const order of await account.openOrders()) {
        if (order.price !== null) this.limitPrices.set(order.orderId, order.price);
        sink.order(order);
      }
    } catch (error) {
      this.report(`could not reconcile the Upbit account over REST: ${(error as Error).message}`);
    }
  }

  private onPrivate(data: Buffer, recvTs: number): void {
    const decoded = decodeFrame(data);
    if (!decoded.ok) {
      this.options.logger.warn({ reason: decoded.reason }, 'upbit: unreadable private frame ignored');
      this.report(`an unreadable private frame from Upbit was ignored (${decoded.reason})`);
      return;
    }
    for (const frame of decoded.frames) this.handlePrivate(frame, recvTs);
  }

  private handlePrivate(frame: UpbitFrame, recvTs: number): void {
    const sink = this.sink;
    const account = this.account;
    if (!sink || !account) return;
    switch (frame.type) {
      // {"type":"myOrder","code":"KRW-BTC","uuid":"017f6e91-…","ask_bid":"BID","order_type":"price","state":"wait",…}
      case 'myOrder': {
        const known = this.limitPrices.get(frame.uuid) ?? null;
        const event: Unstamped<OrderEvent> | null = orderOfMyOrder(frame, account.accountId, recvTs, known, this.merger.lastPrice(frame.code));
        if (frame.state === 'wait' && frame.order_type === 'limit' && typeof frame.price === 'number') this.limitPrices.set(frame.uuid, frame.price);
        if (frame.state === 'done' || frame.state === 'cancel' || frame.state === 'prevented') this.limitPrices.delete(frame.uuid);
        if (event) sink.order(event);
        else {
          this.options.logger.warn({ uuid: frame.uuid, state: frame.state }, 'upbit: myOrder frame without a usable size');
          this.report(`an order update for ${frame.code} had no usable size and was skipped; the next balance and order reconciliation covers it`);
        }
        return;
      }
      // {"type":"myAsset","asset_uuid":"e635f223-…","assets":[{"currency":"SGD","balance":1386929.37231066771348207123,"locked":…}],…}
      case 'myAsset':
        sink.balance(balanceOfMyAsset(frame, account.accountId, recvTs, (currency) => account.infoOf(currency)));
        return;
      // {"error":{"name":"INVALID_AUTH","message":"인증 정보가 올바르지 않습니다."}}
      case 'error':
        this.options.logger.warn({ error: frame.name }, 'upbit refused the private stream');
        this.report(
          frame.name === 'INVALID_AUTH'
            ? 'Upbit refused the API key for the private stream (INVALID_AUTH): check UPBIT_ACCESS_KEY, UPBIT_SECRET_KEY and the key\'s permissions'
            : `Upbit refused the private subscription: ${frame.name}${frame.message ? ` (${frame.message})` : ''}`,
        );
        // The server closes after INVALID_AUTH; if it does not, dropping makes the socket retry with a fresh token.
        if (frame.name === 'INVALID_AUTH') this.privateSocket?.drop();
        return;
      default:
        return;
    }
  }

  private setState(state: FeedState, detail: string | null): void {
    this.current = state;
    this.sink?.state(this.id, state, detail);
  }

  /** A problem worth telling users about that does not change the feed's state. */
  private report(detail: string): void {
    this.sink?.state(this.id, this.current, detail);
  }
}
