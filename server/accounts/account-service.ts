/**
 * What the HTTP API does with broker accounts, for one signed-in user at a time: list them, read a balance, the
 * working orders and today's fills, place and cancel orders, and share an account. Every call checks access first
 * and answers FORBIDDEN for an account the user may not see, whether or not it exists, so nobody can probe
 * another user's account ids.
 *
 *   const accounts = new AccountService({ directory, access, shares, journal, relay, instruments, allowRealOrders, logger });
 *   await accounts.placeOrder(user, { accountId: 'kis:50012345-01', symbol: 'KRX:005930', side: 'buy', type: 'limit', qty: 1, price: 72300 });
 */
import type { BrokerId, Market, SessionUser } from '../../lib/contracts';
import {
  modifyOrderSchema,
  placeOrderSchema,
  shareRequestSchema,
  type AccountShare,
  type AccountSummary,
  type AccountsService,
  type BalanceSnapshot,
  type FillsSnapshot,
  type OpenOrdersSnapshot,
} from '../../lib/contracts/accounts';
import type { InstrumentDirectory } from '../../lib/contracts/services';
import { formatPrice } from '../../lib/format/number';
import { SiseError } from '../errors';
import type { Logger } from '../logger';
import { gridFor, isValidQty } from '../market/price-grid';
import { FeedError } from '../relay/feed';
import type { Relay } from '../relay/relay';
import type { AccountAccessService } from './account-access-service';
import { canShareEntry } from './account-access-service';
import type { AccountDirectory, AccountEntry } from './account-directory';
import type { AccountShareRepository } from './account-share-repository';
import type { FillJournal } from './fill-journal';
import { zodMessage } from '../zod-message';

/** The market whose instruments each broker's accounts trade. */
const BROKER_MARKET: Record<BrokerId, Market> = {
  kis: 'KRX',
  kiwoom: 'KRX',
  'kiwoom-bridge': 'KRX',
  upbit: 'UPBIT',
  bo: 'BO',
  sim: 'KRX',
};

export const REAL_ORDERS_REFUSED =
  'this account trades real money, and this server refuses real-money orders unless it is started with ALLOW_REAL_ORDERS=true';

export interface AccountServiceOptions {
  directory: AccountDirectory;
  access: AccountAccessService;
  shares: AccountShareRepository;
  journal: FillJournal;
  relay: Pick<Relay, 'onAccountEvent'>;
  instruments: InstrumentDirectory;
  /** ALLOW_REAL_ORDERS. */
  allowRealOrders: boolean;
  logger: Logger;
  /** Called when a user loses access to an account, so their open sockets leave its room at once. */
  onAccessRevoked?: (accountId: string, userId: string) => void;
}

export class AccountService implements AccountsService {
  /** The last seq the relay stamped per account stream: snapshots carry it so clients can line events up. */
  private readonly lastSeq = new Map<string, number>();
  private readonly stopObserving: () => void;

  constructor(private readonly options: AccountServiceOptions) {
    this.stopObserving = options.relay.onAccountEvent((event) => {
      this.lastSeq.set(event.accountId, event.seq);
      options.journal.observe(event);
    });
  }

  /** Stops observing events and waits for the fills already observed to be written. */
  async close(): Promise<void> {
    this.stopObserving();
    await this.options.journal.settled();
  }

  async list(user: SessionUser): Promise<AccountSummary[]> {
    const ids = await this.options.access.visibleAccountIds(user.id);
    return ids.flatMap((id) => {
      const entry = this.options.directory.get(id);
      return entry ? [this.summary(entry, user)] : [];
    });
  }

  visibleAccountIds(user: SessionUser): Promise<string[]> {
    return this.options.access.visibleAccountIds(user.id);
  }

  async assertAccess(user: SessionUser, accountId: string): Promise<void> {
    await this.entryFor(user, accountId);
  }

  async balance(user: SessionUser, accountId: string): Promise<BalanceSnapshot> {
    const entry = await this.entryFor(user, accountId);
    const seq = this.seqOf(accountId);
    const balance = await this.upstream(entry, 'balance', () => entry.session.balance());
    return { accountId, seq, balance };
  }

  async openOrders(user: SessionUser, accountId: string): Promise<OpenOrdersSnapshot> {
    const entry = await this.entryFor(user, accountId);
    const seq = this.seqOf(accountId);
    const orders = await this.upstream(entry, 'open orders', () => entry.session.openOrders());
    return { accountId, seq, orders };
  }

  async fillsToday(user: SessionUser, accountId: string): Promise<FillsSnapshot> {
    await this.entryFor(user, accountId);
    const seq = this.seqOf(accountId);
    const { fills, since } = await this.options.journal.today(accountId);
    return { accountId, seq, fills, since };
  }

  async placeOrder(user: SessionUser, body: unknown): Promise<{ orderId: string }> {
    // The account first, so a user learns nothing about an account that is not theirs from validation messages.
    const accountId = (body as { accountId?: unknown } | null)?.accountId;
    if (typeof accountId !== 'string' || accountId.length === 0) {
      throw new SiseError('BAD_REQUEST', 'expected { accountId, symbol, side: "buy"|"sell", type: "limit"|"market", qty, price? }: accountId is missing');
    }
    const entry = await this.entryFor(user, accountId);

    const parsed = placeOrderSchema.safeParse(body);
    if (!parsed.success) throw new SiseError('BAD_REQUEST', zodMessage(parsed.error));
    const order = parsed.data;
    const market = BROKER_MARKET[entry.broker];
    const symbolMarket = order.symbol.slice(0, order.symbol.indexOf(':')) as Market;
    if (symbolMarket !== market) throw new SiseError('BAD_REQUEST', `${entry.label} trades ${market} instruments; ${order.symbol} is not one`);
    if (!this.options.instruments.get(order.symbol)) throw new SiseError('UNKNOWN_SYMBOL', `${order.symbol} is not a listed instrument`);

    checkOnGrid(market, order.qty, order.price);
    this.assertOrdersAllowed(entry);

    const request = { symbol: order.symbol, side: order.side, type: order.type, qty: order.qty, ...(order.price === undefined ? {} : { price: order.price }) };
    const result = await this.upstream(entry, 'order', () => entry.session.placeOrder(request));
    this.options.logger.info({ accountId, orderId: result.orderId, userId: user.id, ...request }, 'order placed');
    return result;
  }

  async cancelOrder(user: SessionUser, accountId: string, orderId: string): Promise<void> {
    const entry = await this.entryFor(user, accountId);
    if (orderId.length === 0 || orderId.length > 120) throw new SiseError('BAD_REQUEST', 'expected an order id');
    if (!entry.session.capabilities.cancel) {
      throw new SiseError('NOT_SUPPORTED', `${entry.label} cannot cancel orders through Sise (the broker gives no way to address an order)`);
    }
    this.assertOrdersAllowed(entry);
    await this.upstream(entry, 'cancel', () => entry.session.cancelOrder(orderId));
    this.options.logger.info({ accountId, orderId, userId: user.id }, 'order cancel sent');
  }

  /**
   * 정정: a new limit price (and optionally fewer shares) for a working order, checked like a new order (the
   * instrument's tick grid, the real-money rule) before the broker sees it.
   */
  async modifyOrder(user: SessionUser, accountId: string, orderId: string, body: unknown): Promise<{ orderId: string }> {
    const entry = await this.entryFor(user, accountId);
    if (orderId.length === 0 || orderId.length > 120) throw new SiseError('BAD_REQUEST', 'expected an order id');
    const parsed = modifyOrderSchema.safeParse(body);
    if (!parsed.success) throw new SiseError('BAD_REQUEST', 'expected { price, qty? }: the new limit price and, to reduce it, the new quantity');
    const modify = entry.session.modifyOrder?.bind(entry.session);
    if (!entry.session.capabilities.modify || !modify) {
      throw new SiseError('NOT_SUPPORTED', `${entry.label} cannot modify orders through Sise: cancel it and place a new one`);
    }
    this.assertOrdersAllowed(entry);
    const working = (await this.upstream(entry, 'open orders', () => entry.session.openOrders())).find((order) => order.orderId === orderId);
    if (!working) throw new SiseError('NOT_FOUND', `order ${orderId} is not working on ${accountId} (filled, cancelled, or never placed)`);
    if (working.type !== 'limit') throw new SiseError('BAD_REQUEST', 'only limit orders have a price to change');
    const change = parsed.data;
    if (change.qty !== undefined && change.qty > working.remainingQty) {
      throw new SiseError('BAD_REQUEST', `qty ${change.qty} is more than the ${working.remainingQty} still working; place a new order for more`);
    }
    checkOnGrid(BROKER_MARKET[entry.broker], change.qty, change.price);
    const result = await this.upstream(entry, 'modify', () => modify(orderId, change));
    this.options.logger.info({ accountId, orderId, newOrderId: result.orderId, userId: user.id, ...change }, 'order modify sent');
    return result;
  }

  async shares(user: SessionUser, accountId: string): Promise<AccountShare[]> {
    await this.shareableEntryFor(user, accountId);
    return this.options.shares.list(accountId);
  }

  async share(user: SessionUser, accountId: string, body: unknown): Promise<AccountShare> {
    const entry = await this.shareableEntryFor(user, accountId);
    const parsed = shareRequestSchema.safeParse(body);
    if (!parsed.success) throw new SiseError('BAD_REQUEST', 'expected { email }: the address of the Sise user to share with');
    if (parsed.data.email.toLowerCase() === user.email.toLowerCase()) throw new SiseError('BAD_REQUEST', 'you already see this account');
    const target = await this.options.shares.findUser(parsed.data.email);
    if (!target) throw new SiseError('NOT_FOUND', `no Sise user has the address ${parsed.data.email}; the admin creates users first`);
    if (entry.ownerUserId === target.id) throw new SiseError('BAD_REQUEST', `${target.email} owns this account`);
    const share = await this.options.shares.add(accountId, target.id, user.id);
    this.options.logger.info({ accountId, sharedWith: target.id, by: user.id }, 'account shared');
    return share;
  }

  async unshare(user: SessionUser, accountId: string, userId: string): Promise<void> {
    await this.shareableEntryFor(user, accountId);
    if (!(await this.options.shares.remove(accountId, userId))) throw new SiseError('NOT_FOUND', 'this account is not shared with that user');
    // An admin still sees an environment account without the share; anyone else stops seeing it now.
    if (!(await this.options.access.canAccess(userId, accountId))) this.options.onAccessRevoked?.(accountId, userId);
    this.options.logger.info({ accountId, unsharedWith: userId, by: user.id }, 'account unshared');
  }

  private summary(entry: AccountEntry, user: SessionUser): AccountSummary {
    const { realMoney, cancel, modify } = entry.session.capabilities;
    const ordersAllowed = !realMoney || this.options.allowRealOrders;
    return {
      id: entry.session.accountId,
      broker: entry.broker,
      label: entry.label,
      market: BROKER_MARKET[entry.broker],
      capabilities: { cancel, modify },
      realMoney,
      ordersAllowed,
      ordersRefusedReason: ordersAllowed ? null : REAL_ORDERS_REFUSED,
      owned: entry.ownerUserId === user.id,
      canShare: canShareEntry(entry, user.id, user.role),
    };
  }

  /** Real-money accounts take orders, cancels and modifies only when the server runs with ALLOW_REAL_ORDERS=true. */
  private assertOrdersAllowed(entry: AccountEntry): void {
    if (entry.session.capabilities.realMoney && !this.options.allowRealOrders) throw new SiseError('FORBIDDEN', REAL_ORDERS_REFUSED);
  }

  private seqOf(accountId: string): number {
    return this.lastSeq.get(accountId) ?? 0;
  }

  private async entryFor(user: SessionUser, accountId: string): Promise<AccountEntry> {
    const entry = this.options.directory.get(accountId);
    if (!entry || !(await this.options.access.canAccess(user.id, accountId))) {
      throw new SiseError('FORBIDDEN', `account ${accountId} is not yours, was not shared with you, or does not exist`);
    }
    return entry;
  }

  private async shareableEntryFor(user: SessionUser, accountId: string): Promise<AccountEntry> {
    const entry = await this.entryFor(user, accountId);
    if (!(await this.options.access.canShare(user.id, accountId))) {
      throw new SiseError('FORBIDDEN', 'only the account\'s owner (or an admin, for accounts configured on the server) may share it');
    }
    return entry;
  }

  /**
   * A broker call with its errors made fit for the API: a broker's refusal (FeedError) keeps its code and words;
   * anything else (a dropped connection, a timeout) is the broker being unavailable, named as such.
   */
  private async upstream<T>(entry: AccountEntry, what: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (error instanceof FeedError || error instanceof SiseError) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      this.options.logger.warn({ accountId: entry.session.accountId, what, reason }, 'broker call failed');
      throw new SiseError('UPSTREAM_UNAVAILABLE', `${entry.label}: the broker did not answer the ${what} request (${reason}); try again shortly`);
    }
  }
}

/** Quantity on the market's lot and price on its tick grid, or a BAD_REQUEST that names the nearest valid prices. */
function checkOnGrid(market: Market, qty: number | undefined, price: number | undefined): void {
  const grid = gridFor(market);
  if (qty !== undefined && !isValidQty(grid, qty)) {
    throw new SiseError('BAD_REQUEST', grid.qtyDecimals === 0 ? `qty must be a whole number of shares, got ${qty}` : `qty allows at most ${grid.qtyDecimals} decimals, got ${qty}`);
  }
  if (price !== undefined && !grid.isOnGrid(price)) {
    const below = grid.round(price, 'down');
    const above = grid.round(price, 'up');
    throw new SiseError(
      'BAD_REQUEST',
      `price ${formatPrice(price)} is not on the ${market} price grid (tick ${formatPrice(grid.tickSize(price))} there): use ${formatPrice(below)} or ${formatPrice(above)}`,
    );
  }
}
