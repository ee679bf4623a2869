'use client';
import { useCallback, useEffect, useState } from 'react';
import { parseSymbol, type SymbolId } from '@/lib/contracts';

const STORAGE_KEY = 'sise.watchlist';
export const DEFAULT_WATCHLIST: SymbolId[] = [
  'KRX:005930',
  'KRX:000660',
  'KRX:035420',
  'KRX:005380',
  'KRX:035720',
  'KRX:373220',
  'UPBIT:KRW-BTC',
  'UPBIT:KRW-ETH',
];

/** The user's watchlist, kept in this browser until accounts exist to keep it on the server. */
export function useWatchlist() {
  const [symbols, setSymbols] = useState<SymbolId[]>(DEFAULT_WATCHLIST);

  useEffect(() => {
    try {
      const stored = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null') as unknown;
      if (Array.isArray(stored)) {
        const valid = stored.flatMap((s) => {
          const parsed = parseSymbol(s);
          return parsed.ok ? [parsed.value.symbol] : [];
        });
        setSymbols(valid);
      }
    } catch {
      // A corrupt entry falls back to the default list.
    }
  }, []);

  const save = useCallback((next: SymbolId[]) => {
    setSymbols(next);
    localStorage.setItem(STORAGE_KEY, JSON.stringify(next));
  }, []);

  const add = useCallback((symbol: SymbolId) => save(symbols.includes(symbol) ? symbols : [...symbols, symbol]), [symbols, save]);
  const remove = useCallback((symbol: SymbolId) => save(symbols.filter((s) => s !== symbol)), [symbols, save]);
  return { symbols, add, remove };
}
