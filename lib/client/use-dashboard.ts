'use client';
/**
 * A live dashboard on the shared socket: joins `dash:<id>` (again after every reconnect), follows `dash:update`
 * and `dash:access`, and sends edits made on the version on screen. A stale edit is not retried or merged: the
 * server's current version replaces the screen and a notice says why, so nobody's work is overwritten silently.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { DashboardDocument, DashboardEdit, DashboardRole, DashEditAck, DashJoinAck } from '../contracts/dashboards';
import { getSocket } from './socket';

/** Edits are small; a server that has not answered in this long is unreachable for now. */
const EDIT_TIMEOUT_MS = 10_000;

export interface DashboardNotice {
  kind: 'conflict' | 'refused' | 'error' | 'access';
  text: string;
}

/** An edit without its base version: the hook adds the version on screen. */
export type DashboardEditInput = DashboardEdit extends infer E ? (E extends DashboardEdit ? Omit<E, 'baseVersion'> : never) : never;

export interface LiveDashboard {
  dashboard: DashboardDocument;
  role: DashboardRole | null;
  /** The last thing worth telling the user (a stale edit, a refusal, a lost right); null when there is none. */
  notice: DashboardNotice | null;
  dismissNotice(): void;
  connected: boolean;
  /** Sends an edit made on the version on screen; resolves true when the server accepted it. */
  edit(edit: DashboardEditInput): Promise<boolean>;
}

export function useLiveDashboard(initial: { dashboard: DashboardDocument; role: DashboardRole }): LiveDashboard {
  const [dashboard, setDashboard] = useState(initial.dashboard);
  const [role, setRole] = useState<DashboardRole | null>(initial.role);
  const [notice, setNotice] = useState<DashboardNotice | null>(null);
  const [connected, setConnected] = useState(false);
  const current = useRef(initial.dashboard);
  const id = initial.dashboard.id;

  /** Versions only move forward: a late broadcast of an older version never replaces a newer one. */
  const show = useCallback((next: DashboardDocument) => {
    if (next.id !== current.current.id || next.version < current.current.version) return;
    current.current = next;
    setDashboard(next);
  }, []);

  useEffect(() => {
    const socket = getSocket();
    const join = () => {
      socket.timeout(EDIT_TIMEOUT_MS).emit('dash:join', { dashboardId: id }, (error: Error | null, ack: DashJoinAck) => {
        if (error) return setNotice({ kind: 'error', text: '서버가 응답하지 않습니다. 연결을 확인하세요.' });
        if (!ack.ok) {
          setRole(null);
          setNotice({ kind: 'access', text: ack.error.code === 'FORBIDDEN' ? '이 대시보드에 접근할 권한이 없습니다.' : ack.error.message });
          return;
        }
        setConnected(true);
        setRole(ack.role);
        show(ack.dashboard);
      });
    };
    const onUpdate = (update: { dashboard: DashboardDocument }) => show(update.dashboard);
    const onAccess = (change: { dashboardId: string; role: DashboardRole | null; reason: string }) => {
      if (change.dashboardId !== id) return;
      setRole(change.role);
      if (change.role === null) {
        setNotice({ kind: 'access', text: change.reason === 'deleted' ? '이 대시보드는 삭제되었습니다.' : '이 대시보드에 대한 권한이 없어졌습니다.' });
      } else {
        setNotice({ kind: 'access', text: change.role === 'viewer' ? '보기 전용으로 바뀌었습니다.' : '이제 편집할 수 있습니다.' });
      }
    };
    const onDisconnect = () => setConnected(false);
    socket.on('dash:update', onUpdate);
    socket.on('dash:access', onAccess);
    socket.on('connect', join);
    socket.on('disconnect', onDisconnect);
    if (socket.connected) join();
    return () => {
      socket.off('dash:update', onUpdate);
      socket.off('dash:access', onAccess);
      socket.off('connect', join);
      socket.off('disconnect', onDisconnect);
      socket.emit('dash:leave', { dashboardId: id }, () => {});
    };
  }, [id, show]);

  const edit = useCallback(
    async (input: DashboardEditInput): Promise<boolean> => {
      const request = { dashboardId: id, edit: { ...input, baseVersion: current.current.version } as DashboardEdit };
      let ack: DashEditAck;
      try {
        ack = await getSocket().timeout(EDIT_TIMEOUT_MS).emitWithAck('dash:edit', request);
      } catch {
        setNotice({ kind: 'error', text: '서버가 응답하지 않아 변경이 저장되지 않았습니다.' });
        return false;
      }
      if (ack.ok) {
        show(ack.dashboard);
        return true;
      }
      if (ack.error.code === 'CONFLICT' && ack.dashboard) {
        show(ack.dashboard);
        setNotice({
          kind: 'conflict',
          text: `다른 사용자가 먼저 수정했습니다. 변경이 적용되지 않았고, 최신 버전(v${ack.dashboard.version})을 표시합니다.`,
        });
      } else if (ack.error.code === 'FORBIDDEN') {
        setNotice({ kind: 'refused', text: '편집 권한이 없습니다.' });
      } else {
        setNotice({ kind: 'error', text: `변경이 거부되었습니다: ${ack.error.message}` });
      }
      return false;
    },
    [id, show],
  );

  return { dashboard, role, notice, dismissNotice: () => setNotice(null), connected, edit };
}
