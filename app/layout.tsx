import type { Metadata } from 'next';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { FeedStatusBar } from '@/components/ui/FeedStatusBar';
import { Providers } from './providers';
// Korean glyphs on every machine, split by unicode range so a page loads only the subsets it shows.
import '@fontsource/noto-sans-kr/400.css';
import '@fontsource/noto-sans-kr/700.css';
import './globals.css';

export const metadata: Metadata = {
  title: 'Sise 시세',
  description: 'Live Korean stock and crypto quotes',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="ko">
      <body>
        <Providers>
          <header className="topbar">
            <Link href="/" className="brand">
              Sise <span className="brand-ko">시세</span>
            </Link>
            <nav className="nav">
              <Link href="/">관심종목</Link>
              <Link href="/charts/KRX:005930">차트</Link>
              <Link href="/grid">멀티차트</Link>
              <Link href="/conditions">조건검색</Link>
            </nav>
            <FeedStatusBar />
          </header>
          <main className="main">{children}</main>
        </Providers>
      </body>
    </html>
  );
}
