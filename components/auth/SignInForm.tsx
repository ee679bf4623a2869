'use client';
import { apiFetch } from '@/lib/client/api-fetch';
import { EmailPasswordForm } from './EmailPasswordForm';

/** Only same-site paths: `next=https://evil.example` must not turn sign-in into an open redirect. */
export function safeNext(next: string | undefined): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/balances';
}

export function SignInForm({ next }: { next: string | undefined }) {
  return (
    <EmailPasswordForm
      label="로그인"
      passwordLabel="비밀번호"
      submitLabel="로그인"
      offlineMessage="서버에 연결할 수 없습니다. 잠시 후 다시 시도하세요."
      onSubmit={async (email, password) => {
        await apiFetch('/api/auth/login', { method: 'POST', body: { email, password } });
        // A full load, so the layout and the socket start again as the signed-in user.
        window.location.assign(safeNext(next));
      }}
    />
  );
}
