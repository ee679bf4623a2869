'use client';
import { useState } from 'react';
import type { SymbolId } from '@/lib/contracts';
import { useInstrumentSearch } from './use-instruments';

/** Search the universe by code or name (삼성, 005930, bitcoin) and add the pick to the watchlist. */
export function InstrumentSearch({ onPick, held }: { onPick: (symbol: SymbolId) => void; held: readonly SymbolId[] }) {
  const [query, setQuery] = useState('');
  const { data: results = [], isFetching } = useInstrumentSearch(query);
  const open = query.trim().length > 0;

  return (
    <div className="search">
      <input
        type="search"
        placeholder="종목명 또는 코드 검색 (예: 삼성, 005930, 비트코인)"
        aria-label="종목 검색"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && results[0]) {
            onPick(results[0].symbol);
            setQuery('');
          }
          if (e.key === 'Escape') setQuery('');
        }}
      />
      {open ? (
        <ul className="search-results" role="listbox" data-testid="search-results">
          {results.length === 0 ? <li className="muted">{isFetching ? '검색 중…' : '결과 없음'}</li> : null}
          {results.map((instrument) => (
            <li key={instrument.symbol} role="option" aria-selected={false}>
              <button
                type="button"
                onClick={() => {
                  onPick(instrument.symbol);
                  setQuery('');
                }}
              >
                <span className="name">{instrument.name}</span>
                <span className="code">{instrument.code}</span>
                <span className="venue">{instrument.venue}</span>
                {held.includes(instrument.symbol) ? <span className="muted">추가됨</span> : null}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
