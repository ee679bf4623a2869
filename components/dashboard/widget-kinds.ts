/**
 * What each widget kind is called on screen, the size it starts at, and the config a new one starts with.
 */
import type { Widget, WidgetKind } from '@/lib/contracts/dashboards';

export const WIDGET_LABELS: Record<WidgetKind, string> = {
  chart: '차트',
  hoga: '호가',
  watchlist: '관심종목',
  tape: '체결',
  condition: '조건검색',
  balances: '잔고',
};

/**
 * Starting sizes in grid units (12 columns, 40 px rows): a chart needs its 420 px plot and quote line; a 10-level
 * book fits 11 rows; the tape and lists get the same height so a row of widgets lines up.
 */
export const DEFAULT_SIZE: Record<WidgetKind, { w: number; h: number }> = {
  chart: { w: 6, h: 12 },
  hoga: { w: 3, h: 12 },
  watchlist: { w: 4, h: 8 },
  tape: { w: 3, h: 12 },
  condition: { w: 4, h: 8 },
  balances: { w: 4, h: 8 },
};

export function defaultConfig(kind: WidgetKind): Widget['config'] {
  switch (kind) {
    case 'chart':
      return { symbol: 'KRX:005930', interval: '1m' };
    case 'hoga':
    case 'tape':
      return { symbol: 'KRX:005930' };
    case 'watchlist':
      return { symbols: ['KRX:005930', 'KRX:000660', 'UPBIT:KRW-BTC'] };
    case 'condition':
      return { conditionKey: 'kiwoom:1' };
    case 'balances':
      return { accountId: '' };
  }
}

/** A short random id for a new widget: unique within a dashboard is all it needs. */
export function newWidgetId(kind: WidgetKind): string {
  return `${kind}-${crypto.randomUUID().slice(0, 8)}`;
}

/** What a widget's header says: its kind and what it watches. */
export function widgetTitle(widget: Widget): string {
  const label = WIDGET_LABELS[widget.kind];
  switch (widget.kind) {
    case 'chart':
      return `${label} · ${widget.config.symbol} · ${widget.config.interval}`;
    case 'hoga':
    case 'tape':
      return `${label} · ${widget.config.symbol}`;
    case 'watchlist':
      return `${label} · ${widget.config.symbols.length}종목`;
    case 'condition':
      return `${label} · ${widget.config.conditionKey}`;
    case 'balances':
      return `${label} · ${widget.config.accountId}`;
  }
}
