/**
 * An Upbit account (`upbit:<access key's first 8 characters>`) as an AccountSession: balance and open orders
 * over REST, order entry and cancel. Fills and balance changes arrive as myOrder/myAsset frames on the private
 * WebSocket and flow through the adapter's sink, never through these return values.
 */
import type { BalanceEvent, OrderEvent } from '../../../lib/contracts';
import { codeOf, marketOf } from '../../../lib/contracts';
import type { AccountCapabilities, AccountSession, OrderRequest } from '../account-session';
import { FeedError, type Unstamped } from '../../relay/feed';
import type { QueryParams } from './auth';
import { numberToDecimal } from './codec';
import { balanceOfAccounts, CASH_CURRENCY, orderOfRest, type HoldingInfo } from './normalize';
import { UpbitRestClient, UpbitRestError } from './rest-client';

/** Account ids show this many characters of the access key: enough to tell keys apart, too few to matter if seen. */
export const ACCOUNT_KEY_PREFIX_CHARS = 8;

export function upbitAccountId(accessKey: string): string {
  return `upbit:${accessKey.slice(0, ACCOUNT_KEY_PREFIX_CHARS)}`;
}

/**
 * A market buy on Upbit is an amount of KRW (`ord_type: price`), not a quantity. Sise's order request has a
 * quantity, so the amount is quantity × last price, rounded up to whole won so the fill is not just short of it.
 */
function marketBuyAmount(qty: number, lastPrice: number): string {
  return String(Math.ceil(qty * lastPrice));
}

export class UpbitAccount implements AccountSession {
  readonly accountId: string;
  readonly capabilities: AccountCapabilities;
  /** Average prices and names from the last REST snapshot: myAsset frames carry neither. */
  private readonly holdingInfo = new Map<string, HoldingInfo>();

  constructor(
    private readonly rest: UpbitRestClient,
    accessKey: string,
    private readonly options: { realMoney: boolean; allowRealOrders: boolean; nameOf: (currency: string) => string; onOrderPrice: (orderId: string, price: number) => void },
  ) {
    this.accountId = upbitAccountId(accessKey);
    this.capabilities = { cancel: true, modify: false, realMoney: options.realMoney };
  }

  infoOf(currency: string): HoldingInfo | undefined {
    return this.holdingInfo.get(currency) ?? { avgPrice: '0', name: this.options.nameOf(currency) };
  }

  async balance(): Promise<Unstamped<BalanceEvent>> {
    const rows = await this.wrap('read the balance', () => this.rest.accounts());
    for (const row of rows) {
      if (row.currency !== CASH_CURRENCY) this.holdingInfo.set(row.currency, { avgPrice: row.avg_buy_price, name: this.options.nameOf(row.currency) });
    }
    return balanceOfAccounts(rows, this.accountId, Date.now(), this.options.nameOf);
  }

  async openOrders(): Promise<Unstamped<OrderEvent>[]> {
    const orders = await this.wrap('list open orders', () => this.rest.openOrders());
    const now = Date.now();
    return orders.map((order) => orderOfRest(order, this.accountId, now)).filter((e): e is Unstamped<OrderEvent> => e !== null);
  }

  async placeOrder(request: OrderRequest): Promise<{ orderId: string }> {
    if (this.options.realMoney && !this.options.allowRealOrders) {
      throw new FeedError('FORBIDDEN', 'orders on a real Upbit account need ALLOW_REAL_ORDERS=true');
    }
    if (marketOf(request.symbol) !== 'UPBIT') throw new FeedError('BAD_REQUEST', `${request.symbol} is not an Upbit market`);
    if (!(request.qty > 0)) throw new FeedError('BAD_REQUEST', 'qty must be positive');
    const market = codeOf(request.symbol);
    const side = request.side === 'buy' ? 'bid' : 'ask';
    let params: QueryParams;
    if (request.type === 'limit') {
      if (request.price === undefined || !(request.price > 0)) throw new FeedError('BAD_REQUEST', 'a limit order needs a positive price');
      params = [['market', market], ['side', side], ['volume', numberToDecimal(request.qty)], ['price', numberToDecimal(request.price)], ['ord_type', 'limit']];
    } else if (request.side === 'sell') {
      params = [['market', market], ['side', side], ['volume', numberToDecimal(request.qty)], ['ord_type', 'market']];
    } else {
      const last = await this.wrap('price the market buy', () => this.rest.lastPrice(market));
      params = [['market', market], ['side', side], ['price', marketBuyAmount(request.qty, last)], ['ord_type', 'price']];
    }
    const order = await this.wrap('place the order', () => this.rest.placeOrder(params));
    if (request.type === 'limit' && request.price !== undefined) this.options.onOrderPrice(order.uuid, request.price);
    return { orderId: order.uuid };
  }

  async cancelOrder(orderId: string): Promise<void> {
    await this.wrap('cancel the order', () => this.rest.cancelOrder(orderId));
  }

  private async wrap<T>(what: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (error instanceof FeedError) throw error;
      if (error instanceof UpbitRestError) {
        const code = error.status === 404 ? 'NOT_FOUND' : error.status === 401 ? 'UNAUTHENTICATED' : error.status >= 500 ? 'UPSTREAM_UNAVAILABLE' : 'BAD_REQUEST';
        throw new FeedError(code, `Upbit could not ${what}: ${error.message} (${error.errorName})`);
      }
      throw new FeedError('UPSTREAM_UNAVAILABLE', `Upbit could not ${what}: ${(error as Error).message}`);
    }
  }
}
