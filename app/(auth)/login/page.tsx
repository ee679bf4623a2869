import type { Metadata } from 'next';
import { SignInForm } from '@/components/auth/SignInForm';

export const metadata: Metadata = { title: '로그인 · Sise' };

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  const { next } = await searchParams;
  return (
    <section className="auth-card">
      <h1>로그인</h1>
      <p className="muted">Sise 계정으로 로그인하세요. 계정은 관리자가 만들어 줍니다.</p>
      <SignInForm next={next} />
    </section>
  );
}
