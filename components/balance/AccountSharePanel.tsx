'use client';
import { useState } from 'react';
import { useAccountShares } from '@/lib/client/use-account-shares';

/** 공유: the users this account is shared with, for its owner (or an admin, for accounts configured on the server). */
export function AccountSharePanel({ accountId }: { accountId: string }) {
  const [open, setOpen] = useState(false);
  const [email, setEmail] = useState('');
  const { list, share, unshare } = useAccountShares(accountId, open);
  const error = list.error ?? share.error ?? unshare.error;

  return (
    <details className="balances-share" onToggle={(e) => setOpen(e.currentTarget.open)} data-testid="share-panel">
      <summary>계좌 공유</summary>
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (email.trim()) share.mutate(email.trim(), { onSuccess: () => setEmail('') });
        }}
      >
        <input type="email" placeholder="공유할 사용자의 이메일" aria-label="공유할 사용자의 이메일" value={email} onChange={(e) => setEmail(e.target.value)} />
        <button type="submit" className="action" disabled={share.isPending || !email.trim()}>
          공유
        </button>
      </form>
      {error ? <p className="error-text">{error.message}</p> : null}
      {list.data && list.data.length === 0 ? <p className="muted balances-empty">아직 아무와도 공유하지 않았습니다.</p> : null}
      <ul className="balances-share-list">
        {(list.data ?? []).map((s) => (
          <li key={s.userId} data-testid="share-row">
            <span>{s.email}</span>
            <button type="button" className="danger" disabled={unshare.isPending} onClick={() => unshare.mutate(s.userId)}>
              공유 해제
            </button>
          </li>
        ))}
      </ul>
    </details>
  );
}
