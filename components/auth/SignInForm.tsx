'use client';
import { useState, type FormEvent } from 'react';
import { apiFetch, ApiRequestError } from '@/lib/client/api-fetch';

/** Only same-site paths: `next=https://evil.example` must not turn sign-in into an open redirect. */
export function safeNext(next: string | undefined): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/balances';
}

export function SignInForm({ next }: { next: string | undefined }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await apiFetch('/api/auth/login', { method: 'POST', body: { email, password } });
      // A full load, so the layout and the socket start again as the signed-in user.
      window.location.assign(safeNext(next));
    } catch (error) {
      setError(error instanceof ApiRequestError ? error.message : '서버에 연결할 수 없습니다. 잠시 후 다시 시도하세요.');
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="auth-form" onSubmit={submit} aria-label="로그인">
      <label>
        이메일
        <input type="email" name="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
      </label>
      <label>
        비밀번호
        <input type="password" name="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
      </label>
      {error && (
        <p className="auth-error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="primary" disabled={busy}>
        {busy ? '확인 중…' : '로그인'}
      </button>
    </form>
  );
}
