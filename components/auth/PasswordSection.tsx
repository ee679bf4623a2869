'use client';
import { useState, type FormEvent } from 'react';
import { apiFetch, ApiRequestError } from '@/lib/client/api-fetch';

/** Changing one's own password; the other signed-in browsers of this account are signed out. */
export function PasswordSection() {
  const [currentPassword, setCurrent] = useState('');
  const [newPassword, setNew] = useState('');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setMessage(null);
    try {
      await apiFetch('/api/auth/password', { method: 'POST', body: { currentPassword, newPassword } });
      setCurrent('');
      setNew('');
      setMessage({ ok: true, text: '비밀번호를 바꿨습니다. 다른 기기의 로그인은 끝났습니다.' });
    } catch (error) {
      setMessage({ ok: false, text: error instanceof ApiRequestError ? error.message : '서버에 연결할 수 없습니다.' });
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="panel" aria-labelledby="password-title">
      <h2 id="password-title">비밀번호 변경</h2>
      <form className="inline-form" onSubmit={submit}>
        <input type="password" aria-label="현재 비밀번호" placeholder="현재 비밀번호" autoComplete="current-password" value={currentPassword} onChange={(e) => setCurrent(e.target.value)} required />
        <input type="password" aria-label="새 비밀번호" placeholder="새 비밀번호 (10자 이상)" autoComplete="new-password" minLength={10} value={newPassword} onChange={(e) => setNew(e.target.value)} required />
        <button type="submit" disabled={busy}>
          변경
        </button>
      </form>
      {message && (
        <p className={message.ok ? 'muted' : 'auth-error'} role="status">
          {message.text}
        </p>
      )}
    </section>
  );
}
