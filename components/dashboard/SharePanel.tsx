'use client';
import { useState } from 'react';
import type { DashboardShare, ShareRole, TeamSummary } from '@/lib/contracts/dashboards';
import { apiFetch } from '@/lib/client/api-fetch';

const SHARE_ROLE_LABELS: Record<ShareRole, string> = { editor: '편집', viewer: '보기' };

/** The owner shares the dashboard with a team they own or edit in, for editing or viewing, and can stop sharing. */
export function SharePanel({ dashboardId, teams, initialShares }: { dashboardId: string; teams: readonly TeamSummary[]; initialShares: readonly DashboardShare[] }) {
  const [shares, setShares] = useState<readonly DashboardShare[]>(initialShares);
  const shareable = teams.filter((team) => team.role !== 'viewer');
  const [teamId, setTeamId] = useState(shareable[0]?.id ?? '');
  const [role, setRole] = useState<ShareRole>('viewer');
  const [error, setError] = useState<string | null>(null);

  const run = async (work: () => Promise<{ shares: DashboardShare[] }>) => {
    setError(null);
    try {
      setShares((await work()).shares);
    } catch (failure) {
      setError((failure as Error).message);
    }
  };

  return (
    <section className="panel share-panel" aria-label="공유">
      <h2>팀과 공유</h2>
      {shares.length === 0 ? <p className="muted">개인 대시보드입니다 (공유 안 됨).</p> : null}
      <ul className="share-list">
        {shares.map((share) => (
          <li key={share.teamId}>
            {share.teamName} · {SHARE_ROLE_LABELS[share.role]}
            <button type="button" className="icon" aria-label={`${share.teamName} 공유 해제`} onClick={() => void run(() => apiFetch(`/api/dashboards/${dashboardId}/shares/${share.teamId}`, { method: 'DELETE' }))}>
              ×
            </button>
          </li>
        ))}
      </ul>
      {shareable.length === 0 ? (
        <p className="muted">공유할 팀이 없습니다. 팀 페이지에서 팀을 만드세요.</p>
      ) : (
        <div className="form-row">
          <select aria-label="공유할 팀" value={teamId} onChange={(e) => setTeamId(e.target.value)}>
            {shareable.map((team) => (
              <option key={team.id} value={team.id}>
                {team.name}
              </option>
            ))}
          </select>
          <select aria-label="공유 권한" value={role} onChange={(e) => setRole(e.target.value as ShareRole)}>
            <option value="viewer">보기</option>
            <option value="editor">편집</option>
          </select>
          <button type="button" onClick={() => void run(() => apiFetch(`/api/dashboards/${dashboardId}/shares`, { method: 'PUT', body: { teamId, role } }))}>
            공유
          </button>
        </div>
      )}
      {error ? <p className="error-text">{error}</p> : null}
    </section>
  );
}
