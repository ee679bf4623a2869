'use client';
/**
 * The last traded price of several symbols at once (a balance's holdings), live from the market stream: the
 * symbols are subscribed while the caller is mounted, and the caller re-renders at most once per animation frame.
 */
import { useCallback, useEffect, useMemo, useRef, useSyncExternalStore } from 'react';
import type { SymbolId } from '../contracts';
import { getMarketClient } from './market-client';

const NO_PRICES: ReadonlyMap<SymbolId, number> = new Map();

export function useLastPrices(symbols: readonly SymbolId[]): ReadonlyMap<SymbolId, number> {
  // One identity per set of symbols, so a new array with the same symbols does not resubscribe.
  const key = [...new Set(symbols)].sort().join(',');
  const list = useMemo(() => (key ? (key.split(',') as SymbolId[]) : []), [key]);

  useEffect(() => {
    const releases = list.map((symbol) => getMarketClient().subscriptions.retain(symbol));
    return () => releases.forEach((release) => release());
  }, [list]);

  const subscribe = useCallback(
    (listener: () => void) => {
      const stops = list.map((symbol) => getMarketClient().store.subscribe(symbol, listener));
      return () => stops.forEach((stop) => stop());
    },
    [list],
  );

  // useSyncExternalStore wants the same object while nothing changed: the map is rebuilt only when a price moves.
  const cache = useRef<{ signature: string; prices: ReadonlyMap<SymbolId, number> }>({ signature: '', prices: NO_PRICES });
  const snapshot = useCallback(() => {
    const store = getMarketClient().store;
    const entries = list.flatMap((symbol) => {
      const price = store.get(symbol).tick?.price;
      return price === undefined ? [] : [[symbol, price] as const];
    });
    const signature = entries.map(([symbol, price]) => `${symbol}=${price}`).join(',');
    if (signature !== cache.current.signature) cache.current = { signature, prices: new Map(entries) };
    return cache.current.prices;
  }, [list]);

  return useSyncExternalStore(subscribe, snapshot, () => NO_PRICES);
}
