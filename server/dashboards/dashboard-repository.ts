/**
 * Dashboards and their team shares in the store: SQL only, no authorization (dashboard-service.ts decides).
 * Widgets and layout are stored as jsonb and read back as the same arrays.
 *
 *   const dashboards = new DashboardRepository(sql);
 *   const doc = await dashboards.create(userId, '내 대시보드', [], []);
 *   const next = await dashboards.replace(doc.id, doc.version, { ...doc, name: '장중' }); // null if the version moved on
 */
import type { DashboardDocument, DashboardRole, DashboardShare, DashboardSummary, LayoutItem, ShareRole, Widget } from '../../lib/contracts/dashboards';
import type { SqlClient } from '../store/sql-client';
import { epochMs } from './epoch-ms';
import { isUuid } from '../store/uuid';

interface DashboardRow {
  id: string;
  owner_id: string;
  name: string;
  version: number;
  widgets: Widget[] | string;
  layout: LayoutItem[] | string;
  created_at: Date | string;
  updated_at: Date | string;
}

const COLUMNS = 'id, owner_id, name, version, widgets, layout, created_at, updated_at';

/** jsonb comes back parsed from both drivers; text is accepted too, in case a driver is set to keep it raw. */
function json<T>(value: T | string): T {
  return typeof value === 'string' ? (JSON.parse(value) as T) : value;
}

const toDocument = (row: DashboardRow): DashboardDocument => ({
  id: row.id,
  name: row.name,
  ownerId: row.owner_id,
  version: Number(row.version),
  widgets: json(row.widgets),
  layout: json(row.layout),
  createdAt: epochMs(row.created_at),
  updatedAt: epochMs(row.updated_at),
});

/**
 * A user's right through team shares, as a rank: 2 = editor, 1 = viewer, null = none. A member's right through one
 * share is the lesser of the share's role and their team role (a team owner counts as an editor); the best share
 * wins. Built for a dashboard id column and the parameter holding the user's id.
 */
const SHARED_RANK = (dashboardColumn: string, userParam: string) => `
  (SELECT max(CASE WHEN s.role = 'editor' AND m.role IN ('owner', 'editor') THEN 2 ELSE 1 END)
     FROM dashboard_shares s JOIN team_members m ON m.team_id = s.team_id
    WHERE s.dashboard_id = ${dashboardColumn} AND m.user_id = ${userParam})`;

const RANK_ROLE: Record<number, DashboardRole> = { 1: 'viewer', 2: 'editor', 3: 'owner' };

export class DashboardRepository {
  constructor(private readonly sql: SqlClient) {}

  async create(ownerId: string, name: string, widgets: readonly Widget[], layout: readonly LayoutItem[]): Promise<DashboardDocument> {
    const [row] = await this.sql.query<DashboardRow>(
      `INSERT INTO dashboards (owner_id, name, widgets, layout) VALUES ($1, $2, $3::jsonb, $4::jsonb) RETURNING ${COLUMNS}`,
      [ownerId, name, JSON.stringify(widgets), JSON.stringify(layout)],
    );
    return toDocument(row!);
  }

  /** The document; `lock` holds its row until the surrounding transaction ends, so an edit reads and writes one version. */
  async get(id: string, options: { lock?: boolean } = {}): Promise<DashboardDocument | null> {
    if (!isUuid(id)) return null;
    const rows = await this.sql.query<DashboardRow>(`SELECT ${COLUMNS} FROM dashboards WHERE id = $1${options.lock ? ' FOR UPDATE' : ''}`, [id]);
    return rows[0] ? toDocument(rows[0]) : null;
  }

  /** The user's right on the dashboard; `exists: false` when there is no such dashboard. */
  async roleOf(id: string, userId: string): Promise<{ exists: boolean; role: DashboardRole | null }> {
    if (!isUuid(id) || !isUuid(userId)) return { exists: isUuid(id) && (await this.get(id)) !== null, role: null };
    const rows = await this.sql.query<{ owner_id: string; shared_rank: number | null }>(
      `SELECT d.owner_id, ${SHARED_RANK('d.id', '$2')} AS shared_rank FROM dashboards d WHERE d.id = $1`,
      [id, userId],
    );
    const row = rows[0];
    if (!row) return { exists: false, role: null };
    if (row.owner_id === userId) return { exists: true, role: 'owner' };
    return { exists: true, role: row.shared_rank === null ? null : (RANK_ROLE[Number(row.shared_rank)] ?? null) };
  }

  /** The user's own dashboards and those shared with their teams, most recently changed first. */
  async listFor(userId: string): Promise<DashboardSummary[]> {
    const rows = await this.sql.query<{
      id: string;
      name: string;
      owner_id: string;
      owner_email: string;
      version: number;
      widget_count: number;
      updated_at: Date | string;
      shared_rank: number | null;
    }>(
      `SELECT d.id, d.name, d.owner_id, u.email AS owner_email, d.version, jsonb_array_length(d.widgets) AS widget_count,
              d.updated_at, ${SHARED_RANK('d.id', '$1')} AS shared_rank
         FROM dashboards d JOIN users u ON u.id = d.owner_id
        WHERE d.owner_id = $1
           OR EXISTS (SELECT 1 FROM dashboard_shares s JOIN team_members m ON m.team_id = s.team_id
                       WHERE s.dashboard_id = d.id AND m.user_id = $1)
        ORDER BY d.updated_at DESC, d.id`,
      [userId],
    );
    const shares = await this.sharesOf(rows.map((row) => row.id));
    return rows.map((row) => ({
      id: row.id,
      name: row.name,
      ownerId: row.owner_id,
      ownerEmail: row.owner_email,
      role: row.owner_id === userId ? 'owner' : (RANK_ROLE[Number(row.shared_rank)] ?? 'viewer'),
      version: Number(row.version),
      widgetCount: Number(row.widget_count),
      updatedAt: epochMs(row.updated_at),
      shares: shares.get(row.id) ?? [],
    }));
  }

  /**
   * Writes a new name, widgets and layout as version `baseVersion + 1`, only when the stored version is still
   * `baseVersion`; null otherwise (someone else's edit landed first, or the dashboard is gone).
   */
  async replace(id: string, baseVersion: number, next: { name: string; widgets: readonly Widget[]; layout: readonly LayoutItem[] }): Promise<DashboardDocument | null> {
    const rows = await this.sql.query<DashboardRow>(
      `UPDATE dashboards SET name = $3, widgets = $4::jsonb, layout = $5::jsonb, version = version + 1, updated_at = now()
        WHERE id = $1 AND version = $2
        RETURNING ${COLUMNS}`,
      [id, baseVersion, next.name, JSON.stringify(next.widgets), JSON.stringify(next.layout)],
    );
    return rows[0] ? toDocument(rows[0]) : null;
  }

  async delete(id: string): Promise<boolean> {
    if (!isUuid(id)) return false;
    return (await this.sql.query('DELETE FROM dashboards WHERE id = $1 RETURNING id', [id])).length > 0;
  }

  async shares(id: string): Promise<DashboardShare[]> {
    return (await this.sharesOf([id])).get(id) ?? [];
  }

  private async sharesOf(ids: readonly string[]): Promise<Map<string, DashboardShare[]>> {
    const byDashboard = new Map<string, DashboardShare[]>();
    if (ids.length === 0) return byDashboard;
    const rows = await this.sql.query<{ dashboard_id: string; team_id: string; team_name: string; role: ShareRole }>(
      `SELECT s.dashboard_id, s.team_id, t.name AS team_name, s.role
         FROM dashboard_shares s JOIN teams t ON t.id = s.team_id
        WHERE s.dashboard_id = ANY($1::uuid[])
        ORDER BY t.name, t.id`,
      [ids],
    );
    for (const row of rows) {
      const list = byDashboard.get(row.dashboard_id) ?? [];
      list.push({ teamId: row.team_id, teamName: row.team_name, role: row.role });
      byDashboard.set(row.dashboard_id, list);
    }
    return byDashboard;
  }

  /** Shares with a team, or changes the role of an existing share. */
  async share(id: string, teamId: string, role: ShareRole): Promise<void> {
    await this.sql.query(
      `INSERT INTO dashboard_shares (dashboard_id, team_id, role) VALUES ($1, $2, $3)
       ON CONFLICT (dashboard_id, team_id) DO UPDATE SET role = EXCLUDED.role`,
      [id, teamId, role],
    );
  }

  async unshare(id: string, teamId: string): Promise<boolean> {
    return (await this.sql.query('DELETE FROM dashboard_shares WHERE dashboard_id = $1 AND team_id = $2 RETURNING team_id', [id, teamId])).length > 0;
  }

  /** Dashboards shared with a team: whose viewers must be re-checked when the team's membership changes. */
  async sharedWith(teamId: string): Promise<string[]> {
    const rows = await this.sql.query<{ dashboard_id: string }>('SELECT dashboard_id FROM dashboard_shares WHERE team_id = $1', [teamId]);
    return rows.map((row) => row.dashboard_id);
  }

  async userEmail(userId: string): Promise<string | null> {
    if (!isUuid(userId)) return null;
    const rows = await this.sql.query<{ email: string }>('SELECT email FROM users WHERE id = $1', [userId]);
    return rows[0]?.email ?? null;
  }
}
