'use client';
import Link from 'next/link';
import type { SymbolId, TickEvent } from '@/lib/contracts';
import { formatChangeRate, formatPrice } from '@/lib/format/number';
import { directionOf } from '@/lib/format/price-colour';

/** One line a symbol widget opens with: the symbol (linking to its chart page), last price and change rate in Korean colours. */
export function QuoteLine({ symbol, tick, error }: { symbol: SymbolId; tick: TickEvent | null; error: string | null }) {
  const direction = tick ? directionOf(tick.change) : 'flat';
  return (
    <div className="widget-quote">
      <Link href={`/charts/${symbol}`} className="widget-symbol">
        {symbol}
      </Link>
      {error ? (
        <span className="error-text">{error}</span>
      ) : (
        <span className={`num ${direction}`}>
          {tick ? formatPrice(tick.price) : '—'} <small>{tick ? formatChangeRate(tick.changeRate) : ''}</small>
        </span>
      )}
    </div>
  );
}
