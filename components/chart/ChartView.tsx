'use client';
import type { Instrument } from '@/lib/contracts';
import { useSymbol } from '@/lib/client/hooks';
import { HogaLadder } from '../hoga/HogaLadder';
import { PriceChart } from './PriceChart';
import { QuoteHeader } from './QuoteHeader';

export function ChartView({ instrument }: { instrument: Instrument }) {
  const { tick, hoga, history, error } = useSymbol(instrument.symbol);
  const prevClose = tick?.prevClose ?? instrument.prevClose;
  return (
    <div className="chart-page">
      <section className="panel">
        <QuoteHeader instrument={instrument} tick={tick} />
        {error ? <p className="error-text">{error}</p> : null}
        <PriceChart points={history} prevClose={prevClose} market={instrument.market} />
      </section>
      <section className="panel">
        <h2>호가</h2>
        <HogaLadder hoga={hoga} prevClose={prevClose} lastPrice={tick?.price ?? null} />
      </section>
    </div>
  );
}
