'use client';
import { useQuery } from '@tanstack/react-query';
import type { Instrument } from '@/lib/contracts';

/** The whole universe in one request: a few hundred rows, and every row needs its name. */
const UNIVERSE_LIMIT = 500;

async function fetchInstruments(query: string, limit: number): Promise<Instrument[]> {
  const response = await fetch(`/api/instruments?q=${encodeURIComponent(query)}&limit=${limit}`);
  if (!response.ok) throw new Error(`instrument search failed: ${response.status}`);
  return ((await response.json()) as { instruments: Instrument[] }).instruments;
}

export function useInstrumentUniverse() {
  return useQuery({ queryKey: ['instruments', 'all'], queryFn: () => fetchInstruments('', UNIVERSE_LIMIT) });
}

export function useInstrumentSearch(query: string) {
  return useQuery({
    queryKey: ['instruments', 'search', query],
    queryFn: () => fetchInstruments(query, 10),
    enabled: query.trim().length > 0,
  });
}
