'use client';
import Link from 'next/link';
import type { Instrument, SymbolId } from '@/lib/contracts';
import { useSymbol } from '@/lib/client/hooks';
import { formatChangeRate, formatCompact, formatPrice, formatSignedPrice } from '@/lib/format/number';
import { directionOf } from '@/lib/format/price-colour';

export function WatchlistRow({ symbol, instrument, onRemove }: { symbol: SymbolId; instrument: Instrument | undefined; onRemove: () => void }) {
  const { tick, error } = useSymbol(symbol);
  const direction = tick ? directionOf(tick.change) : 'flat';
  return (
    <tr data-testid="watch-row" data-symbol={symbol}>
      <td className="name-cell">
        <Link href={`/charts/${symbol}`}>
          <span className="name">{instrument?.name ?? symbol}</span>
          <span className="code">{instrument?.code ?? ''}</span>
        </Link>
      </td>
      {error ? (
        <td colSpan={4} className="error-text">
          {error}
        </td>
      ) : (
        <>
          {/* The key restarts the flash animation on every new print. */}
          <td key={tick?.seq} className={`num price ${direction} ${tick ? 'flash' : ''}`} data-testid="watch-price">
            {tick ? formatPrice(tick.price) : '—'}
          </td>
          <td className={`num ${direction}`}>{tick ? formatSignedPrice(tick.change) : '—'}</td>
          <td className={`num ${direction}`} data-testid="watch-rate">
            {tick ? formatChangeRate(tick.changeRate) : '—'}
          </td>
          <td className="num muted">{tick ? formatCompact(tick.cumVolume) : '—'}</td>
        </>
      )}
      <td className="actions">
        <button type="button" className="icon" aria-label={`${instrument?.name ?? symbol} 삭제`} onClick={onRemove}>
          ×
        </button>
      </td>
    </tr>
  );
}
