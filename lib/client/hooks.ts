'use client';
/**
 * React hooks over the market client. Components call useSymbol and get a state that changes at most once
 * per animation frame.
 */
import { useCallback, useEffect, useSyncExternalStore } from 'react';
import type { FeedStatus, SymbolId } from '../contracts';
import { getMarketClient } from './market-client';
import type { SymbolState } from './market-store';

const SERVER_STATE: SymbolState = { tick: null, hoga: null, history: [], gaps: 0, error: null };
const NO_FEEDS: FeedStatus[] = [];

/** Live state of one symbol; subscribes while the calling component is mounted. */
export function useSymbol(symbol: SymbolId): SymbolState {
  useEffect(() => getMarketClient().subscriptions.retain(symbol), [symbol]);
  const subscribe = useCallback((listener: () => void) => getMarketClient().store.subscribe(symbol, listener), [symbol]);
  const snapshot = useCallback(() => getMarketClient().store.get(symbol), [symbol]);
  return useSyncExternalStore(subscribe, snapshot, () => SERVER_STATE);
}

/** Every broker feed's status as last pushed by the server. */
export function useFeeds(): FeedStatus[] {
  return useSyncExternalStore(
    (listener) => getMarketClient().store.subscribeFeeds(listener),
    () => getMarketClient().store.feedStatuses(),
    () => NO_FEEDS,
  );
}
