'use client';
import { useEffect, useMemo } from 'react';
import type { SymbolId } from '@/lib/contracts';
import type { AccountSummary } from '@/lib/contracts/accounts';
import { useLiveAccount } from '@/lib/client/use-accounts';
import { useLastPrices } from '@/lib/client/use-last-prices';
import { formatChangeRate } from '@/lib/format/number';
import { directionOf } from '@/lib/format/price-colour';
import { AccountSharePanel } from './AccountSharePanel';
import { FillsTable } from './FillsTable';
import { HoldingsTable } from './HoldingsTable';
import { formatMoney, formatSignedMoney } from './money';
import { OpenOrdersTable } from './OpenOrdersTable';
import { accountTotals, holdingSymbols, valueHolding, type AccountTotals } from './valuation';

interface Props {
  account: AccountSummary;
  names: ReadonlyMap<string, string>;
  onTotals: (accountId: string, totals: AccountTotals | null) => void;
  onPick: (accountId: string, symbol: SymbolId) => void;
}

/** One account: cash, holdings at live prices, working orders and today's fills, kept live from its stream. */
export function AccountSection({ account, names, onTotals, onPick }: Props) {
  const live = useLiveAccount(account.id);
  const prices = useLastPrices(holdingSymbols(live.balance));
  const values = useMemo(() => (live.balance?.holdings ?? []).map((h) => valueHolding(h, prices.get(h.symbol))), [live.balance, prices]);
  const totals = useMemo(() => (live.balance ? accountTotals(live.balance, values) : null), [live.balance, values]);
  useEffect(() => onTotals(account.id, totals), [account.id, totals, onTotals]);
  const currency = totals?.currency ?? 'KRW';

  return (
    <section className="panel balances-account" data-testid="account-section" data-account-id={account.id}>
      <header className="balances-account-head">
        <div>
          <h2>{account.label}</h2>
          <span className="muted code">{account.id}</span>
        </div>
        {account.realMoney ? <span className="badge balances-real">실계좌</span> : <span className="badge balances-paper">모의</span>}
        {account.ordersAllowed ? null : <span className="badge balances-locked" title={account.ordersRefusedReason ?? ''}>주문 잠김</span>}
        {live.loading ? <span className="muted">불러오는 중…</span> : null}
      </header>
      {live.error ? <p className="error-text">{live.error}</p> : null}

      {totals ? (
        <dl className="balances-cash" data-testid="cash">
          <div>
            <dt>예수금</dt>
            <dd data-testid="cash-deposit" data-value={totals.deposit}>{formatMoney(totals.deposit, currency)}</dd>
          </div>
          <div>
            <dt>주문가능금액</dt>
            <dd data-testid="cash-orderable" data-value={totals.orderable}>{formatMoney(totals.orderable, currency)}</dd>
          </div>
          <div>
            <dt>평가금액</dt>
            <dd>{formatMoney(totals.evaluation, currency)}</dd>
          </div>
          <div>
            <dt>평가손익</dt>
            <dd className={directionOf(totals.pnl)}>
              {formatSignedMoney(totals.pnl, currency)} {totals.pnlRate === null ? '' : `(${formatChangeRate(totals.pnlRate)})`}
            </dd>
          </div>
          <div>
            <dt>총자산</dt>
            <dd>{formatMoney(totals.total, currency)}</dd>
          </div>
        </dl>
      ) : null}

      <h3>보유종목</h3>
      <HoldingsTable values={values} currency={currency} onPick={(symbol) => onPick(account.id, symbol)} />
      <h3>미체결</h3>
      <OpenOrdersTable
        accountId={account.id}
        market={account.market}
        orders={live.orders}
        canCancel={account.capabilities.cancel}
        canModify={account.capabilities.modify}
        names={names}
      />
      <h3>오늘 체결</h3>
      <FillsTable fills={live.fills} currency={currency} names={names} />
      {account.canShare ? <AccountSharePanel accountId={account.id} /> : null}
    </section>
  );
}
