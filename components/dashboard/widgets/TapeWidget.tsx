'use client';
import type { SymbolId } from '@/lib/contracts';
import { useSymbol } from '@/lib/client/hooks';
import { TradesTape } from '../../chart/TradesTape';
import { QuoteLine } from './QuoteLine';

/** 체결: the symbol's latest prints, as on the chart page. */
export function TapeWidget({ symbol }: { symbol: SymbolId }) {
  const { tick, history, error } = useSymbol(symbol);
  return (
    <div className="widget-scroll" data-testid="tape-widget">
      <QuoteLine symbol={symbol} tick={tick} error={error} />
      <TradesTape prints={history} />
    </div>
  );
}
