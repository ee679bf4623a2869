'use client';
import Link from 'next/link';
import type { SymbolId } from '@/lib/contracts';
import { formatChangeRate, formatPrice, formatQty } from '@/lib/format/number';
import { directionOf } from '@/lib/format/price-colour';
import { formatMoney, formatSignedMoney } from './money';
import type { HoldingValue } from './valuation';

/** 보유종목: quantity, average price, live price, evaluation and P&L in Korean colours (gain red, loss blue). */
export function HoldingsTable({ values, currency, onPick }: { values: readonly HoldingValue[]; currency: string; onPick: (symbol: SymbolId) => void }) {
  if (values.length === 0) return <p className="muted balances-empty">보유 종목이 없습니다.</p>;
  return (
    <table className="quotes balances-table" data-testid="holdings">
      <thead>
        <tr>
          <th>종목</th>
          <th className="num">보유수량</th>
          <th className="num">평균단가</th>
          <th className="num">현재가</th>
          <th className="num">평가금액</th>
          <th className="num">평가손익</th>
          <th className="num">수익률</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {values.map((v) => {
          const direction = directionOf(v.pnl ?? 0);
          return (
            <tr key={v.holding.symbol} data-testid="holding-row" data-symbol={v.holding.symbol} data-qty={v.holding.qty}>
              <td className="name-cell">
                <Link href={`/charts/${v.holding.symbol}`}>
                  <span className="name">{v.holding.name || v.holding.symbol}</span>
                  <span className="code">{v.holding.symbol.split(':')[1]}</span>
                </Link>
              </td>
              <td className="num" data-testid="holding-qty">{formatQty(v.qty)}</td>
              <td className="num">{v.avgPrice > 0 ? formatPrice(v.avgPrice) : '—'}</td>
              <td className={`num ${v.price !== null && v.avgPrice > 0 ? directionOf(v.price - v.avgPrice) : ''}`}>{v.price === null ? '—' : formatPrice(v.price)}</td>
              <td className="num">{v.evaluation === null ? '—' : formatMoney(v.evaluation, currency)}</td>
              <td className={`num ${direction}`}>{v.pnl === null ? '—' : formatSignedMoney(v.pnl, currency)}</td>
              <td className={`num ${direction}`}>{v.pnlRate === null ? '—' : formatChangeRate(v.pnlRate)}</td>
              <td className="actions">
                <button type="button" className="link-button" onClick={() => onPick(v.holding.symbol)} title="주문창에 이 종목을 엽니다">
                  주문
                </button>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
