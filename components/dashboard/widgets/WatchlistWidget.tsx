'use client';
import Link from 'next/link';
import type { SymbolId } from '@/lib/contracts';
import { useSymbol } from '@/lib/client/hooks';
import { formatChangeRate, formatPrice, formatSignedPrice } from '@/lib/format/number';
import { directionOf } from '@/lib/format/price-colour';
import { useInstrumentUniverse } from '../../watchlist/use-instruments';

function Row({ symbol, name }: { symbol: SymbolId; name: string | undefined }) {
  const { tick, error } = useSymbol(symbol);
  const direction = tick ? directionOf(tick.change) : 'flat';
  return (
    <tr data-symbol={symbol}>
      <td className="name-cell">
        <Link href={`/charts/${symbol}`}>{name ?? symbol}</Link>
      </td>
      {error ? (
        <td colSpan={3} className="error-text">
          {error}
        </td>
      ) : (
        <>
          <td className={`num ${direction}`}>{tick ? formatPrice(tick.price) : '—'}</td>
          <td className={`num ${direction}`}>{tick ? formatSignedPrice(tick.change) : '—'}</td>
          <td className={`num ${direction}`}>{tick ? formatChangeRate(tick.changeRate) : '—'}</td>
        </>
      )}
    </tr>
  );
}

/** Several symbols' live prices in one table, like the watchlist page. */
export function WatchlistWidget({ symbols }: { symbols: readonly SymbolId[] }) {
  const universe = useInstrumentUniverse();
  const names = new Map((universe.data ?? []).map((instrument) => [instrument.symbol, instrument.name]));
  if (symbols.length === 0) return <p className="muted">종목이 없습니다. 설정에서 추가하세요.</p>;
  return (
    <div className="widget-scroll" data-testid="watchlist-widget">
      <table className="widget-table">
        <thead>
          <tr>
            <th>종목</th>
            <th className="num">현재가</th>
            <th className="num">대비</th>
            <th className="num">등락률</th>
          </tr>
        </thead>
        <tbody>
          {symbols.map((symbol) => (
            <Row key={symbol} symbol={symbol} name={names.get(symbol)} />
          ))}
        </tbody>
      </table>
    </div>
  );
}
