'use client';
import { useState, type FormEvent } from 'react';
import type { ApiErrorBody } from '@/lib/contracts/errors';

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
      const response = await fetch('/api/auth/setup', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ code, email, password }),
      });
      if (!response.ok) {
        const body = (await response.json().catch(() => null)) as ApiErrorBody | null;
        setError(body?.error.message ?? `계정을 만들지 못했습니다 (HTTP ${response.status})`);
        return;
      }
      window.location.assign('/balances');
    } catch {
      setError('서버에 연결할 수 없습니다.');
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
