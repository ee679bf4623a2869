'use client';
import { useCallback, useMemo, useState } from 'react';
import type { SymbolId } from '@/lib/contracts';
import { useAccountResync, useAccounts } from '@/lib/client/use-accounts';
import { formatChangeRate } from '@/lib/format/number';
import { directionOf } from '@/lib/format/price-colour';
import { useInstrumentUniverse } from '@/components/watchlist/use-instruments';
import { AccountSection } from './AccountSection';
import { formatMoney, formatSignedMoney } from './money';
import { DEFAULT_SYMBOL, OrderTicket } from './OrderTicket';
import { sumTotals, type AccountTotals } from './valuation';

/** 잔고: every account the user may see, their totals per currency, and the order ticket beside them. */
export function BalancesView() {
  useAccountResync();
  const accounts = useAccounts();
  const universe = useInstrumentUniverse();
  const names = useMemo(() => new Map((universe.data ?? []).map((i) => [i.symbol as string, i.name])), [universe.data]);
  const [totals, setTotals] = useState<ReadonlyMap<string, AccountTotals>>(new Map());
  const [ticketAccountId, setTicketAccountId] = useState<string | null>(null);
  const [ticketSymbol, setTicketSymbol] = useState<SymbolId | null>(null);

  const onTotals = useCallback((accountId: string, next: AccountTotals | null) => {
    setTotals((current) => {
      if (current.get(accountId) === next) return current;
      const copy = new Map(current);
      if (next) copy.set(accountId, next);
      else copy.delete(accountId);
      return copy;
    });
  }, []);
  const onPick = useCallback((accountId: string, symbol: SymbolId) => {
    setTicketAccountId(accountId);
    setTicketSymbol(symbol);
  }, []);

  const list = accounts.data ?? [];
  const ticketAccount = list.find((a) => a.id === ticketAccountId) ?? list.find((a) => a.ordersAllowed) ?? list[0];
  const symbol = ticketSymbol ?? (ticketAccount ? DEFAULT_SYMBOL[ticketAccount.market] : null);
  const currencies = [...new Set([...totals.values()].map((t) => t.currency))].sort((a, b) => (a === 'KRW' ? -1 : b === 'KRW' ? 1 : a.localeCompare(b)));

  return (
    <div className="balances-page">
      <div className="balances-main">
        <section className="panel balances-summary" data-testid="balances-summary">
          <div className="panel-head">
            <h1>잔고</h1>
            <span className="muted">{list.length > 0 ? `계좌 ${list.length}개` : ''}</span>
          </div>
          {accounts.isLoading ? <p className="muted">계좌를 불러오는 중…</p> : null}
          {accounts.error ? <p className="error-text">{accounts.error.message}</p> : null}
          {!accounts.isLoading && !accounts.error && list.length === 0 ? (
            <p className="muted">볼 수 있는 계좌가 없습니다. 증권사 계정을 연결하거나, 계좌 주인에게 공유를 요청하세요.</p>
          ) : null}
          {currencies.map((currency) => {
            const sum = sumTotals(currency, [...totals.values()]);
            return (
              <dl key={currency} className="balances-cash balances-total" data-testid={`total-${currency}`}>
                <div>
                  <dt>총 예수금 ({currency})</dt>
                  <dd>{formatMoney(sum.deposit, currency)}</dd>
                </div>
                <div>
                  <dt>총 주문가능</dt>
                  <dd>{formatMoney(sum.orderable, currency)}</dd>
                </div>
                <div>
                  <dt>총 평가금액</dt>
                  <dd>{formatMoney(sum.evaluation, currency)}</dd>
                </div>
                <div>
                  <dt>총 평가손익</dt>
                  <dd className={directionOf(sum.pnl)}>
                    {formatSignedMoney(sum.pnl, currency)} {sum.pnlRate === null ? '' : `(${formatChangeRate(sum.pnlRate)})`}
                  </dd>
                </div>
                <div>
                  <dt>총자산</dt>
                  <dd>{formatMoney(sum.total, currency)}</dd>
                </div>
              </dl>
            );
          })}
        </section>
        {list.map((account) => (
          <AccountSection key={account.id} account={account} names={names} onTotals={onTotals} onPick={onPick} />
        ))}
      </div>
      <aside className="balances-side">
        {ticketAccount && symbol ? (
          <OrderTicket
            accounts={list}
            accountId={ticketAccount.id}
            symbol={symbol}
            names={names}
            onAccountChange={setTicketAccountId}
            onSymbolChange={setTicketSymbol}
          />
        ) : null}
      </aside>
    </div>
  );
}
