'use client';
/**
 * Candles for a chart: the server's history for the interval (GET /api/candles), continued in the browser
 * with the symbol's live ticks whose seq is past the history's lastSeq, through the same CandleSeries code
 * the server uses — so the current candle moves with every print and matches what the server will serve.
 */
import { useQuery } from '@tanstack/react-query';
import { useMemo, useRef } from 'react';
import { CandleSeries } from '../candles/candle-series';
import type { Candle, CandleHistory, CandleInterval, SymbolId } from '../contracts';
import type { TradePrint } from './market-store';

/** Enough candles to fill a wide chart; older ones stay on the server. */
export const CHART_CANDLE_CAPACITY = 400;

async function fetchCandles(symbol: SymbolId, interval: CandleInterval): Promise<CandleHistory> {
  const response = await fetch(`/api/candles?symbol=${encodeURIComponent(symbol)}&interval=${interval}`);
  if (!response.ok) throw new Error(`candles for ${symbol} failed: ${response.status}`);
  return (await response.json()) as CandleHistory;
}

/**
 * `gaps`: the symbol's count of missed events (MarketStore). When it rises — the server conflated this client's
 * market data while it was behind, or the connection dropped — the candles built from live prints are missing
 * trades, so the history is fetched again.
 */
export function useCandles(symbol: SymbolId, interval: CandleInterval, prints: readonly TradePrint[], gaps = 0): { candles: Candle[]; loading: boolean } {
  const { data, isLoading } = useQuery({
    queryKey: ['candles', symbol, interval, gaps],
    queryFn: () => fetchCandles(symbol, interval),
    // While a refetch after a gap is under way the chart keeps the candles it has (same symbol and interval only).
    placeholderData: (previous, previousQuery) =>
      previousQuery?.queryKey[1] === symbol && previousQuery.queryKey[2] === interval ? previous : undefined,
    // The history is only a starting point; live ticks carry it on, so it needs refetching only after a gap.
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: 0,
  });
  const series = useRef<{ source: CandleHistory; series: CandleSeries } | null>(null);

  const candles = useMemo(() => {
    if (!data) return [];
    if (series.current?.source !== data) {
      series.current = { source: data, series: CandleSeries.from(interval, CHART_CANDLE_CAPACITY, data.candles, data.lastSeq) };
    }
    const current = series.current.series;
    for (const print of prints) if (print.seq > current.seq) current.apply(print);
    return current.candles();
  }, [data, prints, interval]);

  return { candles, loading: isLoading };
}
