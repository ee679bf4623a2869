/**
 * Dashboards as their users may use them. Rights (see lib/contracts/dashboards.ts): the owner does everything;
 * team shares give editors and viewers; admins get no special access to other people's dashboards. An edit is
 * applied in one transaction only when it was made on the current version (else CONFLICT carrying the current
 * document), bumps the version by one, and is then broadcast through DashboardEvents to the `dash:<id>` room.
 *
 *   const doc = await dashboards.create(userId, { name: '장중 모니터' });
 *   await dashboards.edit(userId, doc.id, { type: 'rename', baseVersion: doc.version, name: '장 마감' });
 */
import {
  dashboardEditSchema,
  dashboardExportSchema,
  dashboardNameSchema,
  DASHBOARD_EXPORT_FORMAT,
  DASHBOARD_EXPORT_VERSION,
  layoutProblem,
  layoutSchema,
  MAX_NAME_LENGTH,
  SHARE_ROLES,
  widgetListSchema,
  type DashboardDocument,
  type DashboardExport,
  type DashboardRole,
  type DashboardShare,
  type DashboardSummary,
  type ShareRole,
} from '../../lib/contracts/dashboards';
import { SiseError } from '../errors';
import { TeamRepository } from '../teams/team-repository';
import type { SqlClient } from '../store/sql-client';
import { applyEdit } from './apply-edit';
import type { DashboardEvents } from './dashboard-events';
import { DashboardRepository } from './dashboard-repository';
import { isUuid } from '../store/uuid';
import { zodMessage } from '../zod-message';

/** A stale edit: the dashboard moved on. `dashboard` is the current version, for the editor to show. */
export class StaleEditError extends SiseError {
  constructor(readonly dashboard: DashboardDocument) {
    super('CONFLICT', `the dashboard changed to version ${dashboard.version} before this edit; it was not applied`);
  }
}

/** What a copy is called when the duplicator gives no name. */
const COPY_SUFFIX = ' 사본';

const RANK: Record<DashboardRole, number> = { viewer: 1, editor: 2, owner: 3 };

export class DashboardService {
  private readonly dashboards: DashboardRepository;

  constructor(
    private readonly sql: SqlClient,
    private readonly events: DashboardEvents,
  ) {
    this.dashboards = new DashboardRepository(sql);
  }

  list(userId: string): Promise<DashboardSummary[]> {
    return this.dashboards.listFor(userId);
  }

  /** The user's right on a dashboard, or null; for the socket side's re-checks. */
  async roleOf(userId: string, dashboardId: string): Promise<DashboardRole | null> {
    return (await this.dashboards.roleOf(dashboardId, userId)).role;
  }

  async open(userId: string, dashboardId: string): Promise<{ dashboard: DashboardDocument; role: DashboardRole; shares: DashboardShare[] }> {
    const role = await this.requireRole(this.dashboards, userId, dashboardId, 'viewer');
    const dashboard = await this.dashboards.get(dashboardId);
    if (!dashboard) throw new SiseError('NOT_FOUND', 'no such dashboard');
    return { dashboard, role, shares: await this.dashboards.shares(dashboardId) };
  }

  async create(userId: string, input: { name: unknown; widgets?: unknown; layout?: unknown }): Promise<DashboardDocument> {
    const name = dashboardNameSchema.safeParse(input.name);
    if (!name.success) throw new SiseError('BAD_REQUEST', `name: ${zodMessage(name.error)}`);
    const widgets = widgetListSchema.safeParse(input.widgets ?? []);
    if (!widgets.success) throw new SiseError('BAD_REQUEST', `widgets.${zodMessage(widgets.error)}`);
    const layout = layoutSchema.safeParse(input.layout ?? []);
    if (!layout.success) throw new SiseError('BAD_REQUEST', `layout.${zodMessage(layout.error)}`);
    const problem = layoutProblem(widgets.data, layout.data);
    if (problem) throw new SiseError('BAD_REQUEST', problem);
    return this.dashboards.create(userId, name.data, widgets.data, layout.data);
  }

  /** A personal copy for the caller, of any dashboard they can see. */
  async duplicate(userId: string, dashboardId: string, name?: unknown): Promise<DashboardDocument> {
    const { dashboard } = await this.open(userId, dashboardId);
    const copyName = name === undefined ? `${dashboard.name}${COPY_SUFFIX}`.slice(0, MAX_NAME_LENGTH) : name;
    return this.create(userId, { name: copyName, widgets: dashboard.widgets, layout: dashboard.layout });
  }

  async remove(userId: string, dashboardId: string): Promise<void> {
    await this.requireRole(this.dashboards, userId, dashboardId, 'owner');
    await this.dashboards.delete(dashboardId);
    this.events.accessChanged({ kind: 'dashboard', dashboardId, deleted: true });
  }

  /**
   * Applies one edit made on `edit.baseVersion`. Refusals: FORBIDDEN (viewer or no access), NOT_FOUND,
   * BAD_REQUEST (the edit or its result is invalid), StaleEditError (CONFLICT, with the current document).
   */
  async edit(userId: string, dashboardId: string, rawEdit: unknown): Promise<DashboardDocument> {
    const parsed = dashboardEditSchema.safeParse(rawEdit);
    if (!parsed.success) throw new SiseError('BAD_REQUEST', `edit: ${zodMessage(parsed.error)}`);
    const edit = parsed.data;
    const next = await this.sql.transaction(async (tx) => {
      const dashboards = new DashboardRepository(tx);
      await this.requireRole(dashboards, userId, dashboardId, 'editor');
      const current = await dashboards.get(dashboardId, { lock: true });
      if (!current) throw new SiseError('NOT_FOUND', 'no such dashboard');
      if (current.version !== edit.baseVersion) throw new StaleEditError(current);
      const result = applyEdit(current, edit);
      if (!result.ok) throw new SiseError('BAD_REQUEST', result.message);
      const saved = await dashboards.replace(dashboardId, edit.baseVersion, result.content);
      // The row is locked, so only a concurrent writer outside this service could get here; still not an overwrite.
      if (!saved) throw new StaleEditError((await dashboards.get(dashboardId)) ?? current);
      return saved;
    });
    const email = (await this.dashboards.userEmail(userId)) ?? '';
    this.events.update({ dashboard: next, edit: edit.type, editedBy: { id: userId, email } });
    return next;
  }

  /** Shares with a team the owner belongs to as an owner or editor (a viewer cannot bring things into a team). */
  async share(userId: string, dashboardId: string, teamId: string, role: unknown): Promise<DashboardShare[]> {
    if (!(SHARE_ROLES as readonly unknown[]).includes(role)) throw new SiseError('BAD_REQUEST', `role must be one of ${SHARE_ROLES.join(', ')}`);
    await this.requireRole(this.dashboards, userId, dashboardId, 'owner');
    const teamRole = isUuid(teamId) ? await new TeamRepository(this.sql).roleOf(teamId, userId) : null;
    if (teamRole === null) throw new SiseError('NOT_FOUND', 'no such team among yours');
    if (teamRole === 'viewer') throw new SiseError('FORBIDDEN', 'a team viewer cannot share dashboards with the team');
    await this.dashboards.share(dashboardId, teamId, role as ShareRole);
    this.events.accessChanged({ kind: 'dashboard', dashboardId, deleted: false });
    return this.dashboards.shares(dashboardId);
  }

  async unshare(userId: string, dashboardId: string, teamId: string): Promise<DashboardShare[]> {
    await this.requireRole(this.dashboards, userId, dashboardId, 'owner');
    if (!isUuid(teamId) || !(await this.dashboards.unshare(dashboardId, teamId))) throw new SiseError('NOT_FOUND', 'the dashboard is not shared with that team');
    this.events.accessChanged({ kind: 'dashboard', dashboardId, deleted: false });
    return this.dashboards.shares(dashboardId);
  }

  /** The widgets and layout only: no ids of people, no shares, nothing about accounts beyond the widget's account id. */
  async exportDocument(userId: string, dashboardId: string): Promise<DashboardExport> {
    const { dashboard } = await this.open(userId, dashboardId);
    return { format: DASHBOARD_EXPORT_FORMAT, version: DASHBOARD_EXPORT_VERSION, name: dashboard.name, widgets: dashboard.widgets, layout: dashboard.layout };
  }

  /** A new personal dashboard from an export; anything beyond the format's keys is refused, not ignored. */
  async importDocument(userId: string, document: unknown): Promise<DashboardDocument> {
    const parsed = dashboardExportSchema.safeParse(document);
    if (!parsed.success) throw new SiseError('BAD_REQUEST', `not a Sise dashboard export (${DASHBOARD_EXPORT_FORMAT} v${DASHBOARD_EXPORT_VERSION}): ${zodMessage(parsed.error)}`);
    return this.dashboards.create(userId, parsed.data.name, parsed.data.widgets, parsed.data.layout);
  }

  /** The caller's role when it is at least `needed`; NOT_FOUND for no such dashboard, FORBIDDEN otherwise. */
  private async requireRole(dashboards: DashboardRepository, userId: string, dashboardId: string, needed: DashboardRole): Promise<DashboardRole> {
    const { exists, role } = await dashboards.roleOf(dashboardId, userId);
    if (!exists) throw new SiseError('NOT_FOUND', 'no such dashboard');
    if (!role) throw new SiseError('FORBIDDEN', 'you do not have access to this dashboard');
    if (RANK[role] < RANK[needed]) {
      throw new SiseError('FORBIDDEN', needed === 'owner' ? 'only the dashboard owner can do this' : 'viewers cannot edit this dashboard');
    }
    return role;
  }
}
