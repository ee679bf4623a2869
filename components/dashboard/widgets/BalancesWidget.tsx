'use client';
import { useQuery } from '@tanstack/react-query';
import type { BalanceSnapshot } from '@/lib/contracts/accounts';
import { formatDecimal, formatKrw, formatQty } from '@/lib/format/number';

/** Balances change with fills; a summary refreshed this often is current enough for a glance. */
const BALANCE_REFRESH_MS = 5_000;
/** Non-KRW cash (USDT, BTC…) keeps this many fraction digits. */
const FOREIGN_CASH_DIGITS = 8;

type BalanceResult = { state: 'ok'; snapshot: BalanceSnapshot } | { state: 'forbidden' } | { state: 'unavailable'; status: number };

/** The server decides per viewer: 401/403 mean this person may not see the account, and nothing of it is shown. */
async function fetchBalance(accountId: string): Promise<BalanceResult> {
  const response = await fetch(`/api/accounts/${encodeURIComponent(accountId)}/balance`);
  if (response.status === 401 || response.status === 403) return { state: 'forbidden' };
  if (!response.ok) return { state: 'unavailable', status: response.status };
  return { state: 'ok', snapshot: (await response.json()) as BalanceSnapshot };
}

function money(text: string, currency: string): string {
  const value = Number(text);
  return currency === 'KRW' ? formatKrw(value) : `${formatDecimal(value, FOREIGN_CASH_DIGITS)} ${currency}`;
}

/** An account's cash and holdings, for those allowed to see the account; "접근 권한 없음" for everyone else. */
export function BalancesWidget({ accountId }: { accountId: string }) {
  const { data, isLoading } = useQuery({
    queryKey: ['dashboard-balance', accountId],
    queryFn: () => fetchBalance(accountId),
    refetchInterval: BALANCE_REFRESH_MS,
    staleTime: 0,
  });
  if (isLoading || !data) return <p className="muted">불러오는 중…</p>;
  if (data.state === 'forbidden') {
    return (
      <p className="widget-denied" data-testid="balances-denied">
        접근 권한 없음 <small>({accountId})</small>
      </p>
    );
  }
  if (data.state === 'unavailable') return <p className="muted">불러올 수 없음 ({data.status})</p>;
  const { balance } = data.snapshot;
  const currency = balance.cash?.currency ?? 'KRW';
  return (
    <div className="widget-scroll" data-testid="balances-widget">
      <p className="muted">{accountId}</p>
      {balance.cash ? (
        <dl className="widget-cash">
          <dt>예수금</dt>
          <dd className="num">{money(balance.cash.deposit, currency)}</dd>
          <dt>주문가능</dt>
          <dd className="num">{money(balance.cash.orderable, currency)}</dd>
        </dl>
      ) : null}
      {balance.holdings.length === 0 ? (
        <p className="muted">보유 종목 없음</p>
      ) : (
        <table className="widget-table">
          <thead>
            <tr>
              <th>종목</th>
              <th className="num">수량</th>
              <th className="num">평균단가</th>
            </tr>
          </thead>
          <tbody>
            {balance.holdings.map((holding) => (
              <tr key={holding.symbol}>
                <td>{holding.name || holding.symbol}</td>
                <td className="num">{formatQty(Number(holding.qty))}</td>
                <td className="num">{money(holding.avgPrice, currency)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
