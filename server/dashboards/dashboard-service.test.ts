/**
 * Dashboards and teams on both store backends in the same run: rights (owner, team shares, the lesser of share
 * and team role), stale edits refused with the current document, invites, export/import, and a restart that
 * keeps every dashboard and team.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DashUpdate, LayoutItem, Widget } from '../../lib/contracts/dashboards';
import type { SqlClient } from '../store/sql-client';
import { TeamService } from '../teams/team-service';
import { DashboardEvents, type AccessChange } from './dashboard-events';
import { DashboardService, StaleEditError } from './dashboard-service';
import { insertUser, testBackends, type TestBackend } from './test-backends';

const chart: Widget = { id: 'w1', kind: 'chart', config: { symbol: 'KRX:005930', interval: '1m' } };
const chartAt: LayoutItem = { i: 'w1', x: 0, y: 0, w: 6, h: 8 };
const hoga: Widget = { id: 'w2', kind: 'hoga', config: { symbol: 'UPBIT:KRW-BTC' } };
const hogaAt: LayoutItem = { i: 'w2', x: 6, y: 0, w: 3, h: 8 };

for (const backendCase of testBackends()) {
  describe.skipIf(backendCase.skipReason !== null)(backendCase.skipReason ?? backendCase.name, () => {
    let backend: TestBackend;
    let sql: SqlClient;
    let events: DashboardEvents;
    let dashboards: DashboardService;
    let teams: TeamService;
    const updates: DashUpdate[] = [];
    const accessChanges: AccessChange[] = [];
    let alice: string; // owner of the team and of the shared dashboard
    let bob: string; // team editor
    let carol: string; // team viewer
    let dave: string; // outside the team

    const wire = () => {
      events = new DashboardEvents();
      events.onUpdate((update) => updates.push(update));
      events.onAccessChange((change) => accessChanges.push(change));
      dashboards = new DashboardService(sql, events);
      teams = new TeamService(sql, events);
    };

    beforeAll(async () => {
      backend = await backendCase.make();
      sql = await backend.open();
      wire();
      alice = await insertUser(sql, 'alice@example.com');
      bob = await insertUser(sql, 'bob@example.com');
      carol = await insertUser(sql, 'carol@example.com');
      dave = await insertUser(sql, 'dave@example.com');
    }, 60_000);
    afterAll(async () => {
      await sql?.close();
      await backend?.dispose();
    });

    it('keeps a new dashboard personal: only its owner sees it', async () => {
      const doc = await dashboards.create(alice, { name: '  개인 대시보드 ' });
      expect(doc).toMatchObject({ name: '개인 대시보드', ownerId: alice, version: 1, widgets: [], layout: [] });
      expect((await dashboards.open(alice, doc.id)).role).toBe('owner');
      await expect(dashboards.open(bob, doc.id)).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await expect(dashboards.open(bob, '00000000-0000-4000-8000-000000000000')).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(dashboards.open(bob, 'not-a-uuid')).rejects.toMatchObject({ code: 'NOT_FOUND' });
      expect((await dashboards.list(bob)).map((d) => d.id)).not.toContain(doc.id);
      expect((await dashboards.list(alice)).map((d) => d.id)).toContain(doc.id);
    });

    it('refuses invalid dashboards with a reason', async () => {
      await expect(dashboards.create(alice, { name: '' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
      await expect(dashboards.create(alice, { name: 'x', widgets: [chart], layout: [] })).rejects.toMatchObject({ code: 'BAD_REQUEST', message: /layout/ });
      await expect(dashboards.create(alice, { name: 'x', widgets: [chart], layout: [{ ...chartAt, x: 8, w: 6 }] })).rejects.toMatchObject({ code: 'BAD_REQUEST', message: /12 columns/ });
      await expect(dashboards.create(alice, { name: 'x', widgets: [{ ...chart, kind: 'rocket' }], layout: [chartAt] })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    });

    it('builds a team by invite link with the invite role; a used link does not work twice', async () => {
      const team = await teams.create(alice, '리서치팀');
      expect(team).toMatchObject({ name: '리서치팀', role: 'owner', memberCount: 1 });
      const forBob = await teams.createInvite(alice, team.id, 'editor');
      expect(forBob.path).toBe(`/teams/join/${forBob.token}`);
      expect(await teams.previewInvite(bob, forBob.token)).toMatchObject({ teamName: '리서치팀', role: 'editor', alreadyMember: false });
      expect(await teams.acceptInvite(bob, forBob.token)).toMatchObject({ id: team.id, role: 'editor', memberCount: 2 });
      await expect(teams.acceptInvite(dave, forBob.token)).rejects.toMatchObject({ code: 'CONFLICT', message: /already been used/ });
      await expect(teams.acceptInvite(dave, 'made-up-token')).rejects.toMatchObject({ code: 'NOT_FOUND' });

      const forCarol = await teams.createInvite(alice, team.id, 'viewer');
      await expect(teams.createInvite(bob, team.id, 'viewer')).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await expect(teams.createInvite(alice, team.id, 'owner')).rejects.toMatchObject({ code: 'BAD_REQUEST' });
      await teams.acceptInvite(carol, forCarol.token);
      const members = await teams.members(bob, team.id);
      expect(members.map((m) => [m.email, m.role])).toEqual([
        ['alice@example.com', 'owner'],
        ['bob@example.com', 'editor'],
        ['carol@example.com', 'viewer'],
      ]);
      await expect(teams.members(dave, team.id)).rejects.toMatchObject({ code: 'FORBIDDEN' });

      const revoked = await teams.createInvite(alice, team.id, 'viewer');
      expect((await teams.invites(alice, team.id)).map((i) => i.id)).toEqual([revoked.id]);
      await teams.revokeInvite(alice, team.id, revoked.id);
      await expect(teams.acceptInvite(dave, revoked.token)).rejects.toMatchObject({ code: 'CONFLICT', message: /revoked/ });
      expect(await teams.invites(alice, team.id)).toEqual([]);
    });

    it('gives team members the lesser of the share role and their team role', async () => {
      const [team] = await teams.list(alice);
      const doc = await dashboards.create(alice, { name: '공유 대시보드', widgets: [chart], layout: [chartAt] });
      await expect(dashboards.share(bob, doc.id, team!.id, 'editor')).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await expect(dashboards.share(alice, doc.id, team!.id, 'owner')).rejects.toMatchObject({ code: 'BAD_REQUEST' });
      expect(await dashboards.share(alice, doc.id, team!.id, 'editor')).toEqual([{ teamId: team!.id, teamName: '리서치팀', role: 'editor' }]);
      expect(accessChanges).toContainEqual({ kind: 'dashboard', dashboardId: doc.id, deleted: false });
      expect((await dashboards.open(bob, doc.id)).role).toBe('editor');
      expect((await dashboards.open(carol, doc.id)).role).toBe('viewer');
      await expect(dashboards.open(dave, doc.id)).rejects.toMatchObject({ code: 'FORBIDDEN' });
      expect((await dashboards.list(carol)).find((d) => d.id === doc.id)).toMatchObject({ role: 'viewer', ownerEmail: 'alice@example.com', widgetCount: 1 });

      await dashboards.share(alice, doc.id, team!.id, 'viewer');
      expect((await dashboards.open(bob, doc.id)).role).toBe('viewer');
      await dashboards.share(alice, doc.id, team!.id, 'editor');
    });

    it('applies an edit on the current version, bumps it by one and announces it; a stale edit gets the current document', async () => {
      const doc = (await dashboards.list(bob)).find((d) => d.name === '공유 대시보드')!;
      updates.length = 0;
      const added = await dashboards.edit(bob, doc.id, { type: 'addWidget', baseVersion: doc.version, widget: hoga, layout: hogaAt });
      expect(added.version).toBe(doc.version + 1);
      expect(added.widgets.map((w) => w.id)).toEqual(['w1', 'w2']);
      expect(updates).toEqual([{ dashboard: added, edit: 'addWidget', editedBy: { id: bob, email: 'bob@example.com' } }]);

      // Alice and Bob both move w1 from version `added.version`: the first wins, the second is told and shown it.
      const aliceMove = await dashboards.edit(alice, doc.id, { type: 'layout', baseVersion: added.version, layout: [{ ...chartAt, x: 6 }, { ...hogaAt, x: 0 }] });
      const stale = dashboards.edit(bob, doc.id, { type: 'layout', baseVersion: added.version, layout: [{ ...chartAt, y: 10 }, hogaAt] });
      await expect(stale).rejects.toBeInstanceOf(StaleEditError);
      const error = (await stale.catch((e: unknown) => e)) as StaleEditError;
      expect(error.code).toBe('CONFLICT');
      expect(error.dashboard).toEqual(aliceMove);
      expect((await dashboards.open(bob, doc.id)).dashboard.layout).toEqual(aliceMove.layout);
      expect(updates).toHaveLength(2);
    });

    it('resolves simultaneous edits on one version to exactly one winner', async () => {
      const { dashboard } = await dashboards.open(alice, (await dashboards.list(alice)).find((d) => d.name === '공유 대시보드')!.id);
      const names = ['하나', '둘', '셋', '넷'];
      const results = await Promise.allSettled(names.map((name, i) => dashboards.edit(i % 2 ? bob : alice, dashboard.id, { type: 'rename', baseVersion: dashboard.version, name })));
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect(results.filter((r) => r.status === 'rejected' && (r.reason as { code?: string }).code === 'CONFLICT')).toHaveLength(3);
      const after = (await dashboards.open(alice, dashboard.id)).dashboard;
      expect(after.version).toBe(dashboard.version + 1);
      expect(names).toContain(after.name);
    });

    it('refuses edits from viewers and outsiders, and invalid edits, without changing the version', async () => {
      const { dashboard } = await dashboards.open(carol, (await dashboards.list(carol))[0]!.id);
      await expect(dashboards.edit(carol, dashboard.id, { type: 'rename', baseVersion: dashboard.version, name: 'mine' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await expect(dashboards.edit(dave, dashboard.id, { type: 'rename', baseVersion: dashboard.version, name: 'mine' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await expect(dashboards.edit(bob, dashboard.id, { type: 'removeWidget', baseVersion: dashboard.version, widgetId: 'nope' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
      await expect(dashboards.edit(bob, dashboard.id, { type: 'updateWidget', baseVersion: dashboard.version, widget: { id: 'w1', kind: 'tape', config: { symbol: 'KRX:005930' } } })).rejects.toMatchObject({ code: 'BAD_REQUEST', message: /kind/ });
      await expect(dashboards.edit(bob, dashboard.id, { type: 'layout', baseVersion: dashboard.version, layout: [chartAt] })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
      await expect(dashboards.edit(bob, dashboard.id, { type: 'rename', baseVersion: dashboard.version, name: 'x', owner: dave })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
      expect((await dashboards.open(alice, dashboard.id)).dashboard.version).toBe(dashboard.version);
    });

    it('re-checks rights when a team role changes or a member is removed; keeps one owner', async () => {
      const [team] = await teams.list(alice);
      const doc = (await dashboards.list(bob)).find((d) => d.ownerId === alice)!;
      accessChanges.length = 0;
      await teams.setRole(alice, team!.id, bob, 'viewer');
      expect(accessChanges).toEqual([{ kind: 'user', userId: bob }]);
      await expect(dashboards.edit(bob, doc.id, { type: 'rename', baseVersion: doc.version, name: 'no' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await teams.setRole(alice, team!.id, bob, 'editor');
      await expect(teams.setRole(bob, team!.id, carol, 'editor')).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await expect(teams.setRole(alice, team!.id, alice, 'viewer')).rejects.toMatchObject({ code: 'CONFLICT' });
      await expect(teams.removeMember(alice, team!.id, alice)).rejects.toMatchObject({ code: 'CONFLICT' });
      await expect(teams.removeMember(bob, team!.id, carol)).rejects.toMatchObject({ code: 'FORBIDDEN' });

      await teams.removeMember(alice, team!.id, carol);
      await expect(dashboards.open(carol, doc.id)).rejects.toMatchObject({ code: 'FORBIDDEN' });
      expect(await teams.list(carol)).toEqual([]);
      // Back in through a fresh invite, for the tests that follow.
      await teams.acceptInvite(carol, (await teams.createInvite(alice, team!.id, 'viewer')).token);
    });

    it('exports widgets and layout only, and imports that back as a personal dashboard; unknown keys are refused', async () => {
      const doc = (await dashboards.list(carol)).find((d) => d.ownerId === alice)!;
      const exported = await dashboards.exportDocument(carol, doc.id);
      expect(Object.keys(exported).sort()).toEqual(['format', 'layout', 'name', 'version', 'widgets']);
      expect(exported).toMatchObject({ format: 'sise.dashboard', version: 1 });
      const imported = await dashboards.importDocument(dave, JSON.parse(JSON.stringify(exported)));
      expect(imported).toMatchObject({ ownerId: dave, version: 1, widgets: exported.widgets, layout: exported.layout });
      await expect(dashboards.importDocument(dave, { ...exported, ownerId: alice })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
      await expect(dashboards.importDocument(dave, { ...exported, widgets: [{ ...chart, config: { ...chart.config, apiKey: 'secret' } }] })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
      await expect(dashboards.importDocument(dave, { ...exported, format: 'other' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
      await expect(dashboards.importDocument(dave, 'not json at all')).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    });

    it('duplicates as a personal copy, and lets only the owner delete', async () => {
      const doc = (await dashboards.list(carol)).find((d) => d.ownerId === alice)!;
      const copy = await dashboards.duplicate(carol, doc.id);
      expect(copy).toMatchObject({ ownerId: carol, name: `${doc.name} 사본`, version: 1 });
      expect((await dashboards.open(carol, copy.id)).shares).toEqual([]);
      await expect(dashboards.remove(bob, doc.id)).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await dashboards.remove(carol, copy.id);
      await expect(dashboards.open(carol, copy.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      expect(accessChanges).toContainEqual({ kind: 'dashboard', dashboardId: copy.id, deleted: true });
    });

    it('keeps every dashboard and team across a restart', async () => {
      const before = { aliceDashboards: await dashboards.list(alice), bobDashboards: await dashboards.list(bob), teams: await teams.list(alice) };
      const members = await teams.members(alice, before.teams[0]!.id);
      await sql.close();
      sql = await backend.open();
      wire();
      expect(await dashboards.list(alice)).toEqual(before.aliceDashboards);
      expect(await dashboards.list(bob)).toEqual(before.bobDashboards);
      expect(await teams.list(alice)).toEqual(before.teams);
      expect(await teams.members(alice, before.teams[0]!.id)).toEqual(members);
    });
  });
}
