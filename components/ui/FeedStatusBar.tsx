'use client';
import { useFeeds } from '@/lib/client/hooks';

const STATE_LABEL = { connecting: '연결 중', connected: '연결됨', reconnecting: '재연결 중', down: '끊김' } as const;

/** One badge per broker session, so a user knows whether a still price is a quiet market or a dead feed. */
export function FeedStatusBar() {
  const feeds = useFeeds();
  if (feeds.length === 0) return <div className="feeds" data-testid="feeds">서버 연결 중…</div>;
  return (
    <div className="feeds" data-testid="feeds">
      {feeds.map((feed) => (
        <span
          key={feed.broker}
          className={`feed feed-${feed.state}`}
          title={`${feed.broker}: ${feed.state}${feed.detail ? ` — ${feed.detail}` : ''}\nserving ${feed.serving.join(', ') || 'nothing'}`}
        >
          <span className="dot" /> {feed.broker} <span className="feed-state">{STATE_LABEL[feed.state]}</span>
          {feed.serving.length > 0 ? <span className="serving"> · {feed.serving.join('/')}</span> : null}
        </span>
      ))}
    </div>
  );
}
