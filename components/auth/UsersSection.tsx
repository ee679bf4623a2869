'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { SessionUser } from '@/lib/contracts/auth';
import { apiFetch } from '@/lib/client/api-fetch';

const USERS_KEY = ['users'] as const;

/** Admins make their teammates' accounts here (there is no open sign-up); people change nothing else here. */
export function UsersSection() {
  const client = useQueryClient();
  const users = useQuery({ queryKey: USERS_KEY, queryFn: () => apiFetch<{ users: SessionUser[] }>('/api/users'), staleTime: 0 });
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<'user' | 'admin'>('user');
  const create = useMutation({
    mutationFn: () => apiFetch<{ user: SessionUser }>('/api/users', { method: 'POST', body: { email, password, role } }),
    onSuccess: () => {
      setEmail('');
      setPassword('');
      void client.invalidateQueries({ queryKey: USERS_KEY });
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate();
  }

  return (
    <section className="panel" aria-labelledby="users-title">
      <h2 id="users-title">사용자 관리</h2>
      <form className="inline-form" onSubmit={submit}>
        <input type="email" aria-label="새 사용자 이메일" placeholder="이메일" value={email} onChange={(e) => setEmail(e.target.value)} required />
        <input type="password" aria-label="초기 비밀번호" placeholder="초기 비밀번호 (10자 이상)" minLength={10} value={password} onChange={(e) => setPassword(e.target.value)} required />
        <select aria-label="역할" value={role} onChange={(e) => setRole(e.target.value === 'admin' ? 'admin' : 'user')}>
          <option value="user">사용자</option>
          <option value="admin">관리자</option>
        </select>
        <button type="submit" disabled={create.isPending}>
          사용자 추가
        </button>
      </form>
      {create.error && <p className="auth-error">{create.error.message}</p>}
      <table className="data-table">
        <thead>
          <tr>
            <th>이메일</th>
            <th>역할</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {users.data?.users.map((user) => (
            <tr key={user.id}>
              <td>{user.email}</td>
              <td>{user.role === 'admin' ? '관리자' : '사용자'}</td>
              <td>
                <PasswordReset user={user} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** For someone who forgot their password: the admin sets a new one and tells them; their sessions end. */
function PasswordReset({ user }: { user: SessionUser }) {
  const [open, setOpen] = useState(false);
  const [password, setPassword] = useState('');
  const reset = useMutation({
    mutationFn: () => apiFetch<void>(`/api/users/${user.id}/password`, { method: 'PUT', body: { password } }),
    onSuccess: () => {
      setPassword('');
      setOpen(false);
    },
  });
  if (!open) {
    return (
      <button type="button" className="link-button" onClick={() => setOpen(true)}>
        {reset.isSuccess ? '재설정함 · 다시 재설정' : '비밀번호 재설정'}
      </button>
    );
  }
  return (
    <form
      className="inline-form"
      onSubmit={(event) => {
        event.preventDefault();
        reset.mutate();
      }}
    >
      <input type="password" aria-label={`${user.email}의 새 비밀번호`} placeholder="새 비밀번호 (10자 이상)" minLength={10} value={password} onChange={(e) => setPassword(e.target.value)} required />
      <button type="submit" disabled={reset.isPending}>
        저장
      </button>
      <button type="button" onClick={() => setOpen(false)}>
        취소
      </button>
      {reset.error && <span className="auth-error">{reset.error.message}</span>}
    </form>
  );
}
