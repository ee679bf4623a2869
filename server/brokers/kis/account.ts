/**
 * One KIS account as an AccountSession: inquire-balance with every page, order-cash, cancel through
 * order-rvsecncl, and working orders from inquire-psbl-rvsecncl (§6). Real and paper (모의) services differ
 * only in tr_id prefixes (T… / V…).
 */
import type { BalanceEvent, Holding, OrderEvent, SymbolId } from '../../../lib/contracts';
import { codeOf, marketOf } from '../../../lib/contracts';
import type { AccountCapabilities, AccountSession, OrderRequest } from '../account-session';
import { FeedError, type Unstamped } from '../../relay/feed';
import type { KisRestClient } from './rest-client';

/** Guard against a server that always says "more": 100 pages is 5,000 holdings on the real service. */
export const BALANCE_MAX_PAGES = 100;
const DECIMAL = /^-?\d+(\.\d+)?$/;

export interface KisAccountOptions {
  rest: KisRestClient;
  /** `50012345-01`. */
  account: string;
  /** 모의투자: V-prefixed tr_ids. */
  paper: boolean;
  /** Real money and ALLOW_REAL_ORDERS is not true: orders are refused here. */
  ordersAllowed: boolean;
  now?: () => number;
}

export class KisAccountSession implements AccountSession {
  readonly accountId: string;
  readonly capabilities: AccountCapabilities;
  private readonly cano: string;
  private readonly product: string;
  private readonly now: () => number;
  /** KRX_FWDG_ORD_ORGNO of each order placed here: order-rvsecncl wants it back. */
  private readonly branchOf = new Map<string, string>();

  constructor(private readonly options: KisAccountOptions) {
    const [cano, product] = options.account.split('-') as [string, string];
    this.cano = cano;
    this.product = product;
    this.accountId = `kis:${options.account}`;
    this.capabilities = { cancel: true, modify: false, realMoney: !options.paper };
    this.now = options.now ?? Date.now;
  }

  private tr(real: string): string {
    return this.options.paper ? `V${real.slice(1)}` : real;
  }

  async balance(): Promise<Unstamped<BalanceEvent>> {
    const holdings: Holding[] = [];
    let cash: BalanceEvent['cash'] = null;
    let fk = '';
    let nk = '';
    for (let page = 0; page < BALANCE_MAX_PAGES; page++) {
      const { body, trCont } = await this.options.rest.call('GET', '/uapi/domestic-stock/v1/trading/inquire-balance', {
        trId: this.tr('TTTC8434R'),
        trCont: page === 0 ? '' : 'N',
        query: {
          CANO: this.cano, ACNT_PRDT_CD: this.product, AFHR_FLPR_YN: 'N', OFL_YN: '', INQR_DVSN: '02', UNPR_DVSN: '01',
          FUND_STTL_ICLD_YN: 'N', FNCG_AMT_AUTO_RDPT_YN: 'N', PRCS_DVSN: '00', CTX_AREA_FK100: fk, CTX_AREA_NK100: nk,
        },
      });
      ensureOk(body, 'balance inquiry');
      for (const row of arrayOf(body.output1)) {
        const holding = holdingOf(row);
        if (holding) holdings.push(holding);
      }
      const summary = arrayOf(body.output2)[0];
      if (summary) {
        // dnca_tot_amt is the deposit; prvs_rcdl_excc_amt (D+2 settled cash) is what new buys can spend.
        cash = { currency: 'KRW', deposit: decimal(summary.dnca_tot_amt), orderable: decimal(summary.prvs_rcdl_excc_amt ?? summary.dnca_tot_amt) };
      }
      if (trCont !== 'M' && trCont !== 'F') break;
      fk = stringOf(body.ctx_area_fk100);
      nk = stringOf(body.ctx_area_nk100);
    }
    const now = this.now();
    return { accountId: this.accountId, source: 'kis', ts: now, recvTs: now, full: true, cash, holdings };
  }

  async openOrders(): Promise<Unstamped<OrderEvent>[]> {
    const { body } = await this.options.rest.call('GET', '/uapi/domestic-stock/v1/trading/inquire-psbl-rvsecncl', {
      trId: this.tr('TTTC0084R'),
      query: { CANO: this.cano, ACNT_PRDT_CD: this.product, CTX_AREA_FK100: '', CTX_AREA_NK100: '', INQR_DVSN_1: '0', INQR_DVSN_2: '0' },
    });
    ensureOk(body, 'open-order inquiry');
    const now = this.now();
    return arrayOf(body.output).map((row) => {
      const qty = Number(row.ord_qty);
      const filled = Number(row.tot_ccld_qty) || 0;
      const market = row.ord_dvsn_cd === '01';
      const price = Number(row.ord_unpr);
      return {
        accountId: this.accountId, source: 'kis', ts: now, recvTs: now, orderId: stringOf(row.odno), origOrderId: null,
        symbol: `KRX:${stringOf(row.pdno)}` as SymbolId, side: row.sll_buy_dvsn_cd === '01' ? 'sell' : 'buy',
        type: market ? 'market' : 'limit', status: filled > 0 ? 'partially_filled' : 'accepted', qty,
        price: market || !(price > 0) ? null : price, filledQty: filled, remainingQty: Number(row.psbl_qty) || qty - filled,
        lastFill: null, reason: null,
      } satisfies Unstamped<OrderEvent>;
    });
  }

  async placeOrder(request: OrderRequest): Promise<{ orderId: string }> {
    if (!this.options.ordersAllowed) {
      throw new FeedError('FORBIDDEN', 'this KIS account trades real money; set ALLOW_REAL_ORDERS=true to let Sise place orders');
    }
    if (marketOf(request.symbol) !== 'KRX') throw new FeedError('BAD_REQUEST', `KIS trades KRX stocks; ${request.symbol} is not one`);
    if (!Number.isInteger(request.qty) || request.qty <= 0) throw new FeedError('BAD_REQUEST', 'KRX orders are whole shares, at least 1');
    if (request.type === 'limit' && !(request.price !== undefined && Number.isInteger(request.price) && request.price > 0)) {
      throw new FeedError('BAD_REQUEST', 'a limit order needs a price in whole won');
    }
    const { body } = await this.options.rest.call('POST', '/uapi/domestic-stock/v1/trading/order-cash', {
      trId: this.tr(request.side === 'buy' ? 'TTTC0012U' : 'TTTC0011U'),
      body: {
        CANO: this.cano, ACNT_PRDT_CD: this.product, PDNO: codeOf(request.symbol), ORD_DVSN: request.type === 'market' ? '01' : '00',
        ORD_QTY: String(request.qty), ORD_UNPR: request.type === 'market' ? '0' : String(request.price), EXCG_ID_DVSN_CD: 'KRX',
        ...(request.side === 'sell' ? { SLL_TYPE: '01' } : {}), CNDT_PRIC: '',
      },
    });
    ensureOk(body, 'order');
    const output = objectOf(body.output);
    const orderId = stringOf(output.ODNO);
    if (!orderId) throw new FeedError('UPSTREAM_UNAVAILABLE', 'KIS accepted the order but sent no order number (ODNO)');
    this.branchOf.set(orderId, stringOf(output.KRX_FWDG_ORD_ORGNO));
    return { orderId };
  }

  async cancelOrder(orderId: string): Promise<void> {
    if (!this.options.ordersAllowed) {
      throw new FeedError('FORBIDDEN', 'this KIS account trades real money; set ALLOW_REAL_ORDERS=true to let Sise change orders');
    }
    const { body } = await this.options.rest.call('POST', '/uapi/domestic-stock/v1/trading/order-rvsecncl', {
      trId: this.tr('TTTC0013U'),
      body: {
        CANO: this.cano, ACNT_PRDT_CD: this.product, KRX_FWDG_ORD_ORGNO: this.branchOf.get(orderId) ?? '', ORGN_ODNO: orderId,
        ORD_DVSN: '00', RVSE_CNCL_DVSN_CD: '02', ORD_QTY: '0', ORD_UNPR: '0', QTY_ALL_ORD_YN: 'Y', EXCG_ID_DVSN_CD: 'KRX',
      },
    });
    ensureOk(body, 'cancel');
  }
}

/** `{"rt_cd":"1","msg_cd":"APBK0952","msg1":"주문가능금액을 초과 했습니다"}` → a FeedError in KIS's words. */
function ensureOk(body: Record<string, unknown>, what: string): void {
  if (body.rt_cd === '0') return;
  const msgCd = stringOf(body.msg_cd);
  const msg1 = stringOf(body.msg1) || 'no reason given';
  const code = msgCd.startsWith('EGW') ? 'UPSTREAM_UNAVAILABLE' : 'BAD_REQUEST';
  throw new FeedError(code, `KIS refused the ${what}: ${msg1} (${msgCd || 'no code'})`);
}

function holdingOf(row: Record<string, unknown>): Holding | null {
  const code = stringOf(row.pdno);
  const qty = decimal(row.hldg_qty);
  // Sold-out rows linger until D+2 with quantity 0 (§6.1); a full snapshot lists what is held.
  if (!/^[0-9][0-9A-Z]{5}$/.test(code) || Number(qty) === 0) return null;
  return {
    symbol: `KRX:${code}`,
    name: stringOf(row.prdt_name),
    qty,
    orderableQty: decimal(row.ord_psbl_qty),
    avgPrice: decimal(row.pchs_avg_pric),
    purchaseAmount: decimal(row.pchs_amt),
  };
}

/** KIS amounts are decimal text; anything else (blank, garbage) is reported as 0 rather than breaking the page. */
function decimal(value: unknown): string {
  const text = typeof value === 'string' ? value.trim() : '';
  return DECIMAL.test(text) ? text : '0';
}

function stringOf(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function objectOf(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function arrayOf(value: unknown): Record<string, unknown>[] {
  if (Array.isArray(value)) return value.filter((v): v is Record<string, unknown> => typeof v === 'object' && v !== null);
  // Some KIS endpoints send a single object where a list is documented.
  return typeof value === 'object' && value !== null ? [value as Record<string, unknown>] : [];
}
