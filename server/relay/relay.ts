/**
 * The Socket.IO relay: clients ask for symbols, the relay counts interest, routes each symbol to a feed,
 * stamps seq per stream, keeps the last value per symbol and fans events out through rooms.
 */
import type { Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import {
  accountRoom,
  conditionRoom,
  parseSymbol,
  subscribeRequestSchema,
  symbolRoom,
  type Ack,
  type ApiError,
  type ClientToServerEvents,
  type InterServerEvents,
  type ServerToClientEvents,
  type SocketData,
  type SubscribeAck,
  type SubscribeItemResult,
  type SubscribeRequest,
  type SymbolId,
  type BalanceEvent,
  type ConditionEvent,
  type HogaEvent,
  type OrderEvent,
  type TickEvent,
} from '../../lib/contracts';
import type { AccountAccess } from '../accounts/account-access';
import type { Logger } from '../logger';
import { FeedError, toApiError, type FeedSink } from './feed';
import type { FeedRouter } from './feed-router';
import { InterestCounter, UNSUBSCRIBE_LINGER_MS } from './interest';
import { CandleStore } from './candle-store';
import type { ConditionSource } from './condition-provider';
import { ConditionRooms } from './condition-rooms';
import { LastValueCache } from './last-value-cache';
import { Sequencer } from './sequencer';
import { SLOW_ROOM, SlowConsumers } from './slow-consumers';
import { coalesceWritesPerTurn } from './write-coalescing';

export type SiseIo = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
type SiseSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

export interface RelayOptions {
  router: FeedRouter;
  logger: Logger;
  /** Brokers that offer condition search (조건검색), with the accounts of their logins. */
  conditionSources?: readonly ConditionSource[];
  /** Decides who may join `acct:<id>`; without it every account subscription is refused. */
  accountAccess?: AccountAccess;
  lingerMs?: number;
  subscribeTimeoutMs?: number;
  /** Packets queued for a client before its market data is conflated (SLOW_CLIENT_BACKLOG_PACKETS). */
  slowClientBacklog?: number;
}

/**
 * How long a subscribe ack waits for the feed. Feeds accept a symbol at once (it flows when the session is
 * up), so only a feed that has stopped answering takes this long; the user then sees why instead of a spinner.
 */
export const UPSTREAM_SUBSCRIBE_TIMEOUT_MS = 10_000;

/** Socket.IO's default 1 MB is far above any request we accept; a smaller cap stops abuse early. */
const MAX_HTTP_BUFFER_BYTES = 64 * 1024;
const NOOP_ACK: Ack = () => {};

/** What an in-process subscriber (the bridge-compatible API) receives: the same stamped events as a room. */
export type MarketListener = (event: TickEvent | HogaEvent) => void;
export type AccountListener = (event: OrderEvent | BalanceEvent) => void;
export type ConditionListener = (event: ConditionEvent) => void;

export interface InternalSubscription {
  /** One result per symbol asked for, once each feed has accepted or refused it. */
  readonly results: Promise<SubscribeItemResult[]>;
  /** Drops the listener and this subscription's interest (each symbol once); safe to call twice. */
  release(): void;
}

export class Relay {
  readonly sink: FeedSink;
  private readonly sequencer = new Sequencer();
  private readonly cache = new LastValueCache();
  readonly candles = new CandleStore();
  private readonly interest: InterestCounter;
  readonly conditions: ConditionRooms;
  private io: SiseIo | null = null;
  private slow: SlowConsumers | null = null;
  private readonly marketListeners = new Map<SymbolId, Set<MarketListener>>();
  private readonly accountListeners = new Set<AccountListener>();
  private readonly conditionListeners = new Set<ConditionListener>();

  constructor(private readonly options: RelayOptions) {
    const lingerMs = options.lingerMs ?? UNSUBSCRIBE_LINGER_MS;
    this.interest = new InterestCounter(options.router, options.logger, lingerMs);
    this.conditions = new ConditionRooms(options.conditionSources ?? [], options.logger, lingerMs);
    this.sink = this.createSink();
  }

  attach(httpServer: HttpServer): SiseIo {
    const io: SiseIo = new Server(httpServer, {
      serveClient: false,
      maxHttpBufferSize: MAX_HTTP_BUFFER_BYTES,
    });
    coalesceWritesPerTurn(io);
    io.on('connection', (socket) => this.onConnection(socket));
    this.slow = new SlowConsumers(() => io.of('/').sockets.values(), this.options.logger, this.options.slowClientBacklog);
    this.io = io;
    return io;
  }

  clients(): number {
    return this.io?.engine.clientsCount ?? 0;
  }

  activeSymbols(): number {
    return this.interest.activeSymbols();
  }

  /**
   * Subscribes an in-process listener to symbols through the same interest counting as Socket.IO clients: an
   * upstream registration is shared with browsers and released (after the linger) when the last holder leaves.
   * The listener gets the cached snapshot first, then live events with the symbol's seq.
   */
  subscribeInternal(symbols: readonly string[], onEvent: MarketListener): InternalSubscription {
    const held = new Set<SymbolId>();
    let released = false;
    const listen = (symbol: SymbolId) => {
      let listeners = this.marketListeners.get(symbol);
      if (!listeners) this.marketListeners.set(symbol, (listeners = new Set()));
      listeners.add(onEvent);
      for (const item of this.cache.snapshot(symbol)) onEvent(item.event);
    };
    const unlisten = (symbol: SymbolId) => {
      const listeners = this.marketListeners.get(symbol);
      listeners?.delete(onEvent);
      if (listeners?.size === 0) this.marketListeners.delete(symbol);
    };
    const drop = (symbol: SymbolId) => {
      if (!held.delete(symbol)) return;
      unlisten(symbol);
      this.interest.release(symbol);
    };
    const results = Promise.all(symbols.map((text) => this.holdSymbol(held, text, listen, unlisten))).then((list) => {
      if (released) for (const symbol of [...held]) drop(symbol);
      return list;
    });
    return {
      results,
      release: () => {
        released = true;
        for (const symbol of [...held]) drop(symbol);
      },
    };
  }

  /** Observes every account's order and balance events (stamped); returns the way to stop. */
  onAccountEvent(listener: AccountListener): () => void {
    this.accountListeners.add(listener);
    return () => this.accountListeners.delete(listener);
  }

  /** Observes every live condition's insert/delete events (stamped); returns the way to stop. */
  onConditionEvent(listener: ConditionListener): () => void {
    this.conditionListeners.add(listener);
    return () => this.conditionListeners.delete(listener);
  }

  /** The last trade the relay passed on for a symbol, if any. */
  lastTick(symbol: SymbolId): TickEvent | undefined {
    return this.cache.tick(symbol);
  }

  /** Disconnects every client and forgets interest; feeds are stopped by their owner. */
  async close(): Promise<void> {
    this.interest.clear();
    this.conditions.clear();
    this.marketListeners.clear();
    this.accountListeners.clear();
    this.conditionListeners.clear();
    this.slow?.close();
    this.slow = null;
    const io = this.io;
    this.io = null;
    if (!io) return;
    io.disconnectSockets(true);
    await new Promise<void>((resolve) => io.close(() => resolve()));
  }

  private onConnection(socket: SiseSocket): void {
    // The auth middleware ran first and set the user; only a server without auth leaves sockets anonymous.
    socket.data.userId ??= null;
    const held = new Set<SymbolId>();
    const heldConditions = new Set<string>();
    for (const status of this.options.router.statuses()) socket.emit('feed', status);

    socket.on('subscribe', (request, ack) => {
      void this.subscribe(socket, held, heldConditions, request, typeof ack === 'function' ? ack : NOOP_ACK);
    });
    socket.on('unsubscribe', (request, ack) => {
      this.unsubscribe(socket, held, heldConditions, request, typeof ack === 'function' ? ack : NOOP_ACK);
    });
    socket.on('disconnect', () => {
      for (const symbol of held) this.interest.release(symbol);
      for (const key of heldConditions) this.conditions.release(key);
      held.clear();
      heldConditions.clear();
    });
  }

  private async subscribe(socket: SiseSocket, held: Set<SymbolId>, heldConditions: Set<string>, raw: unknown, ack: Ack): Promise<void> {
    const request = parseRequest(raw);
    if ('error' in request) return ack({ results: [], error: request.error });
    const symbols = (request.symbols ?? []).map((text) => this.subscribeSymbol(socket, held, text));
    const accounts = (request.accounts ?? []).map((id) => this.subscribeAccount(socket, id));
    const conditions = (request.conditions ?? []).map((key) => this.subscribeCondition(socket, heldConditions, key));
    const [symbolResults, accountResults, conditionResults] = await Promise.all([Promise.all(symbols), Promise.all(accounts), Promise.all(conditions)]);
    ack({ results: [...symbolResults, ...accountResults, ...conditionResults] });
  }

  /**
   * Joins `acct:<id>` only for a user allowed to see the account. An unknown account and someone else's get the
   * same answer, so the refusal does not tell which account ids exist.
   */
  private async subscribeAccount(socket: SiseSocket, accountId: string): Promise<SubscribeItemResult> {
    const userId = socket.data.userId;
    const access = this.options.accountAccess;
    let allowed = false;
    try {
      allowed = userId !== null && access !== undefined && (await access.canAccess(userId, accountId));
    } catch (error) {
      this.options.logger.error({ err: String(error), accountId }, 'account access check failed');
      return refuse('account', accountId, { code: 'INTERNAL', message: 'could not check access to this account; try again' });
    }
    if (!allowed || !socket.connected) return refuse('account', accountId, { code: 'FORBIDDEN', message: `no access to account ${accountId}` });
    await socket.join(accountRoom(accountId));
    return { kind: 'account', id: accountId, ok: true };
  }

  private async subscribeCondition(socket: SiseSocket, heldConditions: Set<string>, key: string): Promise<SubscribeItemResult> {
    if (heldConditions.has(key)) return { kind: 'condition', id: key, ok: true };
    if (!(await this.mayWatchCondition(socket, key))) {
      return refuse('condition', key, { code: 'FORBIDDEN', message: `no access to condition ${key}` });
    }
    // The check awaited: the socket may have gone, or a second request for the key may have joined meanwhile.
    if (!socket.connected) return refuse('condition', key, { code: 'BAD_REQUEST', message: 'the socket disconnected' });
    if (heldConditions.has(key)) return { kind: 'condition', id: key, ok: true };
    heldConditions.add(key);
    void socket.join(conditionRoom(key));
    try {
      const members = await this.conditions.acquire(key);
      return { kind: 'condition', id: key, ok: true, members };
    } catch (error) {
      if (heldConditions.delete(key)) {
        void socket.leave(conditionRoom(key));
        this.conditions.release(key);
      }
      return refuse('condition', key, toApiError(error));
    }
  }

  /**
   * A saved condition belongs to a broker login: its hits are for users who may see one of that login's
   * accounts. An unknown key gets the same refusal. (A relay run without users — tests of the relay alone —
   * has no access rules and lets everyone watch.)
   */
  private async mayWatchCondition(socket: SiseSocket, key: string): Promise<boolean> {
    const access = this.options.accountAccess;
    if (!access) return socket.data.userId === null;
    const userId = socket.data.userId;
    if (userId === null) return false;
    try {
      for (const accountId of this.conditions.accountsOf(key)) if (await access.canAccess(userId, accountId)) return true;
    } catch (error) {
      this.options.logger.error({ err: String(error), key }, 'condition access check failed');
    }
    return false;
  }

  private subscribeSymbol(socket: SiseSocket, held: Set<SymbolId>, text: string): Promise<SubscribeItemResult> {
    return this.holdSymbol(
      held,
      text,
      (symbol) => {
        void socket.join(symbolRoom(symbol));
        for (const item of this.cache.snapshot(symbol)) {
          if (item.kind === 'tick') socket.emit('tick', item.event);
          else socket.emit('hoga', item.event);
        }
      },
      (symbol) => void socket.leave(symbolRoom(symbol)),
    );
  }

  /**
   * One holder's subscription to one symbol, for a socket or an in-process listener: validate, route, count
   * the interest, attach (which delivers the cached snapshot), then wait for the feed — detaching again if it
   * refuses or does not answer in time.
   */
  private async holdSymbol(
    held: Set<SymbolId>,
    text: string,
    attach: (symbol: SymbolId) => void,
    detach: (symbol: SymbolId) => void,
  ): Promise<SubscribeItemResult> {
    const parsed = parseSymbol(text);
    if (!parsed.ok) return refuse('symbol', text, { code: 'MALFORMED_SYMBOL', message: parsed.reason });
    const symbol = parsed.value.symbol;
    if (held.has(symbol)) return { kind: 'symbol', id: symbol, ok: true };
    const route = this.options.router.route(symbol);
    if (!route.ok) return refuse('symbol', symbol, route.error);

    // Attach and send the cached snapshot in the same turn: no live event can slip in between, so the holder
    // sees one rising seq run from the snapshot onwards.
    held.add(symbol);
    const upstream = this.interest.acquire(symbol);
    attach(symbol);
    try {
      await withTimeout(upstream, this.options.subscribeTimeoutMs ?? UPSTREAM_SUBSCRIBE_TIMEOUT_MS, () =>
        new FeedError('UPSTREAM_UNAVAILABLE', `${route.feed.id} did not accept ${symbol} in time; try again shortly`),
      );
      return { kind: 'symbol', id: symbol, ok: true };
    } catch (error) {
      if (held.delete(symbol)) {
        detach(symbol);
        this.interest.release(symbol);
      }
      return refuse('symbol', symbol, toApiError(error));
    }
  }

  private unsubscribe(socket: SiseSocket, held: Set<SymbolId>, heldConditions: Set<string>, raw: unknown, ack: Ack): void {
    const request = parseRequest(raw);
    if ('error' in request) return ack({ results: [], error: request.error });
    const results: SubscribeItemResult[] = [];
    for (const text of request.symbols ?? []) {
      const parsed = parseSymbol(text);
      if (!parsed.ok) {
        results.push(refuse('symbol', text, { code: 'MALFORMED_SYMBOL', message: parsed.reason }));
        continue;
      }
      const symbol = parsed.value.symbol;
      if (held.delete(symbol)) {
        void socket.leave(symbolRoom(symbol));
        this.interest.release(symbol);
      }
      results.push({ kind: 'symbol', id: symbol, ok: true });
    }
    for (const id of request.accounts ?? []) {
      void socket.leave(accountRoom(id));
      results.push({ kind: 'account', id, ok: true });
    }
    for (const key of request.conditions ?? []) {
      if (heldConditions.delete(key)) {
        void socket.leave(conditionRoom(key));
        this.conditions.release(key);
      }
      results.push({ kind: 'condition', id: key, ok: true });
    }
    ack({ results });
  }

  private notifyMarket(event: TickEvent | HogaEvent): void {
    const listeners = this.marketListeners.get(event.symbol);
    if (listeners) this.notify(listeners, event);
  }

  /** A listener that throws is logged; it never stops the relay or the other listeners. */
  private notify<E>(listeners: ReadonlySet<(event: E) => void>, event: E): void {
    for (const listener of [...listeners]) {
      try {
        listener(event);
      } catch (error) {
        this.options.logger.warn({ error: error instanceof Error ? error.message : error }, 'internal listener failed');
      }
    }
  }

  private createSink(): FeedSink {
    const relayed = (symbol: SymbolId, source: string) => this.interest.feedOf(symbol) === source;
    return {
      tick: (event) => {
        if (!relayed(event.symbol, event.source)) return;
        const room = symbolRoom(event.symbol);
        const stamped = { ...event, seq: this.sequencer.next(room) };
        this.cache.putTick(stamped);
        this.candles.apply(stamped);
        this.io?.to(room).except(SLOW_ROOM).emit('tick', stamped);
        this.slow?.hold(room, { kind: 'tick', event: stamped });
        this.notifyMarket(stamped);
      },
      hoga: (event) => {
        if (!relayed(event.symbol, event.source)) return;
        const room = symbolRoom(event.symbol);
        const stamped = { ...event, seq: this.sequencer.next(room) };
        this.cache.putHoga(stamped);
        this.io?.to(room).except(SLOW_ROOM).emit('hoga', stamped);
        this.slow?.hold(room, { kind: 'hoga', event: stamped });
        this.notifyMarket(stamped);
      },
      // Account and condition events are never filtered, conflated or dropped: they are emitted to their
      // room as they come, and Socket.IO's per-client buffers keep their order.
      order: (event) => {
        const room = accountRoom(event.accountId);
        const stamped = { ...event, seq: this.sequencer.next(room) };
        this.io?.to(room).emit('order', stamped);
        this.notify(this.accountListeners, stamped);
      },
      balance: (event) => {
        const room = accountRoom(event.accountId);
        const stamped = { ...event, seq: this.sequencer.next(room) };
        this.io?.to(room).emit('balance', stamped);
        this.notify(this.accountListeners, stamped);
      },
      condition: (event) => {
        this.conditions.observe(event);
        const room = conditionRoom(event.conditionKey);
        const stamped = { ...event, seq: this.sequencer.next(room) };
        this.io?.to(room).emit('condition', stamped);
        this.notify(this.conditionListeners, stamped);
      },
      state: (feed, state, detail) => {
        this.options.logger.info({ feed, state, detail }, 'feed state');
        this.options.router.noteState(feed, detail);
        this.interest.rebalance();
        for (const status of this.options.router.statuses()) this.io?.emit('feed', status);
      },
    };
  }
}

function parseRequest(raw: unknown): SubscribeRequest | { error: ApiError } {
  const parsed = subscribeRequestSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
  return {
    error: {
      code: 'BAD_REQUEST',
      message: `expected { symbols?: string[], accounts?: string[], conditions?: string[] }${where}: ${issue?.message ?? 'invalid'}`,
    },
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number, error: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(error()), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function refuse(kind: SubscribeItemResult['kind'], id: string, error: ApiError): SubscribeItemResult {
  return { kind, id, ok: false, error };
}

export type { SubscribeAck };
