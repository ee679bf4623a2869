'use client';
import { useState, type FormEvent } from 'react';
import { apiFetch, ApiRequestError } from '@/lib/client/api-fetch';

/** The first admin account, made with the one-time code `npm start` printed. */
export function SetupForm({ code }: { code: string }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await apiFetch('/api/auth/setup', { method: 'POST', body: { code, email, password } });
      window.location.assign('/balances');
    } catch (error) {
      setError(error instanceof ApiRequestError ? error.message : '서버에 연결할 수 없습니다.');
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="auth-form" onSubmit={submit} aria-label="관리자 계정 만들기">
      <label>
        이메일
        <input type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
      </label>
      <label>
        비밀번호 (10자 이상)
        <input type="password" autoComplete="new-password" minLength={10} required value={password} onChange={(e) => setPassword(e.target.value)} />
      </label>
      {error && (
        <p className="auth-error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="primary" disabled={busy || code === ''}>
        관리자 계정 만들기
      </button>
    </form>
  );
}
