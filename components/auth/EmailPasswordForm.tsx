'use client';
import { useState, type FormEvent } from 'react';
import { ApiRequestError } from '@/lib/client/api-fetch';

/**
 * The e-mail and password form of sign-in and first-run setup: one submit at a time, and the server's words
 * shown when it refuses (a network failure gets `offlineMessage`).
 */
export function EmailPasswordForm({
  label,
  passwordLabel,
  newPassword,
  submitLabel,
  offlineMessage,
  onSubmit,
}: {
  /** The form's accessible name. */
  label: string;
  passwordLabel: string;
  /** A password being chosen (setup): the browser may suggest one, and the minimum length is checked here too. */
  newPassword?: boolean;
  submitLabel: string;
  offlineMessage: string;
  onSubmit: (email: string, password: string) => Promise<void>;
}) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await onSubmit(email, password);
    } catch (failure) {
      setError(failure instanceof ApiRequestError ? failure.message : offlineMessage);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="auth-form" onSubmit={submit} aria-label={label}>
      <label>
        이메일
        <input type="email" name="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
      </label>
      <label>
        {passwordLabel}
        <input
          type="password"
          name="password"
          autoComplete={newPassword ? 'new-password' : 'current-password'}
          {...(newPassword ? { minLength: 10 } : {})}
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
      </label>
      {error && (
        <p className="auth-error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="primary" disabled={busy}>
        {busy ? '확인 중…' : submitLabel}
      </button>
    </form>
  );
}
