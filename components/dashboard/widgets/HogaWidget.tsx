'use client';
import type { SymbolId } from '@/lib/contracts';
import { useSymbol } from '@/lib/client/hooks';
import { HogaLadder } from '../../hoga/HogaLadder';
import { QuoteLine } from './QuoteLine';

/** Ten levels a side, as on the chart page; a short widget scrolls. */
const HOGA_DEPTH = 10;

export function HogaWidget({ symbol }: { symbol: SymbolId }) {
  const { tick, hoga, error } = useSymbol(symbol);
  return (
    <div className="widget-scroll" data-testid="hoga-widget">
      <QuoteLine symbol={symbol} tick={tick} error={error} />
      <HogaLadder hoga={hoga} prevClose={tick?.prevClose ?? hoga?.bids[0]?.price ?? 1} lastPrice={tick?.price ?? null} depth={HOGA_DEPTH} compact />
    </div>
  );
}
