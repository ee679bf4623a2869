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
          {/* The key restarts the flash animation on every new print. Before the first print of a quiet name (or
              outside trading hours) the previous close stands in, dimmed and labelled, instead of a bare dash. */}
          <td
            key={tick?.seq}
            className={`num price ${tick ? `${direction} flash` : 'muted'}`}
            data-testid="watch-price"
            data-live={tick ? 'true' : 'false'}
            title={tick ? undefined : '아직 체결이 없습니다: 전일 종가'}
          >
            {tick ? formatPrice(tick.price) : instrument?.prevClose ? <>{formatPrice(instrument.prevClose)} <small>전일</small></> : '—'}
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
