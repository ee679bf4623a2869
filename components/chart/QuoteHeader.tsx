'use client';
import type { Instrument, TickEvent } from '@/lib/contracts';
import { formatChangeRate, formatCompact, formatPrice, formatSignedPrice } from '@/lib/format/number';
import { formatKstTime } from '@/lib/format/kst-time';
import { directionOf } from '@/lib/format/price-colour';

export function QuoteHeader({ instrument, tick }: { instrument: Instrument; tick: TickEvent | null }) {
  const direction = tick ? directionOf(tick.change) : 'flat';
  return (
    <div className="quote-header">
      <div className="title">
        <h1>{instrument.name}</h1>
        <span className="code">
          {instrument.code} · {instrument.venue}
        </span>
      </div>
      <div className={`last ${direction}`}>
        <span className="last-price" data-testid="last-price">
          {tick ? formatPrice(tick.price) : '—'}
        </span>
        <span className="change">
          {tick ? `${formatSignedPrice(tick.change)} (${formatChangeRate(tick.changeRate)})` : ''}
        </span>
      </div>
      <dl className="stats">
        <div><dt>시가</dt><dd>{tick ? formatPrice(tick.open) : '—'}</dd></div>
        <div><dt>고가</dt><dd className="rise">{tick ? formatPrice(tick.high) : '—'}</dd></div>
        <div><dt>저가</dt><dd className="fall">{tick ? formatPrice(tick.low) : '—'}</dd></div>
        <div><dt>전일종가</dt><dd>{formatPrice(tick?.prevClose ?? instrument.prevClose)}</dd></div>
        <div><dt>거래량</dt><dd>{tick ? formatCompact(tick.cumVolume) : '—'}</dd></div>
        <div><dt>거래대금</dt><dd>{tick ? formatCompact(tick.cumValue) : '—'}</dd></div>
        <div><dt>체결시각</dt><dd>{tick ? formatKstTime(tick.ts) : '—'}</dd></div>
      </dl>
    </div>
  );
}
