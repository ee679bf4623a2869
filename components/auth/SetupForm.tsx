'use client';
import { apiFetch } from '@/lib/client/api-fetch';
import { EmailPasswordForm } from './EmailPasswordForm';

/** The first admin account, made with the one-time code `npm start` printed. */
export function SetupForm({ code }: { code: string }) {
  return (
    <EmailPasswordForm
      label="관리자 계정 만들기"
      passwordLabel="비밀번호 (10자 이상)"
      newPassword
      submitLabel="관리자 계정 만들기"
      offlineMessage="서버에 연결할 수 없습니다."
      onSubmit={async (email, password) => {
        await apiFetch('/api/auth/setup', { method: 'POST', body: { code, email, password } });
        window.location.assign('/balances');
      }}
    />
  );
}
