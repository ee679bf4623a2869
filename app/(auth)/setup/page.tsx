import type { Metadata } from 'next';
import { SetupForm } from '@/components/auth/SetupForm';

export const metadata: Metadata = { title: '처음 설정 · Sise' };

export default async function SetupPage({ searchParams }: { searchParams: Promise<{ code?: string }> }) {
  const { code } = await searchParams;
  return (
    <section className="auth-card">
      <h1>처음 설정</h1>
      <p className="muted">첫 관리자 계정을 만듭니다. 이 주소는 서버를 시작할 때 터미널에 출력되며 한 번만 쓸 수 있습니다.</p>
      {code ? <SetupForm code={code} /> : <p className="auth-error">설정 코드가 없습니다. `npm start`가 출력한 주소를 그대로 여세요.</p>}
    </section>
  );
}
