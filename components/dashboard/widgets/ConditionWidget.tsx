'use client';
import Link from 'next/link';
import { useEffect } from 'react';
import { formatKstTime } from '@/lib/format/kst-time';
import { useLiveCondition } from '../../condition/use-live-condition';
import { useInstrumentUniverse } from '../../watchlist/use-instruments';

/** Lines of the event log a widget shows; the conditions page keeps the long log. */
const WIDGET_LOG_LINES = 8;

/** A live condition search (조건검색): its members, entering ones highlighted, leaving ones struck through, and the latest events. */
export function ConditionWidget({ conditionKey }: { conditionKey: string }) {
  const { live, members, log, error, start, stop } = useLiveCondition(conditionKey);
  // The broker names a symbol only in some events; the instrument list names every one.
  const universe = useInstrumentUniverse();
  const names = new Map((universe.data ?? []).map((instrument) => [instrument.symbol as string, instrument.name]));
  useEffect(() => {
    start();
    return stop;
  }, [start, stop]);
  if (error) return <p className="error-text">{error}</p>;
  return (
    <div className="widget-scroll" data-testid="condition-widget">
      <p className="muted">
        {conditionKey} · {live ? `실시간 ${members.length}종목` : '연결 중…'}
      </p>
      <ul className="widget-members">
        {members.map((member) => (
          <li key={member.symbol} className={member.state}>
            <Link href={`/charts/${member.symbol}`}>{member.name ?? names.get(member.symbol) ?? member.symbol}</Link>
          </li>
        ))}
      </ul>
      <ol className="widget-log">
        {log.slice(0, WIDGET_LOG_LINES).map((line) => (
          <li key={`${line.seq}-${line.symbol}`} className={line.action === 'insert' ? 'rise' : 'fall'}>
            {formatKstTime(line.ts)} {line.action === 'insert' ? '편입' : '이탈'} {line.name ?? names.get(line.symbol) ?? line.symbol}
          </li>
        ))}
      </ol>
    </div>
  );
}
