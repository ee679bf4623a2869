'use client';
import type { Fill } from '@/lib/contracts/accounts';
import { formatPrice, formatQty } from '@/lib/format/number';
import { formatKstTime } from '@/lib/format/kst-time';
import { formatMoney } from './money';
import { nameOf, sideLabel } from './labels';

/** 오늘 체결: today's fills (KST day), newest first. */
export function FillsTable({ fills, currency, names }: { fills: readonly Fill[]; currency: string; names: ReadonlyMap<string, string> }) {
  if (fills.length === 0) return <p className="muted balances-empty" data-testid="no-fills">오늘 체결된 주문이 없습니다.</p>;
  return (
    <table className="quotes balances-table" data-testid="fills">
      <thead>
        <tr>
          <th>체결시각</th>
          <th>종목</th>
          <th>구분</th>
          <th className="num">체결가</th>
          <th className="num">체결수량</th>
          <th className="num">체결금액</th>
        </tr>
      </thead>
      <tbody>
        {[...fills].reverse().map((fill) => (
          <tr key={`${fill.orderId}:${fill.filledQty}`} data-testid="fill-row" data-order-id={fill.orderId} data-symbol={fill.symbol}>
            <td className="muted num">{formatKstTime(fill.ts)}</td>
            <td>{nameOf(names, fill.symbol)}</td>
            <td className={fill.side === 'buy' ? 'rise' : 'fall'}>{sideLabel(fill.side)}</td>
            <td className="num">{formatPrice(fill.price)}</td>
            <td className="num">{formatQty(fill.qty)}</td>
            <td className="num">{formatMoney(fill.qty * fill.price, currency)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
