import type { Metadata } from 'next';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { SignOutButton } from '@/components/auth/SignOutButton';
import { FeedStatusBar } from '@/components/ui/FeedStatusBar';
import { pageUser } from '@/lib/http/page-user';
import { Providers } from './providers';
// Korean glyphs on every machine, split by unicode range so a page loads only the subsets it shows.
import '@fontsource/noto-sans-kr/400.css';
import '@fontsource/noto-sans-kr/700.css';
import './globals.css';

export const metadata: Metadata = {
  title: 'Sise 시세',
  description: 'Live Korean stock and crypto quotes',
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Signed out, only the sign-in pages are reachable: no nav to pages that would send you back, and no socket.
  const user = await pageUser();
  return (
    <html lang="ko">
      <body>
        <Providers>
          <header className="topbar">
            <Link href="/" className="brand">
              Sise <span className="brand-ko">시세</span>
            </Link>
            {user && (
              <>
                <nav className="nav">
                  <Link href="/">관심종목</Link>
                  <Link href="/charts/KRX:005930">차트</Link>
                  <Link href="/grid">멀티차트</Link>
                  <Link href="/conditions">조건검색</Link>
                  <Link href="/balances">잔고</Link>
                  <Link href="/dashboards">대시보드</Link>
                  <Link href="/teams">팀</Link>
                </nav>
                <FeedStatusBar />
                <div className="user-menu">
                  <Link href="/account" title="계정, API 토큰, 연결한 증권 계좌">
                    {user.email}
                  </Link>
                  <SignOutButton />
                </div>
              </>
            )}
          </header>
          <main className="main">{children}</main>
        </Providers>
      </body>
    </html>
  );
}
