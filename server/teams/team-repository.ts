/**
 * Teams, their members and their invites in the store: SQL only, no authorization (the team service decides who
 * may do what). Construct one over a transaction to make several calls atomic.
 *
 *   const teams = new TeamRepository(sql);
 *   const team = await teams.create('리서치팀', userId);
 */
import type { InviteRole, TeamInvite, TeamMember, TeamRole, TeamSummary } from '../../lib/contracts/dashboards';
import type { SqlClient } from '../store/sql-client';
import { epochMs } from '../dashboards/epoch-ms';

interface TeamRow {
  id: string;
  name: string;
  role: TeamRole;
  member_count: number | string;
  created_at: Date | string;
}

interface MemberRow {
  user_id: string;
  email: string;
  role: TeamRole;
  joined_at: Date | string;
}

interface InviteRow {
  id: string;
  team_id: string;
  role: InviteRole;
  created_at: Date | string;
  expires_at: Date | string;
}

export interface StoredInvite extends TeamInvite {
  teamName: string;
  usedAt: number | null;
  revokedAt: number | null;
}

const toMember = (row: MemberRow): TeamMember => ({ userId: row.user_id, email: row.email, role: row.role, joinedAt: epochMs(row.joined_at) });
const toInvite = (row: InviteRow): TeamInvite => ({
  id: row.id,
  teamId: row.team_id,
  role: row.role,
  createdAt: epochMs(row.created_at),
  expiresAt: epochMs(row.expires_at),
});

const TEAM_SUMMARY_SELECT = `
  SELECT t.id, t.name, m.role, t.created_at,
         (SELECT count(*) FROM team_members c WHERE c.team_id = t.id) AS member_count
    FROM teams t JOIN team_members m ON m.team_id = t.id`;

const toSummary = (row: TeamRow): TeamSummary => ({
  id: row.id,
  name: row.name,
  role: row.role,
  memberCount: Number(row.member_count),
  createdAt: epochMs(row.created_at),
});

export class TeamRepository {
  constructor(private readonly sql: SqlClient) {}

  /** Creates the team with its creator as the first owner, in one transaction. */
  async create(name: string, ownerId: string): Promise<TeamSummary> {
    return this.sql.transaction(async (tx) => {
      const [team] = await tx.query<{ id: string }>('INSERT INTO teams (name, created_by) VALUES ($1, $2) RETURNING id', [name, ownerId]);
      await tx.query(`INSERT INTO team_members (team_id, user_id, role) VALUES ($1, $2, 'owner')`, [team!.id, ownerId]);
      const summary = await new TeamRepository(tx).summary(team!.id, ownerId);
      return summary!;
    });
  }

  /** The team as `userId` sees it; null when the team does not exist or they are not a member. */
  async summary(teamId: string, userId: string): Promise<TeamSummary | null> {
    const rows = await this.sql.query<TeamRow>(`${TEAM_SUMMARY_SELECT} WHERE t.id = $1 AND m.user_id = $2`, [teamId, userId]);
    return rows[0] ? toSummary(rows[0]) : null;
  }

  /** Every team the user belongs to, oldest first. */
  async teamsOf(userId: string): Promise<TeamSummary[]> {
    const rows = await this.sql.query<TeamRow>(`${TEAM_SUMMARY_SELECT} WHERE m.user_id = $1 ORDER BY t.created_at, t.id`, [userId]);
    return rows.map(toSummary);
  }

  async exists(teamId: string): Promise<boolean> {
    return (await this.sql.query('SELECT 1 FROM teams WHERE id = $1', [teamId])).length > 0;
  }

  async name(teamId: string): Promise<string | null> {
    const rows = await this.sql.query<{ name: string }>('SELECT name FROM teams WHERE id = $1', [teamId]);
    return rows[0]?.name ?? null;
  }

  async roleOf(teamId: string, userId: string): Promise<TeamRole | null> {
    const rows = await this.sql.query<{ role: TeamRole }>('SELECT role FROM team_members WHERE team_id = $1 AND user_id = $2', [teamId, userId]);
    return rows[0]?.role ?? null;
  }

  /** Members, owners first, then by when they joined. */
  async members(teamId: string): Promise<TeamMember[]> {
    const rows = await this.sql.query<MemberRow>(
      `SELECT m.user_id, u.email, m.role, m.joined_at
         FROM team_members m JOIN users u ON u.id = m.user_id
        WHERE m.team_id = $1
        ORDER BY CASE m.role WHEN 'owner' THEN 0 WHEN 'editor' THEN 1 ELSE 2 END, m.joined_at, u.email`,
      [teamId],
    );
    return rows.map(toMember);
  }

  async ownerCount(teamId: string): Promise<number> {
    const rows = await this.sql.query<{ n: number | string }>(`SELECT count(*) AS n FROM team_members WHERE team_id = $1 AND role = 'owner'`, [teamId]);
    return Number(rows[0]?.n ?? 0);
  }

  /** Adds a member; false when they already are one (their role is left as it was). */
  async addMember(teamId: string, userId: string, role: TeamRole): Promise<boolean> {
    const rows = await this.sql.query(
      'INSERT INTO team_members (team_id, user_id, role) VALUES ($1, $2, $3) ON CONFLICT (team_id, user_id) DO NOTHING RETURNING user_id',
      [teamId, userId, role],
    );
    return rows.length > 0;
  }

  async setRole(teamId: string, userId: string, role: TeamRole): Promise<boolean> {
    const rows = await this.sql.query('UPDATE team_members SET role = $3 WHERE team_id = $1 AND user_id = $2 RETURNING user_id', [teamId, userId, role]);
    return rows.length > 0;
  }

  async removeMember(teamId: string, userId: string): Promise<boolean> {
    const rows = await this.sql.query('DELETE FROM team_members WHERE team_id = $1 AND user_id = $2 RETURNING user_id', [teamId, userId]);
    return rows.length > 0;
  }

  async createInvite(input: { teamId: string; role: InviteRole; createdBy: string; tokenHash: string; expiresAt: Date }): Promise<TeamInvite> {
    const [row] = await this.sql.query<InviteRow>(
      `INSERT INTO team_invites (team_id, role, created_by, token_hash, expires_at) VALUES ($1, $2, $3, $4, $5)
       RETURNING id, team_id, role, created_at, expires_at`,
      [input.teamId, input.role, input.createdBy, input.tokenHash, input.expiresAt.toISOString()],
    );
    return toInvite(row!);
  }

  /** Invites that can still be accepted: not used, not revoked, not expired. */
  async openInvites(teamId: string): Promise<TeamInvite[]> {
    const rows = await this.sql.query<InviteRow>(
      `SELECT id, team_id, role, created_at, expires_at FROM team_invites
        WHERE team_id = $1 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > now()
        ORDER BY created_at, id`,
      [teamId],
    );
    return rows.map(toInvite);
  }

  async inviteByTokenHash(tokenHash: string): Promise<StoredInvite | null> {
    const rows = await this.sql.query<InviteRow & { team_name: string; used_at: Date | string | null; revoked_at: Date | string | null }>(
      `SELECT i.id, i.team_id, i.role, i.created_at, i.expires_at, i.used_at, i.revoked_at, t.name AS team_name
         FROM team_invites i JOIN teams t ON t.id = i.team_id
        WHERE i.token_hash = $1`,
      [tokenHash],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      ...toInvite(row),
      teamName: row.team_name,
      usedAt: row.used_at === null ? null : epochMs(row.used_at),
      revokedAt: row.revoked_at === null ? null : epochMs(row.revoked_at),
    };
  }

  /** Marks an invite used, only if it still could be: false when another acceptance, a revoke or expiry came first. */
  async consumeInvite(inviteId: string, userId: string): Promise<boolean> {
    const rows = await this.sql.query(
      `UPDATE team_invites SET used_at = now(), used_by = $2
        WHERE id = $1 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > now()
        RETURNING id`,
      [inviteId, userId],
    );
    return rows.length > 0;
  }

  async revokeInvite(teamId: string, inviteId: string): Promise<boolean> {
    const rows = await this.sql.query(
      'UPDATE team_invites SET revoked_at = now() WHERE id = $1 AND team_id = $2 AND revoked_at IS NULL AND used_at IS NULL RETURNING id',
      [inviteId, teamId],
    );
    return rows.length > 0;
  }
}
