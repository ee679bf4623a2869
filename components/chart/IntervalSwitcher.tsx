'use client';
import { CANDLE_INTERVALS, type CandleInterval } from '@/lib/contracts';

const LABELS: Record<CandleInterval, string> = { '1s': '1초', '1m': '1분', '5m': '5분', '15m': '15분', '1h': '1시간', '1d': '일' };

export function IntervalSwitcher({ value, onChange }: { value: CandleInterval; onChange: (interval: CandleInterval) => void }) {
  return (
    <div className="intervals" role="tablist" aria-label="봉 주기">
      {CANDLE_INTERVALS.map((interval) => (
        <button
          key={interval}
          type="button"
          role="tab"
          aria-selected={interval === value}
          className={interval === value ? 'active' : ''}
          onClick={() => onChange(interval)}
          data-interval={interval}
        >
          {LABELS[interval]}
        </button>
      ))}
    </div>
  );
}
