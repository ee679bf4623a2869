'use client';
import type { SymbolId } from '@/lib/contracts';
import type { Widget } from '@/lib/contracts/dashboards';
import { BalancesWidget } from './BalancesWidget';
import { ChartWidget } from './ChartWidget';
import { ConditionWidget } from './ConditionWidget';
import { HogaWidget } from './HogaWidget';
import { TapeWidget } from './TapeWidget';
import { WatchlistWidget } from './WatchlistWidget';

/** The live content of one widget, by kind. */
export function WidgetBody({ widget }: { widget: Widget }) {
  switch (widget.kind) {
    case 'chart':
      return <ChartWidget symbol={widget.config.symbol as SymbolId} interval={widget.config.interval} />;
    case 'hoga':
      return <HogaWidget symbol={widget.config.symbol as SymbolId} />;
    case 'tape':
      return <TapeWidget symbol={widget.config.symbol as SymbolId} />;
    case 'watchlist':
      return <WatchlistWidget symbols={widget.config.symbols as SymbolId[]} />;
    case 'condition':
      return <ConditionWidget conditionKey={widget.config.conditionKey} />;
    case 'balances':
      return <BalancesWidget accountId={widget.config.accountId} />;
  }
}
