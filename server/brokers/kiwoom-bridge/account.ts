/**
 * One bridge account as an AccountSession: balance (OPW00018 + OPW00001), open orders (OPT10075) and order entry
 * over the bridge's REST routes. The bridge returns no order number and always sends an empty original-order
 * argument, so cancel and modify cannot be addressed (§8.1); this session says so instead of pretending.
 */
import type { BalanceEvent, OrderEvent } from '../../../lib/contracts';
import { FeedError, type Unstamped } from '../../relay/feed';
import type { AccountCapabilities, AccountSession, OrderRequest } from '../account-session';
import type { KiwoomBridgeAdapter } from './adapter';
import { isRecord } from './codec';
import { balanceFromRows, BROKER_ID, ordersFromRows } from './normalize';

/** OpenAPI+ SendOrder OrderType: 1 신규매수, 2 신규매도 (§8.1). */
const ORDER_TYPE = { buy: 1, sell: 2 } as const;
/** OpenAPI+ 거래구분 (QuoteType): 00 지정가, 03 시장가. */
const QUOTE_TYPE = { limit: '00', market: '03' } as const;

export interface KiwoomBridgeAccountOptions {
  adapter: KiwoomBridgeAdapter;
  accountNo: string;
  password: string;
  realMoney: boolean;
  allowRealOrders: boolean;
}

export class KiwoomBridgeAccount implements AccountSession {
  readonly accountId: string;
  readonly capabilities: AccountCapabilities;

  constructor(private readonly options: KiwoomBridgeAccountOptions) {
    this.accountId = `${BROKER_ID}:${options.accountNo}`;
    this.capabilities = { cancel: false, modify: false, realMoney: options.realMoney };
  }

  async balance(): Promise<Unstamped<BalanceEvent>> {
    const query = { accountNo: this.options.accountNo, pass: this.options.password };
    const rows = await this.options.adapter.rest.get('/api/accounts/balance', query);
    const deposit = await this.options.adapter.rest.get('/api/accounts/deposit', query);
    return balanceFromRows(this.options.accountNo, records(rows), records(deposit), Date.now());
  }

  async openOrders(): Promise<Unstamped<OrderEvent>[]> {
    const rows = await this.options.adapter.rest.get('/api/accounts/orders', { accountNo: this.options.accountNo, code: '' });
    return ordersFromRows(this.options.accountNo, records(rows), Date.now());
  }

  async placeOrder(request: OrderRequest): Promise<{ orderId: string }> {
    if (this.options.realMoney && !this.options.allowRealOrders) {
      throw new FeedError('FORBIDDEN', 'Orders through KiwoomServer move real money; set ALLOW_REAL_ORDERS=true to allow them');
    }
    const code = /^KRX:(\d{6})$/.exec(request.symbol)?.[1];
    if (!code) throw new FeedError('UNKNOWN_SYMBOL', `KiwoomServer trades KRX stocks only, not ${request.symbol}`);
    if (!Number.isInteger(request.qty) || request.qty <= 0) throw new FeedError('BAD_REQUEST', 'Quantity must be a whole number of shares above 0');
    if (request.type === 'limit' && !(request.price !== undefined && request.price > 0)) {
      throw new FeedError('BAD_REQUEST', 'A limit order needs a price above 0');
    }
    const body = {
      AccountNo: this.options.accountNo,
      StockCode: code,
      OrderType: ORDER_TYPE[request.side],
      Quantity: request.qty,
      Price: request.type === 'limit' ? request.price : 0,
      QuoteType: QUOTE_TYPE[request.type],
    };
    const orderId = await this.options.adapter.sendOrder(body, this.options.accountNo, code, request.side, request.qty);
    return { orderId };
  }

  async cancelOrder(_orderId: string): Promise<void> {
    throw new FeedError(
      'NOT_SUPPORTED',
      'KiwoomServer cannot cancel or modify orders: its order route returns no order number and always sends an empty original order number; cancel in Kiwoom HTS/MTS instead',
    );
  }
}

function records(data: unknown): Array<Record<string, unknown>> {
  return Array.isArray(data) ? data.filter(isRecord) : [];
}
