'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState, type ChangeEvent, type FormEvent } from 'react';
import type { DashboardDocument, DashboardRole, DashboardSummary } from '@/lib/contracts/dashboards';
import { formatKstDate, formatKstTime } from '@/lib/format/kst-time';
import { apiFetch } from '@/lib/client/api-fetch';

const ROLE_LABELS: Record<DashboardRole, string> = { owner: '소유', editor: '편집', viewer: '보기' };
const LIST_KEY = ['dashboards'];

/** My dashboards and those shared with my teams; create a new one, import an exported file, duplicate or delete. */
export function DashboardList() {
  const router = useRouter();
  const queryClient = useQueryClient();
  const list = useQuery({ queryKey: LIST_KEY, queryFn: () => apiFetch<{ dashboards: DashboardSummary[] }>('/api/dashboards'), staleTime: 0 });
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);

  const open = (dashboard: DashboardDocument) => router.push(`/dashboards/${dashboard.id}`);
  const create = useMutation({
    mutationFn: (newName: string) => apiFetch<{ dashboard: DashboardDocument }>('/api/dashboards', { method: 'POST', body: { name: newName } }),
    onSuccess: ({ dashboard }) => open(dashboard),
    onError: (failure) => setError(failure.message),
  });
  const importFile = useMutation({
    mutationFn: async (file: File) => {
      let document: unknown;
      try {
        document = JSON.parse(await file.text());
      } catch {
        throw new Error(`${file.name}은(는) JSON 파일이 아닙니다.`);
      }
      return apiFetch<{ dashboard: DashboardDocument }>('/api/dashboards/import', { method: 'POST', body: document });
    },
    onSuccess: ({ dashboard }) => open(dashboard),
    onError: (failure) => setError(`가져오기 실패: ${failure.message}`),
  });
  const act = useMutation({
    mutationFn: ({ url, method }: { url: string; method: string }) => apiFetch<unknown>(url, { method, body: method === 'POST' ? {} : undefined }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: LIST_KEY }),
    onError: (failure) => setError(failure.message),
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    create.mutate(name.trim() || '새 대시보드');
  };
  const pickFile = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    setError(null);
    if (file) importFile.mutate(file);
  };

  return (
    <div className="dashboards-page">
      <section className="panel">
        <h1>대시보드</h1>
        <form className="form-row" onSubmit={submit}>
          <input aria-label="새 대시보드 이름" placeholder="새 대시보드 이름" value={name} onChange={(e) => setName(e.target.value)} maxLength={80} />
          <button type="submit" className="primary" disabled={create.isPending}>
            만들기
          </button>
          <label className="button file-button">
            JSON 가져오기
            <input type="file" accept="application/json,.json" onChange={pickFile} aria-label="대시보드 JSON 가져오기" />
          </label>
        </form>
        {error ? (
          <p className="error-text" role="alert" data-testid="list-error">
            {error}
          </p>
        ) : null}
      </section>
      <section className="panel">
        {list.isLoading ? <p className="muted">불러오는 중…</p> : null}
        {list.error ? <p className="error-text">{list.error.message}</p> : null}
        {list.data && list.data.dashboards.length === 0 ? <p className="muted">아직 대시보드가 없습니다. 위에서 만드세요.</p> : null}
        {list.data && list.data.dashboards.length > 0 ? (
          <table className="dashboard-table" data-testid="dashboard-list">
            <thead>
              <tr>
                <th>이름</th>
                <th>권한</th>
                <th>소유자</th>
                <th>공유</th>
                <th className="num">위젯</th>
                <th>수정 (KST)</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {list.data.dashboards.map((dashboard) => (
                <tr key={dashboard.id} data-testid="dashboard-row">
                  <td>
                    <Link href={`/dashboards/${dashboard.id}`}>{dashboard.name}</Link>
                  </td>
                  <td>
                    <span className={`role-badge role-${dashboard.role}`}>{ROLE_LABELS[dashboard.role]}</span>
                  </td>
                  <td className="muted">{dashboard.ownerEmail}</td>
                  <td className="muted">{dashboard.shares.length === 0 ? '개인' : dashboard.shares.map((s) => `${s.teamName}(${ROLE_LABELS[s.role]})`).join(', ')}</td>
                  <td className="num">{dashboard.widgetCount}</td>
                  <td className="muted">
                    {formatKstDate(dashboard.updatedAt)} {formatKstTime(dashboard.updatedAt)}
                  </td>
                  <td className="actions">
                    <button type="button" onClick={() => act.mutate({ url: `/api/dashboards/${dashboard.id}/duplicate`, method: 'POST' })}>
                      복제
                    </button>
                    <a className="button" href={`/api/dashboards/${dashboard.id}/export`} download>
                      내보내기
                    </a>
                    {dashboard.role === 'owner' ? (
                      <button
                        type="button"
                        className="danger"
                        onClick={() => window.confirm(`“${dashboard.name}”을(를) 삭제할까요?`) && act.mutate({ url: `/api/dashboards/${dashboard.id}`, method: 'DELETE' })}
                      >
                        삭제
                      </button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </section>
    </div>
  );
}
