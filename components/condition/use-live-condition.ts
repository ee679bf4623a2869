'use client';
/**
 * A live condition search on the shared socket: joins `cond:<key>`, starts from the members the server reports,
 * then applies inserts and deletes as they come. A deleted symbol stays, struck through, for a moment before it
 * leaves the table, so the eye can catch what left.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ConditionEvent, SubscribeAck, SymbolId } from '@/lib/contracts';
import { getSocket } from '@/lib/client/socket';

/** Long enough to notice a row struck through, short enough that the table does not fill with leavers. */
export const LEAVING_ROW_MS = 4_000;
/** The event log keeps this many lines; older ones scroll away. */
export const EVENT_LOG_LIMIT = 200;

export interface LiveMember {
  symbol: SymbolId;
  name: string | null;
  state: 'member' | 'entered' | 'leaving';
}

export interface LogLine {
  seq: number;
  ts: number;
  symbol: SymbolId;
  name: string | null;
  action: 'insert' | 'delete';
}

export function useLiveCondition(conditionKey: string | null) {
  const [live, setLive] = useState(false);
  const [members, setMembers] = useState<Map<SymbolId, LiveMember>>(new Map());
  const [log, setLog] = useState<LogLine[]>([]);
  const [error, setError] = useState<string | null>(null);
  const timers = useRef(new Set<ReturnType<typeof setTimeout>>());

  const stop = useCallback(() => {
    if (conditionKey) getSocket().emit('unsubscribe', { conditions: [conditionKey] }, () => {});
    for (const timer of timers.current) clearTimeout(timer);
    timers.current.clear();
    setLive(false);
  }, [conditionKey]);

  const start = useCallback(() => {
    if (!conditionKey) return;
    setError(null);
    setLog([]);
    getSocket().emit('subscribe', { conditions: [conditionKey] }, (ack: SubscribeAck) => {
      const result = ack.results.find((r) => r.kind === 'condition' && r.id === conditionKey);
      if (!result || !result.ok) {
        setError(result && !result.ok ? result.error.message : (ack.error?.message ?? 'the server did not answer'));
        return;
      }
      setMembers(new Map((result.members ?? []).map((symbol) => [symbol as SymbolId, { symbol: symbol as SymbolId, name: null, state: 'member' as const }])));
      setLive(true);
    });
  }, [conditionKey]);

  useEffect(() => {
    if (!live || !conditionKey) return;
    const socket = getSocket();
    const onEvent = (event: ConditionEvent) => {
      if (event.conditionKey !== conditionKey) return;
      setLog((lines) => [{ seq: event.seq, ts: event.ts, symbol: event.symbol, name: event.name, action: event.action }, ...lines].slice(0, EVENT_LOG_LIMIT));
      setMembers((current) => {
        const next = new Map(current);
        if (event.action === 'insert') {
          next.set(event.symbol, { symbol: event.symbol, name: event.name, state: 'entered' });
        } else if (next.has(event.symbol)) {
          next.set(event.symbol, { ...next.get(event.symbol)!, state: 'leaving' });
          const timer = setTimeout(() => {
            timers.current.delete(timer);
            setMembers((later) => {
              if (later.get(event.symbol)?.state !== 'leaving') return later;
              const pruned = new Map(later);
              pruned.delete(event.symbol);
              return pruned;
            });
          }, LEAVING_ROW_MS);
          timers.current.add(timer);
        }
        return next;
      });
    };
    socket.on('condition', onEvent);
    return () => {
      socket.off('condition', onEvent);
    };
  }, [live, conditionKey]);

  // Leaving the page or picking another condition stops the live search for this viewer.
  useEffect(() => () => stop(), [stop]);

  return { live, members: [...members.values()], log, error, start, stop };
}
