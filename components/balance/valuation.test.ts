import { describe, expect, it } from 'vitest';
import type { Balance } from '@/lib/client/account-view';
import { accountTotals, sumTotals, valueHolding } from './valuation';

const holding = (qty: string, avgPrice: string, purchaseAmount: string) => ({ symbol: 'KRX:005930' as const, name: '삼성전자', qty, orderableQty: qty, avgPrice, purchaseAmount });
const balance = (currency: string, deposit: string, holdings: Balance['holdings']): Balance => ({
  accountId: 'kis:1', source: 'kis', ts: 0, recvTs: 0, full: true, cash: { currency, deposit, orderable: deposit }, holdings,
});

describe('valuation', () => {
  it('values a holding at the live price: evaluation, P&L and its rate', () => {
    expect(valueHolding(holding('10', '70000', '700000'), 77_000)).toMatchObject({ evaluation: 770_000, pnl: 70_000, pnlRate: 10 });
    expect(valueHolding(holding('10', '70000', '700000'), 63_000)).toMatchObject({ pnl: -70_000, pnlRate: -10 });
  });

  it('says nothing about P&L without a price or an average price', () => {
    expect(valueHolding(holding('10', '70000', '700000'), undefined)).toMatchObject({ price: null, evaluation: null, pnl: null, pnlRate: null });
    expect(valueHolding(holding('0.5', '0', '0'), 100)).toMatchObject({ evaluation: 50, pnl: null, pnlRate: null });
  });

  it('totals an account and several accounts of one currency, apart from other currencies', () => {
    const a = accountTotals(balance('KRW', '1000000', [holding('10', '70000', '700000')]), [valueHolding(holding('10', '70000', '700000'), 77_000)]);
    expect(a).toMatchObject({ deposit: 1_000_000, evaluation: 770_000, pnl: 70_000, pnlRate: 10, total: 1_770_000, priced: true });
    const b = accountTotals(balance('KRW', '500000', []), []);
    const usd = accountTotals(balance('USD', '1000', []), []);
    expect(sumTotals('KRW', [a, b, usd])).toMatchObject({ deposit: 1_500_000, evaluation: 770_000, pnl: 70_000, pnlRate: 10, total: 2_270_000 });
    expect(sumTotals('USD', [a, b, usd])).toMatchObject({ deposit: 1_000, total: 1_000, pnlRate: null });
  });
});
