/**
 * One Kiwoom account as an AccountSession: kt00018 + kt00001 for the balance snapshot, ka10075 for working
 * orders, kt10000/kt10001 to place, kt10002 to modify, kt10003 to cancel. Fills and balance changes arrive as
 * REAL 00/04 on the adapter's socket, never through these return values.
 */
import type { BalanceEvent, OrderEvent, SymbolId } from '../../../lib/contracts';
import { FeedError, type Unstamped } from '../../relay/feed';
import type { AccountCapabilities, AccountSession, OrderChange, OrderRequest } from '../account-session';
import { codeFromSymbol } from './codec';
import type { KiwoomRestClient } from './rest-client';
import {
  holdingFromRow,
  HOLDINGS_KEY,
  KiwoomApiError,
  openOrderFromRow,
  OPEN_ORDERS_KEY,
  parseDeposit,
  parseOrderNumber,
  TRADE_TYPE,
  type Body,
} from './rest-codec';

/** How many order numbers we remember the symbol of (kt10003 needs stk_cd); a day of heavy trading fits. */
const ORDER_SYMBOL_MEMORY = 10_000;

export class KiwoomAccount implements AccountSession {
  readonly accountId: string;
  readonly capabilities: AccountCapabilities;
  private readonly symbolOfOrder = new Map<string, SymbolId>();
  /** False for a real-money account unless ALLOW_REAL_ORDERS=true. */
  private readonly allowOrders: boolean;

  constructor(
    readonly accountNo: string,
    private readonly rest: KiwoomRestClient,
    options: { realMoney: boolean; allowRealOrders: boolean },
  ) {
    this.accountId = `kiwoom:${accountNo}`;
    this.capabilities = { cancel: true, modify: true, realMoney: options.realMoney };
    this.allowOrders = !options.realMoney || options.allowRealOrders;
  }

  async balance(): Promise<Unstamped<BalanceEvent>> {
    const [evaluation, deposit] = await Promise.all([
      this.call('kt00018', { qry_tp: '1', dmst_stex_tp: 'KRX' }, HOLDINGS_KEY),
      this.call('kt00001', { qry_tp: '3' }),
    ]);
    const rows = Array.isArray(evaluation[HOLDINGS_KEY]) ? (evaluation[HOLDINGS_KEY] as Body[]) : [];
    const cash = parseDeposit(deposit);
    const now = Date.now();
    return {
      accountId: this.accountId,
      source: 'kiwoom',
      ts: now,
      recvTs: now,
      full: true,
      cash: { currency: 'KRW', deposit: cash.deposit, orderable: cash.orderable },
      holdings: rows.flatMap((row) => holdingFromRow(row) ?? []),
    };
  }

  async openOrders(): Promise<Unstamped<OrderEvent>[]> {
    const body = await this.call('ka10075', { all_stk_tp: '0', trde_tp: '0', stk_cd: '', stex_tp: '0' }, OPEN_ORDERS_KEY);
    const rows = Array.isArray(body[OPEN_ORDERS_KEY]) ? (body[OPEN_ORDERS_KEY] as Body[]) : [];
    const now = Date.now();
    const orders = rows.flatMap((row) => openOrderFromRow(row, this.accountId, now) ?? []);
    for (const order of orders) this.remember(order.orderId, order.symbol);
    return orders;
  }

  async placeOrder(request: OrderRequest): Promise<{ orderId: string }> {
    this.checkAllowed();
    const code = codeFromSymbol(request.symbol);
    if (!code) throw new FeedError('BAD_REQUEST', `Kiwoom trades KRX symbols only, not ${request.symbol}`);
    if (!Number.isInteger(request.qty) || request.qty <= 0) throw new FeedError('BAD_REQUEST', 'qty must be a whole number of shares above 0');
    if (request.type === 'limit' && !(request.price !== undefined && request.price > 0)) {
      throw new FeedError('BAD_REQUEST', 'a limit order needs a price above 0');
    }
    const apiId = request.side === 'buy' ? 'kt10000' : 'kt10001';
    const body = await this.call(apiId, {
      dmst_stex_tp: 'KRX',
      stk_cd: code,
      ord_qty: String(request.qty),
      ord_uv: request.type === 'limit' ? String(request.price) : '',
      trde_tp: TRADE_TYPE[request.type],
      cond_uv: '',
    });
    const orderId = parseOrderNumber(body, apiId);
    this.remember(orderId, request.symbol);
    return { orderId };
  }

  /** kt10002: a new price (and optionally fewer shares; omitted = all that remain). Resolves with the new order number. */
  async modifyOrder(orderId: string, change: OrderChange): Promise<{ orderId: string }> {
    this.checkAllowed();
    const symbol = await this.symbolOf(orderId);
    const body = await this.call('kt10002', {
      dmst_stex_tp: 'KRX',
      orig_ord_no: orderId,
      stk_cd: codeFromSymbol(symbol),
      mdfy_qty: String(change.qty ?? 0),
      mdfy_uv: String(change.price),
      mdfy_cond_uv: '',
    });
    const newId = parseOrderNumber(body, 'kt10002');
    this.remember(newId, symbol);
    return { orderId: newId };
  }

  async cancelOrder(orderId: string): Promise<void> {
    this.checkAllowed();
    const symbol = await this.symbolOf(orderId);
    const body = await this.call('kt10003', { dmst_stex_tp: 'KRX', orig_ord_no: orderId, stk_cd: codeFromSymbol(symbol), cncl_qty: '0' });
    parseOrderNumber(body, 'kt10003');
  }

  private checkAllowed(): void {
    if (!this.allowOrders) throw new FeedError('FORBIDDEN', 'orders on a real-money Kiwoom account need ALLOW_REAL_ORDERS=true');
  }

  /** kt10002/kt10003 need the code; the order may predate this process, so ask ka10075 when we do not know it. */
  private async symbolOf(orderId: string): Promise<SymbolId> {
    let symbol = this.symbolOfOrder.get(orderId);
    if (!symbol) {
      await this.openOrders();
      symbol = this.symbolOfOrder.get(orderId);
    }
    if (!symbol) throw new FeedError('NOT_FOUND', `no working order ${orderId} on ${this.accountId}`);
    return symbol;
  }

  private remember(orderId: string, symbol: SymbolId): void {
    this.symbolOfOrder.set(orderId, symbol);
    if (this.symbolOfOrder.size > ORDER_SYMBOL_MEMORY) this.symbolOfOrder.delete(this.symbolOfOrder.keys().next().value!);
  }

  /** Broker refusals become FeedErrors carrying the broker's words; transport failures say the broker is unreachable. */
  private async call(apiId: string, body: Body, listKey?: string): Promise<Body> {
    try {
      return await this.rest.call(apiId, body, listKey);
    } catch (error) {
      if (error instanceof FeedError) throw error;
      if (error instanceof KiwoomApiError) {
        throw new FeedError(error.returnCode >= 2000 || error.returnCode === 1517 || error.returnCode === 1902 ? 'BAD_REQUEST' : 'UPSTREAM_UNAVAILABLE', error.message);
      }
      throw new FeedError('UPSTREAM_UNAVAILABLE', `Kiwoom did not answer ${apiId}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
