'use client';
import { memo } from 'react';
import type { TradePrint } from '@/lib/client/market-store';
import { formatPrice, formatQty } from '@/lib/format/number';
import { formatKstTime } from '@/lib/format/kst-time';

/** The tape shows the latest prints; 50 fill the panel beside a 10-level book. */
export const TAPE_LENGTH = 50;

/** 체결: the latest prints, newest first, red where a buyer lifted the ask and blue where a seller hit the bid. */
function TradesTapeView({ prints }: { prints: readonly TradePrint[] }) {
  const latest = prints.slice(-TAPE_LENGTH).reverse();
  return (
    <div className="tape" data-testid="tape">
      <table>
        <thead>
          <tr>
            <th>시각</th>
            <th className="num">체결가</th>
            <th className="num">체결량</th>
          </tr>
        </thead>
        <tbody>
          {latest.map((print) => (
            <tr key={print.seq} data-testid="tape-row" className={print.side === 'buy' ? 'rise' : print.side === 'sell' ? 'fall' : ''}>
              <td className="muted">{formatKstTime(print.ts)}</td>
              <td className="num">{formatPrice(print.price)}</td>
              <td className="num">{formatQty(print.qty)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {latest.length === 0 ? <p className="muted empty">체결 대기 중…</p> : null}
    </div>
  );
}

/** Re-rendered only when its own props change: a page's other panels update at their own rate. */
export const TradesTape = memo(TradesTapeView);
