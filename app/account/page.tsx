import type { Metadata } from 'next';
import { LinkedAccountsSection } from '@/components/account/LinkedAccountsSection';
import { ApiTokensSection } from '@/components/auth/ApiTokensSection';
import { PasswordSection } from '@/components/auth/PasswordSection';
import { UsersSection } from '@/components/auth/UsersSection';
import { pageUser } from '@/lib/http/page-user';

export const metadata: Metadata = { title: '계정 · Sise' };

export default async function AccountPage() {
  // The gate only lets signed-in requests reach this page.
  const user = (await pageUser())!;
  return (
    <div className="account-page">
      <section className="panel">
        <h1>계정</h1>
        <p>
          {user.email} · {user.role === 'admin' ? '관리자' : '사용자'}
        </p>
      </section>
      <LinkedAccountsSection />
      <PasswordSection />
      <ApiTokensSection />
      {user.role === 'admin' && <UsersSection />}
    </div>
  );
}
