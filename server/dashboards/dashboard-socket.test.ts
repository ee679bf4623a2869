/**
 * Live dashboards over real Socket.IO on a real server (127.0.0.1:0, embedded store under a temp DATA_DIR, users
 * signed in with API tokens): edits reach every viewer through `dash:<id>`, a viewer's forged edit is refused by
 * the server, a stale edit is refused with the winner's document, outsiders and removed members are kept out, and a
 * restarted server on the same DATA_DIR still has every dashboard and team.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DashAccessChange, DashboardDocument, DashEditAck, DashJoinAck, DashUpdate, LayoutItem, Widget } from '../../lib/contracts/dashboards';
import { addTestUser, type TestUser } from '../auth/test-users';
import { loadConfig } from '../config';
import { silentLogger } from '../logger';
import { connectClient, inProcessFeeds, waitFor, type TestSocket } from '../relay/test-socket';
import { startSiseServer, type SiseServer } from '../sise-server';

const chart: Widget = { id: 'chart-1', kind: 'chart', config: { symbol: 'KRX:005930', interval: '1m' } };
const chartAt: LayoutItem = { i: 'chart-1', x: 0, y: 0, w: 6, h: 8 };
const tape: Widget = { id: 'tape-1', kind: 'tape', config: { symbol: 'KRX:005930' } };
const tapeAt: LayoutItem = { i: 'tape-1', x: 6, y: 0, w: 3, h: 8 };

let dataDir: string;
let server: SiseServer;
let owner: TestUser;
let editor: TestUser;
let viewer: TestUser;
let outsider: TestUser;
let teamId: string;
let dashboardId: string;
const sockets: TestSocket[] = [];

async function start(): Promise<SiseServer> {
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', SIM: 'on', DATA_DIR: dataDir });
  return startSiseServer({ config, logger: silentLogger, web: false, feeds: inProcessFeeds });
}

/** A signed-in socket that records every dashboard update and access change it receives. */
async function client(user: TestUser) {
  const socket = await connectClient(server.url, { token: user.token });
  sockets.push(socket);
  const updates: DashUpdate[] = [];
  const access: DashAccessChange[] = [];
  socket.on('dash:update', (update) => updates.push(update));
  socket.on('dash:access', (change) => access.push(change));
  return {
    socket,
    updates,
    access,
    join: (id = dashboardId): Promise<DashJoinAck> => socket.timeout(10_000).emitWithAck('dash:join', { dashboardId: id }),
    edit: (edit: unknown, id = dashboardId): Promise<DashEditAck> =>
      // Bots and forgers can send anything; the server validates, so the test may too.
      socket.timeout(10_000).emitWithAck('dash:edit', { dashboardId: id, edit } as never),
  };
}

function joined(ack: DashJoinAck): { dashboard: DashboardDocument; role: string } {
  if (!ack.ok) throw new Error(`join refused: ${ack.error.code} ${ack.error.message}`);
  return ack;
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'sise-dash-socket-'));
  server = await start();
  const auth = server.auth!;
  owner = await addTestUser(auth, { email: 'owner@sise.test' });
  editor = await addTestUser(auth, { email: 'editor@sise.test' });
  viewer = await addTestUser(auth, { email: 'viewer@sise.test' });
  outsider = await addTestUser(auth, { email: 'outsider@sise.test' });
  const { dashboards, teams } = server.dashboards!;
  const team = await teams.create(owner.user.id, '트레이딩팀');
  teamId = team.id;
  await teams.acceptInvite(editor.user.id, (await teams.createInvite(owner.user.id, teamId, 'editor')).token);
  await teams.acceptInvite(viewer.user.id, (await teams.createInvite(owner.user.id, teamId, 'viewer')).token);
  const doc = await dashboards.create(owner.user.id, { name: '장중 모니터' });
  dashboardId = doc.id;
  await dashboards.share(owner.user.id, dashboardId, teamId, 'editor');
}, 60_000);

afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  await server?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('dashboards over Socket.IO', () => {
  it('shows an editor’s new widget to a viewer watching the dashboard', async () => {
    const ed = await client(editor);
    const vi = await client(viewer);
    const start = joined(await ed.join());
    expect(start.role).toBe('editor');
    expect(joined(await vi.join()).role).toBe('viewer');

    const ack = await ed.edit({ type: 'addWidget', baseVersion: start.dashboard.version, widget: chart, layout: chartAt });
    expect(ack).toMatchObject({ ok: true, dashboard: { version: start.dashboard.version + 1, widgets: [chart], layout: [chartAt] } });
    await waitFor(() => vi.updates.length === 1, 'the viewer to receive the update');
    expect(vi.updates[0]).toMatchObject({ edit: 'addWidget', editedBy: { id: editor.user.id, email: 'editor@sise.test' }, dashboard: { widgets: [chart] } });
  });

  it('refuses a viewer’s forged edit on the server, and leaves the dashboard as it was', async () => {
    const vi = await client(viewer);
    const { dashboard } = joined(await vi.join());
    const ack = await vi.edit({ type: 'removeWidget', baseVersion: dashboard.version, widgetId: chart.id });
    expect(ack).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect((await server.dashboards!.dashboards.open(owner.user.id, dashboardId)).dashboard).toEqual(dashboard);
  });

  it('refuses outsiders, malformed requests and unknown dashboards with a reason', async () => {
    const out = await client(outsider);
    expect(await out.join()).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await out.edit({ type: 'rename', baseVersion: 1, name: 'mine' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await out.join('00000000-0000-4000-8000-000000000000')).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await out.socket.timeout(10_000).emitWithAck('dash:join', 'nonsense' as never)).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    const ed = await client(editor);
    expect(await ed.edit({ type: 'explode', baseVersion: 1 })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
  });

  it('lets exactly one of two editors moving the same widget win; the other gets the winner’s layout', async () => {
    const first = await client(owner);
    const second = await client(editor);
    const { dashboard } = joined(await first.join());
    joined(await second.join());
    const [a, b] = await Promise.all([
      first.edit({ type: 'layout', baseVersion: dashboard.version, layout: [{ ...chartAt, x: 6 }] }),
      second.edit({ type: 'layout', baseVersion: dashboard.version, layout: [{ ...chartAt, y: 12, h: 4 }] }),
    ]);
    const winner = [a, b].find((ack) => ack.ok);
    const loser = [a, b].find((ack) => !ack.ok);
    expect(winner).toBeDefined();
    expect(loser).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    if (!winner?.ok || loser?.ok !== false) return;
    expect(loser.dashboard).toEqual(winner.dashboard);
    expect(winner.dashboard.version).toBe(dashboard.version + 1);
  });

  it('tells a member whose role changes, and drops a removed member from the room', async () => {
    const vi = await client(viewer);
    const ed = await client(editor);
    joined(await vi.join());
    const { dashboard } = joined(await ed.join());
    const { teams } = server.dashboards!;

    await teams.setRole(owner.user.id, teamId, viewer.user.id, 'editor');
    await waitFor(() => vi.access.length === 1, 'the role change to reach the viewer');
    expect(vi.access[0]).toEqual({ dashboardId, role: 'editor', reason: 'role-changed' });
    await teams.setRole(owner.user.id, teamId, viewer.user.id, 'viewer');
    await waitFor(() => vi.access.length === 2, 'the role change back');

    await teams.removeMember(owner.user.id, teamId, viewer.user.id);
    await waitFor(() => vi.access.length === 3, 'the removal to reach the removed member');
    expect(vi.access[2]).toEqual({ dashboardId, role: null, reason: 'access-removed' });
    const ack = await ed.edit({ type: 'addWidget', baseVersion: dashboard.version, widget: tape, layout: tapeAt });
    expect(ack.ok).toBe(true);
    await waitFor(() => ed.updates.length === 1, 'the editor to see its own edit broadcast');
    expect(vi.updates).toEqual([]);
    expect(await vi.join()).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('closes the view of everyone watching when a share is withdrawn or the dashboard is deleted', async () => {
    const { dashboards } = server.dashboards!;
    const doc = await dashboards.create(owner.user.id, { name: '잠깐 공유' });
    await dashboards.share(owner.user.id, doc.id, teamId, 'editor');
    const ed = await client(editor);
    const own = await client(owner);
    expect(joined(await ed.join(doc.id)).role).toBe('editor');
    joined(await own.join(doc.id));

    await dashboards.unshare(owner.user.id, doc.id, teamId);
    await waitFor(() => ed.access.length === 1, 'the withdrawn share to reach the editor');
    expect(ed.access[0]).toEqual({ dashboardId: doc.id, role: null, reason: 'access-removed' });
    expect(own.access).toEqual([]);
    expect(await ed.edit({ type: 'rename', baseVersion: 1, name: '몰래' }, doc.id)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });

    await dashboards.remove(owner.user.id, doc.id);
    await waitFor(() => own.access.length === 1, 'the deletion to reach the owner’s other tab');
    expect(own.access[0]).toEqual({ dashboardId: doc.id, role: null, reason: 'deleted' });
    expect(await own.join(doc.id)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('keeps every dashboard and team after a restart on the same DATA_DIR', async () => {
    const before = (await server.dashboards!.dashboards.open(owner.user.id, dashboardId)).dashboard;
    const teamsBefore = await server.dashboards!.teams.list(owner.user.id);
    for (const socket of sockets.splice(0)) socket.disconnect();
    await server.close();
    server = await start();
    const ed = await client(editor);
    expect(joined(await ed.join()).dashboard).toEqual(before);
    expect(await server.dashboards!.teams.list(owner.user.id)).toEqual(teamsBefore);
  });
});
