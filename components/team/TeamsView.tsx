'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { TEAM_ROLES, type CreatedInvite, type InviteRole, type TeamInvite, type TeamMember, type TeamRole, type TeamSummary } from '@/lib/contracts/dashboards';
import { formatKstDate, formatKstTime } from '@/lib/format/kst-time';
import { apiFetch } from '@/lib/client/api-fetch';
import { TEAM_ROLE_LABELS } from './team-roles';

/** One team: its members (owners change roles and remove people; anyone may leave) and, for owners, invite links. */
function TeamPanel({ team, userId }: { team: TeamSummary; userId: string }) {
  const queryClient = useQueryClient();
  const isOwner = team.role === 'owner';
  const membersKey = ['team-members', team.id];
  const invitesKey = ['team-invites', team.id];
  const members = useQuery({ queryKey: membersKey, queryFn: () => apiFetch<{ members: TeamMember[] }>(`/api/teams/${team.id}/members`), staleTime: 0 });
  const invites = useQuery({ queryKey: invitesKey, queryFn: () => apiFetch<{ invites: TeamInvite[] }>(`/api/teams/${team.id}/invites`), enabled: isOwner, staleTime: 0 });
  const [inviteRole, setInviteRole] = useState<InviteRole>('viewer');
  const [created, setCreated] = useState<CreatedInvite | null>(null);
  const [error, setError] = useState<string | null>(null);

  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: membersKey });
    void queryClient.invalidateQueries({ queryKey: invitesKey });
    void queryClient.invalidateQueries({ queryKey: ['teams'] });
  };
  const call = useMutation({
    mutationFn: ({ url, method, body }: { url: string; method: string; body?: unknown }) => apiFetch<unknown>(url, { method, body }),
    onSuccess: refresh,
    onError: (failure) => setError(failure.message),
  });
  const invite = useMutation({
    mutationFn: () => apiFetch<{ invite: CreatedInvite }>(`/api/teams/${team.id}/invites`, { method: 'POST', body: { role: inviteRole } }),
    onSuccess: ({ invite: made }) => {
      setCreated(made);
      refresh();
    },
    onError: (failure) => setError(failure.message),
  });
  const inviteUrl = created ? `${window.location.origin}${created.path}` : null;

  return (
    <section className="panel team-panel" data-testid="team" data-team-id={team.id}>
      <h2>
        {team.name} <span className={`role-badge role-${team.role}`}>{TEAM_ROLE_LABELS[team.role]}</span>
      </h2>
      <table className="widget-table">
        <thead>
          <tr>
            <th>구성원</th>
            <th>역할</th>
            <th>참여 (KST)</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {(members.data?.members ?? []).map((member) => (
            <tr key={member.userId} data-testid="team-member">
              <td>{member.email}</td>
              <td>
                {isOwner ? (
                  <select
                    aria-label={`${member.email} 역할`}
                    value={member.role}
                    onChange={(e) => call.mutate({ url: `/api/teams/${team.id}/members/${member.userId}`, method: 'PATCH', body: { role: e.target.value as TeamRole } })}
                  >
                    {TEAM_ROLES.map((role) => (
                      <option key={role} value={role}>
                        {TEAM_ROLE_LABELS[role]}
                      </option>
                    ))}
                  </select>
                ) : (
                  TEAM_ROLE_LABELS[member.role]
                )}
              </td>
              <td className="muted">
                {formatKstDate(member.joinedAt)} {formatKstTime(member.joinedAt)}
              </td>
              <td className="actions">
                {isOwner || member.userId === userId ? (
                  <button
                    type="button"
                    className="danger"
                    onClick={() =>
                      window.confirm(member.userId === userId ? `${team.name} 팀에서 나갈까요?` : `${member.email}을(를) 팀에서 내보낼까요?`) &&
                      call.mutate({ url: `/api/teams/${team.id}/members/${member.userId}`, method: 'DELETE' })
                    }
                  >
                    {member.userId === userId ? '나가기' : '내보내기'}
                  </button>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {isOwner ? (
        <div className="invites">
          <h3>초대 링크</h3>
          <div className="form-row">
            <select aria-label="초대 역할" value={inviteRole} onChange={(e) => setInviteRole(e.target.value as InviteRole)}>
              <option value="viewer">보기 전용</option>
              <option value="editor">편집자</option>
            </select>
            <button type="button" onClick={() => invite.mutate()} disabled={invite.isPending}>
              초대 링크 만들기
            </button>
          </div>
          {inviteUrl ? (
            <p className="invite-link">
              한 번만 쓸 수 있는 링크입니다 (이메일은 보내지 않습니다. 직접 전달하세요):{' '}
              <input readOnly value={inviteUrl} aria-label="초대 링크" data-testid="invite-link" onFocus={(e) => e.target.select()} />
            </p>
          ) : null}
          <ul className="share-list">
            {(invites.data?.invites ?? []).map((open) => (
              <li key={open.id}>
                {TEAM_ROLE_LABELS[open.role]} · 만료 {formatKstDate(open.expiresAt)} {formatKstTime(open.expiresAt)}
                <button type="button" onClick={() => call.mutate({ url: `/api/teams/${team.id}/invites/${open.id}`, method: 'DELETE' })}>
                  취소
                </button>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {error ? <p className="error-text">{error}</p> : null}
    </section>
  );
}

/** My teams: create one, then manage members and invite links per team. */
export function TeamsView({ userId }: { userId: string }) {
  const queryClient = useQueryClient();
  const teams = useQuery({ queryKey: ['teams'], queryFn: () => apiFetch<{ teams: TeamSummary[] }>('/api/teams'), staleTime: 0 });
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const create = useMutation({
    mutationFn: (teamName: string) => apiFetch<{ team: TeamSummary }>('/api/teams', { method: 'POST', body: { name: teamName } }),
    onSuccess: () => {
      setName('');
      void queryClient.invalidateQueries({ queryKey: ['teams'] });
    },
    onError: (failure) => setError(failure.message),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    create.mutate(name);
  };
  return (
    <div className="teams-page">
      <section className="panel">
        <h1>팀</h1>
        <p className="muted">팀 구성원은 팀에 공유된 대시보드를 보거나 편집합니다. 초대는 링크로 합니다.</p>
        <form className="form-row" onSubmit={submit}>
          <input aria-label="새 팀 이름" placeholder="새 팀 이름" value={name} onChange={(e) => setName(e.target.value)} maxLength={80} />
          <button type="submit" className="primary" disabled={create.isPending}>
            팀 만들기
          </button>
        </form>
        {error ? <p className="error-text">{error}</p> : null}
      </section>
      {teams.isLoading ? <p className="muted">불러오는 중…</p> : null}
      {teams.data?.teams.length === 0 ? <p className="muted panel">아직 속한 팀이 없습니다.</p> : null}
      {(teams.data?.teams ?? []).map((team) => (
        <TeamPanel key={team.id} team={team} userId={userId} />
      ))}
    </div>
  );
}
