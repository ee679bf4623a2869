'use client';
import type { CandleInterval, Market, SymbolId } from '@/lib/contracts';
import { useSymbol } from '@/lib/client/hooks';
import { useCandles } from '@/lib/client/use-candles';
import { CandleChart } from '../../chart/CandleChart';
import { QuoteLine } from './QuoteLine';

/** A price chart widget: the chart page's candles for one symbol and interval, with its quote on top. */
export function ChartWidget({ symbol, interval }: { symbol: SymbolId; interval: CandleInterval }) {
  const { tick, history, error } = useSymbol(symbol);
  const { candles } = useCandles(symbol, interval, history);
  const market = symbol.slice(0, symbol.indexOf(':')) as Market;
  return (
    <div className="widget-chart" data-testid="chart-widget">
      <QuoteLine symbol={symbol} tick={tick} error={error} />
      <CandleChart candles={candles} interval={interval} prevClose={tick?.prevClose ?? candles[0]?.open ?? 0} market={market} />
    </div>
  );
}
