'use client';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import type { InvitePreview } from '@/lib/contracts/dashboards';
import { formatKstDate, formatKstTime } from '@/lib/format/kst-time';
import { apiFetch } from '@/lib/client/api-fetch';
import { TEAM_ROLE_LABELS } from './team-roles';

/** Accepting an invite: the team, the role it gives and when the link expires, then one button. */
export function JoinTeam({ token, preview }: { token: string; preview: InvitePreview }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const accept = async () => {
    setPending(true);
    setError(null);
    try {
      await apiFetch(`/api/teams/join/${encodeURIComponent(token)}`, { method: 'POST' });
      router.push('/teams');
    } catch (failure) {
      setError((failure as Error).message);
      setPending(false);
    }
  };
  return (
    <section className="panel join-team" data-testid="invite">
      <h1>팀 초대</h1>
      <p>
        <strong>{preview.teamName}</strong> 팀에 <strong>{TEAM_ROLE_LABELS[preview.role]}</strong>(으)로 초대되었습니다.
      </p>
      <p className="muted">
        링크 만료: {formatKstDate(preview.expiresAt)} {formatKstTime(preview.expiresAt)} KST
      </p>
      {preview.alreadyMember ? (
        <p>
          이미 이 팀의 구성원입니다. <a href="/teams">내 팀 보기</a>
        </p>
      ) : (
        <button type="button" className="primary" onClick={() => void accept()} disabled={pending}>
          팀 참여
        </button>
      )}
      {error ? <p className="error-text">{error}</p> : null}
    </section>
  );
}
