'use client';
import { memo } from 'react';
import type { FeedStatus, Instrument, TickEvent } from '@/lib/contracts';
import { formatChangeRate, formatCompact, formatPrice, formatSignedPrice } from '@/lib/format/number';
import { formatKstTime } from '@/lib/format/kst-time';
import { directionOf } from '@/lib/format/price-colour';

const FEED_LABEL = { connecting: '연결 중', connected: '실시간', reconnecting: '재연결 중', down: '끊김' } as const;

function QuoteHeaderView({ instrument, tick, feed, refused }: { instrument: Instrument; tick: TickEvent | null; feed: FeedStatus | null; refused: boolean }) {
  const direction = tick ? directionOf(tick.change) : 'flat';
  return (
    <div className="quote-header">
      <div className="title">
        <h1>{instrument.name}</h1>
        <span className="code">
          {instrument.code} · {instrument.venue}
        </span>
        {refused ? (
          <span className="feed feed-down" data-testid="symbol-feed">
            <span className="dot" /> 시세 없음
          </span>
        ) : feed ? (
          <span className={`feed feed-${feed.state}`} data-testid="symbol-feed" title={feed.detail ?? ''}>
            <span className="dot" /> {feed.broker} {FEED_LABEL[feed.state]}
          </span>
        ) : (
          <span className="feed feed-down" data-testid="symbol-feed">
            <span className="dot" /> 피드 없음
          </span>
        )}
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

/** Re-rendered only when its own props change: a page's other panels update at their own rate. */
export const QuoteHeader = memo(QuoteHeaderView);
