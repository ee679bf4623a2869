'use client';
import { useRouter, useSearchParams } from 'next/navigation';
import { useMemo } from 'react';
import { parseSymbol, type SymbolId } from '@/lib/contracts';
import { InstrumentSearch } from '../watchlist/InstrumentSearch';
import { useInstrumentUniverse } from '../watchlist/use-instruments';
import { DEFAULT_WATCHLIST } from '../watchlist/use-watchlist';
import { GridCard } from './GridCard';

/** Twelve cells are as many as a screen can show with a readable price and book each. */
export const MAX_GRID_SYMBOLS = 12;

/** The symbols live in the URL (`/grid?s=KRX:005930,UPBIT:KRW-BTC`) so a grid can be bookmarked and shared. */
function symbolsFrom(param: string | null): SymbolId[] {
  if (param === null) return DEFAULT_WATCHLIST.slice(0, MAX_GRID_SYMBOLS);
  const symbols = param.split(',').flatMap((text) => {
    const parsed = parseSymbol(text.trim());
    return parsed.ok ? [parsed.value.symbol] : [];
  });
  return [...new Set(symbols)].slice(0, MAX_GRID_SYMBOLS);
}

export function ChartGrid() {
  const params = useSearchParams();
  const router = useRouter();
  const symbols = useMemo(() => symbolsFrom(params.get('s')), [params]);
  const { data: universe = [] } = useInstrumentUniverse();
  const bySymbol = useMemo(() => new Map(universe.map((i) => [i.symbol, i])), [universe]);
  const show = (next: SymbolId[]) => router.replace(`/grid?s=${next.join(',')}`, { scroll: false });

  return (
    <section className="grid-page">
      <div className="panel-head">
        <h1>멀티차트</h1>
        {symbols.length < MAX_GRID_SYMBOLS ? (
          <InstrumentSearch held={symbols} onPick={(symbol) => show(symbols.includes(symbol) ? symbols : [...symbols, symbol])} />
        ) : (
          <span className="muted">최대 {MAX_GRID_SYMBOLS}종목</span>
        )}
        <span className="muted">{symbols.length}/{MAX_GRID_SYMBOLS}</span>
      </div>
      <div className="chart-grid">
        {symbols.map((symbol) => (
          <GridCard key={symbol} symbol={symbol} instrument={bySymbol.get(symbol)} onRemove={() => show(symbols.filter((s) => s !== symbol))} />
        ))}
      </div>
    </section>
  );
}
