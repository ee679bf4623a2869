'use client';
import { useMemo } from 'react';
import { InstrumentSearch } from './InstrumentSearch';
import { useInstrumentUniverse } from './use-instruments';
import { useWatchlist } from './use-watchlist';
import { WatchlistRow } from './WatchlistRow';

export function Watchlist() {
  const { symbols, add, remove } = useWatchlist();
  const { data: universe = [] } = useInstrumentUniverse();
  const bySymbol = useMemo(() => new Map(universe.map((i) => [i.symbol, i])), [universe]);

  return (
    <section className="panel watchlist">
      <div className="panel-head">
        <h1>관심종목</h1>
        <InstrumentSearch onPick={add} held={symbols} />
      </div>
      <table className="quotes">
        <thead>
          <tr>
            <th>종목</th>
            <th className="num">현재가</th>
            <th className="num">전일대비</th>
            <th className="num">등락률</th>
            <th className="num">거래량</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {symbols.map((symbol) => (
            <WatchlistRow key={symbol} symbol={symbol} instrument={bySymbol.get(symbol)} onRemove={() => remove(symbol)} />
          ))}
        </tbody>
      </table>
      {symbols.length === 0 ? <p className="empty">관심종목이 없습니다. 위에서 종목을 검색해 추가하세요.</p> : null}
    </section>
  );
}
