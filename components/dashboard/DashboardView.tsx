'use client';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import type { DashboardDocument, DashboardRole, DashboardShare, TeamSummary, Widget } from '@/lib/contracts/dashboards';
import { formatKstDate, formatKstTime } from '@/lib/format/kst-time';
import { useLiveDashboard } from '@/lib/client/use-dashboard';
import { apiFetch } from '@/lib/client/api-fetch';
import { DashboardGrid } from './DashboardGrid';
import { SharePanel } from './SharePanel';
import { DEFAULT_SIZE } from './widget-kinds';
import { WidgetForm } from './WidgetForm';

const ROLE_LABELS: Record<DashboardRole, string> = { owner: '소유자', editor: '편집 가능', viewer: '보기 전용' };

type Panel = { kind: 'add' } | { kind: 'configure'; widget: Widget } | { kind: 'share' } | null;

/**
 * One dashboard, live: everyone watching sees every accepted edit at once. Editors add, configure, move, resize
 * and remove widgets and rename; viewers see the same grid with every control disabled (the server refuses their
 * edits too). A stale edit shows a notice and the version that won.
 */
export function DashboardView({
  initial,
  shares,
  teams,
}: {
  initial: { dashboard: DashboardDocument; role: DashboardRole };
  shares: readonly DashboardShare[];
  teams: readonly TeamSummary[];
}) {
  const router = useRouter();
  const live = useLiveDashboard(initial);
  const { dashboard, role, notice } = live;
  const editable = role === 'owner' || role === 'editor';
  const [panel, setPanel] = useState<Panel>(null);
  const [name, setName] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  // A refused move leaves the grid showing where the widget was dropped; a new key puts it back where the server has it.
  const [gridKey, setGridKey] = useState(0);

  const addWidget = async (widget: Widget) => {
    const size = DEFAULT_SIZE[widget.kind];
    const bottom = Math.max(0, ...dashboard.layout.map((item) => item.y + item.h));
    if (await live.edit({ type: 'addWidget', widget, layout: { i: widget.id, x: 0, y: bottom, ...size } })) setPanel(null);
  };
  const rename = async () => {
    if (name === null || name.trim() === dashboard.name) return setName(null);
    if (await live.edit({ type: 'rename', name })) setName(null);
  };
  const duplicate = async () => {
    setStatus('복제하는 중…');
    try {
      const { dashboard: copy } = await apiFetch<{ dashboard: DashboardDocument }>(`/api/dashboards/${dashboard.id}/duplicate`, { method: 'POST', body: {} });
      router.push(`/dashboards/${copy.id}`);
    } catch (error) {
      setStatus(`복제 실패: ${(error as Error).message}`);
    }
  };
  const remove = async () => {
    if (!window.confirm(`“${dashboard.name}” 대시보드를 삭제할까요? 되돌릴 수 없습니다.`)) return;
    try {
      await apiFetch(`/api/dashboards/${dashboard.id}`, { method: 'DELETE' });
      router.push('/dashboards');
    } catch (error) {
      setStatus(`삭제 실패: ${(error as Error).message}`);
    }
  };

  if (role === null) {
    return (
      <section className="panel empty" data-testid="dashboard-gone">
        <h1>권한이 없습니다</h1>
        <p>{notice?.text ?? '이 대시보드를 볼 수 없습니다.'}</p>
        <Link href="/dashboards">대시보드 목록으로</Link>
      </section>
    );
  }

  return (
    <div className="dashboard-page" data-testid="dashboard" data-version={dashboard.version} data-role={role}>
      <header className="panel dashboard-toolbar">
        {name === null ? (
          <h1 className="dashboard-name" data-testid="dashboard-name">
            {dashboard.name}
          </h1>
        ) : (
          <form
            className="form-row"
            onSubmit={(e) => {
              e.preventDefault();
              void rename();
            }}
          >
            <input aria-label="대시보드 이름" value={name} onChange={(e) => setName(e.target.value)} autoFocus maxLength={80} />
            <button type="submit">저장</button>
            <button type="button" onClick={() => setName(null)}>
              취소
            </button>
          </form>
        )}
        <span className={`role-badge role-${role}`} data-testid="dashboard-role">
          {ROLE_LABELS[role]}
        </span>
        <span className="muted" title="버전은 편집마다 1씩 오릅니다">
          v{dashboard.version} · {formatKstDate(dashboard.updatedAt)} {formatKstTime(dashboard.updatedAt)} KST
        </span>
        <span className={`live-dot ${live.connected ? 'on' : ''}`} aria-label={live.connected ? '실시간 연결됨' : '연결 중'} />
        <span className="toolbar-actions">
          <button type="button" className="primary" disabled={!editable} onClick={() => setPanel({ kind: 'add' })}>
            위젯 추가
          </button>
          <button type="button" disabled={!editable || name !== null} onClick={() => setName(dashboard.name)}>
            이름 변경
          </button>
          <button type="button" onClick={() => void duplicate()}>
            복제
          </button>
          <a className="button" href={`/api/dashboards/${dashboard.id}/export`} download>
            내보내기
          </a>
          {role === 'owner' ? (
            <>
              <button type="button" onClick={() => setPanel(panel?.kind === 'share' ? null : { kind: 'share' })}>
                공유
              </button>
              <button type="button" className="danger" onClick={() => void remove()}>
                삭제
              </button>
            </>
          ) : null}
        </span>
      </header>
      {notice ? (
        <div className={`notice notice-${notice.kind}`} role="alert" data-testid="dashboard-notice">
          {notice.text}
          <button type="button" className="icon" aria-label="알림 닫기" onClick={live.dismissNotice}>
            ×
          </button>
        </div>
      ) : null}
      {status ? <p className="muted">{status}</p> : null}
      {panel?.kind === 'add' && editable ? <WidgetForm onSubmit={(widget) => void addWidget(widget)} onCancel={() => setPanel(null)} /> : null}
      {panel?.kind === 'configure' && editable ? (
        <WidgetForm
          widget={panel.widget}
          onSubmit={(widget) => void live.edit({ type: 'updateWidget', widget }).then((ok) => ok && setPanel(null))}
          onCancel={() => setPanel(null)}
        />
      ) : null}
      {panel?.kind === 'share' && role === 'owner' ? <SharePanel dashboardId={dashboard.id} teams={teams} initialShares={shares} /> : null}
      <DashboardGrid
        key={gridKey}
        widgets={dashboard.widgets}
        layout={dashboard.layout}
        editable={editable}
        onLayout={(layout) => void live.edit({ type: 'layout', layout }).then((ok) => ok || setGridKey((key) => key + 1))}
        onConfigure={(widget) => setPanel({ kind: 'configure', widget })}
        onRemove={(widget) => void live.edit({ type: 'removeWidget', widgetId: widget.id })}
      />
    </div>
  );
}
