'use client';
import Link from 'next/link';
import type { Instrument, SymbolId } from '@/lib/contracts';
import { useSymbol } from '@/lib/client/hooks';
import { formatChangeRate, formatPrice } from '@/lib/format/number';
import { directionOf } from '@/lib/format/price-colour';
import { Sparkline } from '../chart/Sparkline';
import { HogaLadder } from '../hoga/HogaLadder';

/** Five levels a side fit a grid cell and still show where the book is thin. */
const MINI_HOGA_DEPTH = 5;
/** As tall as the five-level book beside it. */
const SPARKLINE_HEIGHT = 170;

export function GridCard({ symbol, instrument, onRemove }: { symbol: SymbolId; instrument: Instrument | undefined; onRemove: () => void }) {
  const { tick, hoga, history, error } = useSymbol(symbol);
  const prevClose = tick?.prevClose ?? instrument?.prevClose ?? 1;
  const direction = tick ? directionOf(tick.change) : 'flat';
  return (
    <article className="panel grid-card" data-testid="grid-card" data-symbol={symbol}>
      <header className="grid-card-head">
        <Link href={`/charts/${symbol}`} className="grid-name">
          {instrument?.name ?? symbol} <span className="code">{instrument?.code}</span>
        </Link>
        <span className={`grid-price ${direction}`} data-testid="grid-price">
          {tick ? formatPrice(tick.price) : '—'} <small>{tick ? formatChangeRate(tick.changeRate) : ''}</small>
        </span>
        <button type="button" className="icon" aria-label={`${instrument?.name ?? symbol} 빼기`} onClick={onRemove}>
          ×
        </button>
      </header>
      {error ? <p className="error-text">{error}</p> : null}
      <div className="grid-body">
        <Sparkline points={history} prevClose={prevClose} height={SPARKLINE_HEIGHT} />
        <HogaLadder hoga={hoga} prevClose={prevClose} lastPrice={tick?.price ?? null} depth={MINI_HOGA_DEPTH} compact />
      </div>
    </article>
  );
}
