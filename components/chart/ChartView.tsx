'use client';
import { useState } from 'react';
import type { CandleInterval, Instrument } from '@/lib/contracts';
import { useCandles } from '@/lib/client/use-candles';
import { useFeeds, useSymbol } from '@/lib/client/hooks';
import { HogaLadder } from '../hoga/HogaLadder';
import { CandleChart } from './CandleChart';
import { IntervalSwitcher } from './IntervalSwitcher';
import { QuoteHeader } from './QuoteHeader';
import { TradesTape } from './TradesTape';

export function ChartView({ instrument }: { instrument: Instrument }) {
  const { tick, hoga, history, gaps, error } = useSymbol(instrument.symbol);
  const [interval, setCandleInterval] = useState<CandleInterval>('1m');
  const { candles } = useCandles(instrument.symbol, interval, history, gaps);
  const feeds = useFeeds();
  const feed = feeds.find((f) => f.broker === (tick?.source ?? hoga?.source)) ?? feeds.find((f) => f.serving.includes(instrument.market));
  const prevClose = tick?.prevClose ?? instrument.prevClose;
  return (
    <div className="chart-page">
      <section className="panel chart-main">
        <QuoteHeader instrument={instrument} tick={tick} feed={feed ?? null} refused={error !== null} />
        {error ? <p className="error-text">{error}</p> : null}
        <IntervalSwitcher value={interval} onChange={setCandleInterval} />
        <CandleChart candles={candles} interval={interval} prevClose={prevClose} market={instrument.market} />
      </section>
      <div className="chart-side">
        <section className="panel">
          <h2>호가</h2>
          <HogaLadder hoga={hoga} prevClose={prevClose} lastPrice={tick?.price ?? null} />
        </section>
        <section className="panel">
          <h2>체결</h2>
          <TradesTape prints={history} />
        </section>
      </div>
    </div>
  );
}
