'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { ApiTokenInfo } from '@/lib/contracts/services';
import { formatKstDate, formatKstTime } from '@/lib/format/kst-time';
import { apiFetch } from '@/lib/client/api-fetch';

const TOKENS_KEY = ['api-tokens'] as const;

/** Personal API tokens: made here for bots (`Authorization: Bearer …`, Socket.IO `auth: { token }`), revoked here. */
export function ApiTokensSection() {
  const client = useQueryClient();
  const tokens = useQuery({ queryKey: TOKENS_KEY, queryFn: () => apiFetch<{ tokens: ApiTokenInfo[] }>('/api/tokens'), staleTime: 0 });
  const [name, setName] = useState('');
  const [fresh, setFresh] = useState<string | null>(null);
  const create = useMutation({
    mutationFn: (tokenName: string) => apiFetch<{ token: string }>('/api/tokens', { method: 'POST', body: { name: tokenName } }),
    onSuccess: ({ token }) => {
      setFresh(token);
      setName('');
      void client.invalidateQueries({ queryKey: TOKENS_KEY });
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) => apiFetch<null>(`/api/tokens/${id}`, { method: 'DELETE' }),
    onSuccess: () => void client.invalidateQueries({ queryKey: TOKENS_KEY }),
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    setFresh(null);
    create.mutate(name);
  }

  const live = tokens.data?.tokens.filter((t) => t.revokedAt === null) ?? [];
  return (
    <section className="panel" aria-labelledby="tokens-title">
      <h2 id="tokens-title">API 토큰</h2>
      <p className="muted">
        프로그램이 내 권한으로 접속할 때 씁니다: HTTP는 <code>Authorization: Bearer &lt;토큰&gt;</code>, Socket.IO는{' '}
        <code>{'io(url, { auth: { token } })'}</code>, client_kit 도구는 <code>/bridge/&lt;토큰&gt;</code>.
      </p>
      <form className="inline-form" onSubmit={submit}>
        <input aria-label="토큰 이름" placeholder="토큰 이름 (예: 자동매매 봇)" value={name} maxLength={60} onChange={(e) => setName(e.target.value)} required />
        <button type="submit" disabled={create.isPending}>
          토큰 만들기
        </button>
      </form>
      {create.error && <p className="auth-error">{create.error.message}</p>}
      {fresh && (
        <div className="token-fresh" role="status">
          <p>새 토큰입니다. 지금만 보이니 복사해 두세요.</p>
          <code data-testid="new-token">{fresh}</code>
        </div>
      )}
      {tokens.error && <p className="auth-error">{tokens.error.message}</p>}
      <table className="data-table">
        <thead>
          <tr>
            <th>이름</th>
            <th>만든 시각 (KST)</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {live.map((token) => (
            <tr key={token.id}>
              <td>{token.name}</td>
              <td>{formatKstDate(Date.parse(token.createdAt))} {formatKstTime(Date.parse(token.createdAt))}</td>
              <td>
                <button type="button" className="danger" disabled={revoke.isPending} onClick={() => revoke.mutate(token.id)}>
                  폐기
                </button>
              </td>
            </tr>
          ))}
          {tokens.isSuccess && live.length === 0 && (
            <tr>
              <td colSpan={3} className="muted">
                토큰이 없습니다.
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </section>
  );
}
