/**
 * Dashboards over Socket.IO, beside the relay's own handlers on the same `io`:
 *
 *   socket.emit('dash:join', { dashboardId }, (ack) => …)   // { ok, dashboard, role } or { ok: false, error }
 *   socket.emit('dash:edit', { dashboardId, edit: { type: 'rename', baseVersion: 7, name: '장중' } }, (ack) => …)
 *     // { ok: true, dashboard } | { ok: false, error: { code: 'CONFLICT' }, dashboard: <current> } | FORBIDDEN
 *   socket.emit('dash:leave', { dashboardId }, () => …)
 *   socket.on('dash:update', ({ dashboard, edit, editedBy }) => …)  // every accepted edit, to the `dash:<id>` room
 *   socket.on('dash:access', ({ dashboardId, role, reason }) => …)   // your right changed; role null: you left
 *
 * Rights are checked by the service on every join and every edit; on top of that, when a team role, a share or
 * a dashboard changes, the sockets watching are re-checked at once: a removed member leaves the room and is told.
 */
import type { Socket } from 'socket.io';
import type { ApiError } from '../../lib/contracts/errors';
import type { ClientToServerEvents, InterServerEvents, ServerToClientEvents, SocketData } from '../../lib/contracts/socket-events';
import {
  dashEditRequestSchema,
  dashRoomRequestSchema,
  type DashEditAck,
  type DashJoinAck,
  type DashboardRole,
} from '../../lib/contracts/dashboards';
import { dashboardRoom, parseRoom } from '../../lib/contracts/rooms';
import type { Logger } from '../logger';
import type { SiseIo } from '../relay/relay';
import type { AccessChange, DashboardEvents } from './dashboard-events';
import { StaleEditError, type DashboardService } from './dashboard-service';
import { zodMessage } from '../zod-message';

type SiseSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

function toApiError(error: unknown): ApiError {
  const code = (error as { code?: unknown })?.code;
  if (typeof code === 'string' && error instanceof Error) return { code: code as ApiError['code'], message: error.message };
  return { code: 'INTERNAL', message: 'something went wrong on the server; it has been logged' };
}

/** The acks are optional for a bot that does not care; a missing one must not throw inside a handler. */
function ackOf<T>(ack: unknown): (value: T) => void {
  return typeof ack === 'function' ? (ack as (value: T) => void) : () => {};
}

export function attachDashboardSockets(io: SiseIo, service: DashboardService, events: DashboardEvents, logger: Logger): () => void {
  /** The role each socket was last told per dashboard, so a re-check only speaks when something changed. */
  const told = new WeakMap<SiseSocket, Map<string, DashboardRole>>();

  io.on('connection', (socket) => {
    told.set(socket, new Map());

    socket.on('dash:join', async (raw, rawAck) => {
      const ack = ackOf<DashJoinAck>(rawAck);
      const request = dashRoomRequestSchema.safeParse(raw);
      if (!request.success) return ack({ ok: false, error: { code: 'BAD_REQUEST', message: zodMessage(request.error) } });
      const userId = socket.data.userId;
      if (!userId) return ack({ ok: false, error: { code: 'UNAUTHENTICATED', message: 'sign in to open dashboards' } });
      try {
        const { dashboard, role } = await service.open(userId, request.data.dashboardId);
        await socket.join(dashboardRoom(dashboard.id));
        told.get(socket)?.set(dashboard.id, role);
        ack({ ok: true, dashboard, role });
      } catch (error) {
        if (!(error instanceof Error && 'code' in error)) logger.error({ error }, 'dash:join failed');
        ack({ ok: false, error: toApiError(error) });
      }
    });

    socket.on('dash:leave', async (raw, rawAck) => {
      const ack = ackOf<{ ok: true }>(rawAck);
      const request = dashRoomRequestSchema.safeParse(raw);
      if (request.success) {
        await socket.leave(dashboardRoom(request.data.dashboardId));
        told.get(socket)?.delete(request.data.dashboardId);
      }
      ack({ ok: true });
    });

    socket.on('dash:edit', async (raw, rawAck) => {
      const ack = ackOf<DashEditAck>(rawAck);
      const request = dashEditRequestSchema.safeParse(raw);
      if (!request.success) return ack({ ok: false, error: { code: 'BAD_REQUEST', message: zodMessage(request.error) } });
      const userId = socket.data.userId;
      if (!userId) return ack({ ok: false, error: { code: 'UNAUTHENTICATED', message: 'sign in to edit dashboards' } });
      try {
        const dashboard = await service.edit(userId, request.data.dashboardId, request.data.edit);
        ack({ ok: true, dashboard });
      } catch (error) {
        if (error instanceof StaleEditError) return ack({ ok: false, error: toApiError(error), dashboard: error.dashboard });
        if (!(error instanceof Error && 'code' in error)) logger.error({ error }, 'dash:edit failed');
        ack({ ok: false, error: toApiError(error) });
      }
    });
  });

  const stopUpdates = events.onUpdate((update) => {
    io.to(dashboardRoom(update.dashboard.id)).emit('dash:update', update);
  });

  /** Re-asks the service for this socket's right on a dashboard it watches; leaves the room when it has none. */
  const recheck = async (socket: SiseSocket, dashboardId: string, deleted: boolean) => {
    const userId = socket.data.userId;
    const role = deleted || !userId ? null : await service.roleOf(userId, dashboardId);
    const known = told.get(socket);
    if (role === null) {
      await socket.leave(dashboardRoom(dashboardId));
      known?.delete(dashboardId);
      socket.emit('dash:access', { dashboardId, role: null, reason: deleted ? 'deleted' : 'access-removed' });
    } else if (known?.get(dashboardId) !== role) {
      known?.set(dashboardId, role);
      socket.emit('dash:access', { dashboardId, role, reason: 'role-changed' });
    }
  };

  const watchedBy = (socket: SiseSocket): string[] =>
    [...socket.rooms].flatMap((room) => {
      const parsed = parseRoom(room);
      return parsed?.kind === 'dash' ? [parsed.key] : [];
    });

  const onAccessChange = async (change: AccessChange) => {
    const sockets = [...io.of('/').sockets.values()];
    const checks: Array<Promise<void>> = [];
    for (const socket of sockets) {
      if (change.kind === 'user') {
        if (socket.data.userId !== change.userId) continue;
        for (const dashboardId of watchedBy(socket)) checks.push(recheck(socket, dashboardId, false));
      } else if (socket.rooms.has(dashboardRoom(change.dashboardId))) {
        checks.push(recheck(socket, change.dashboardId, change.deleted));
      }
    }
    await Promise.all(checks);
  };
  const stopAccess = events.onAccessChange((change) => {
    onAccessChange(change).catch((error: unknown) => logger.error({ error, change }, 'dashboard access re-check failed'));
  });

  return () => {
    stopUpdates();
    stopAccess();
  };
}
