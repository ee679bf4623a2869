'use client';
import { memo } from 'react';
import type { HogaEvent, PriceLevel } from '@/lib/contracts';
import { formatChangeRate, formatPrice, formatQty, formatQtyShort } from '@/lib/format/number';
import { directionOf } from '@/lib/format/price-colour';

/**
 * The classic Korean 호가창: asks above (highest at the top, best ask next to the middle), bids below
 * (best bid first), quantity bars scaled to the largest level on screen, each price coloured against the
 * previous close with its change rate.
 */
function HogaLadderView({ hoga, prevClose, lastPrice, depth = 10, compact = false }: { hoga: HogaEvent | null; prevClose: number; lastPrice: number | null; depth?: number; compact?: boolean }) {
  const asks = hoga ? hoga.asks.slice(0, depth) : [];
  const bids = hoga ? hoga.bids.slice(0, depth) : [];
  const qtyText = compact ? formatQtyShort : formatQty;
  const maxQty = Math.max(1, ...asks.map((l) => l.qty), ...bids.map((l) => l.qty));

  const row = (level: PriceLevel, side: 'ask' | 'bid', best: boolean) => {
    const change = level.price - prevClose;
    const bar = `${Math.round((level.qty / maxQty) * 100)}%`;
    return (
      <tr key={`${side}-${level.price}`} className={`hoga-row ${side} ${best ? 'best' : ''} ${level.price === lastPrice ? 'last' : ''}`} data-testid={`hoga-${side}`}>
        <td className="qty ask-qty">
          {side === 'ask' ? (
            <>
              <span className="bar" style={{ width: bar }} />
              <span className="q">{qtyText(level.qty)}</span>
            </>
          ) : null}
        </td>
        <td className={`price ${directionOf(change)}`}>
          <span className="p">{formatPrice(level.price)}</span>
          <span className="r">{formatChangeRate((change / prevClose) * 100)}</span>
        </td>
        <td className="qty bid-qty">
          {side === 'bid' ? (
            <>
              <span className="bar" style={{ width: bar }} />
              <span className="q">{qtyText(level.qty)}</span>
            </>
          ) : null}
        </td>
      </tr>
    );
  };

  return (
    <div className={compact ? 'hoga compact' : 'hoga'} data-testid="hoga">
      <table>
        <thead>
          <tr>
            <th>매도잔량</th>
            <th>호가</th>
            <th>매수잔량</th>
          </tr>
        </thead>
        <tbody>
          {asks
            .map((level, i) => row(level, 'ask', i === 0))
            .reverse()}
          {bids.map((level, i) => row(level, 'bid', i === 0))}
        </tbody>
        <tfoot>
          <tr>
            <td className="qty">{hoga ? formatQty(hoga.totalAskQty) : '—'}</td>
            <td className="muted">총잔량</td>
            <td className="qty">{hoga ? formatQty(hoga.totalBidQty) : '—'}</td>
          </tr>
        </tfoot>
      </table>
      {!hoga ? <div className="chart-empty">호가 대기 중…</div> : null}
    </div>
  );
}

/** Re-rendered only when its own props change: a page's other panels update at their own rate. */
export const HogaLadder = memo(HogaLadderView);
