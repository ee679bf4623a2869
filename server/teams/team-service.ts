/**
 * Teams as their members may use them: create one (its creator is its owner), list members, change roles, remove
 * members (or leave), and invite by link. Owners manage the team; editors and viewers see its members. A team
 * always keeps at least one owner. Every change in someone's role is announced so their open dashboards are
 * re-checked at once (dashboard-socket.ts).
 *
 *   const team = await teams.create(aliceId, '리서치팀');
 *   const invite = await teams.createInvite(aliceId, team.id, 'viewer'); // share `/teams/join/${invite.token}`
 *   await teams.acceptInvite(bobId, invite.token); // bob is a viewer now
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  INVITE_ROLES,
  TEAM_ROLES,
  teamNameSchema,
  type CreatedInvite,
  type InvitePreview,
  type InviteRole,
  type TeamInvite,
  type TeamMember,
  type TeamRole,
  type TeamSummary,
} from '../../lib/contracts/dashboards';
import { SiseError } from '../errors';
import type { DashboardEvents } from '../dashboards/dashboard-events';
import { isUuid } from '../store/uuid';
import { zodMessage } from '../zod-message';
import type { SqlClient } from '../store/sql-client';
import { TeamRepository } from './team-repository';

/** A week: long enough to reach a colleague over a weekend, short enough that a forgotten link goes stale. */
export const INVITE_TTL_MS = 7 * 24 * 60 * 60 * 1000;
/** 32 random bytes: a link nobody can guess, so the link itself is the credential. */
const INVITE_TOKEN_BYTES = 32;
/** Tokens are base64url; anything longer than this is not one of ours and is not hashed at all. */
const MAX_INVITE_TOKEN_LENGTH = 100;

export function inviteTokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export class TeamService {
  private readonly teams: TeamRepository;

  constructor(
    private readonly sql: SqlClient,
    private readonly events: DashboardEvents,
  ) {
    this.teams = new TeamRepository(sql);
  }

  list(userId: string): Promise<TeamSummary[]> {
    return this.teams.teamsOf(userId);
  }

  async create(userId: string, name: unknown): Promise<TeamSummary> {
    const parsed = teamNameSchema.safeParse(name);
    if (!parsed.success) throw new SiseError('BAD_REQUEST', `team name: ${zodMessage(parsed.error)}`);
    return this.teams.create(parsed.data, userId);
  }

  async members(userId: string, teamId: string): Promise<TeamMember[]> {
    await this.requireRole(userId, teamId, TEAM_ROLES);
    return this.teams.members(teamId);
  }

  /** Owners change roles; demoting the last owner is refused (CONFLICT), so a team is never left unmanaged. */
  async setRole(userId: string, teamId: string, memberId: string, role: unknown): Promise<TeamMember[]> {
    if (!(TEAM_ROLES as readonly unknown[]).includes(role)) throw new SiseError('BAD_REQUEST', `role must be one of ${TEAM_ROLES.join(', ')}`);
    await this.requireRole(userId, teamId, ['owner']);
    await this.sql.transaction(async (tx) => {
      const teams = new TeamRepository(tx);
      const current = isUuid(memberId) ? await teams.roleOf(teamId, memberId) : null;
      if (!current) throw new SiseError('NOT_FOUND', 'that user is not a member of this team');
      if (current === 'owner' && role !== 'owner' && (await teams.ownerCount(teamId)) <= 1) {
        throw new SiseError('CONFLICT', 'a team needs at least one owner: make someone else an owner first');
      }
      await teams.setRole(teamId, memberId, role as TeamRole);
    });
    this.events.accessChanged({ kind: 'user', userId: memberId });
    return this.teams.members(teamId);
  }

  /** Owners remove anyone; any member may remove themselves (leave). The last owner cannot go. */
  async removeMember(userId: string, teamId: string, memberId: string): Promise<TeamMember[]> {
    const own = await this.requireRole(userId, teamId, TEAM_ROLES);
    if (memberId !== userId && own !== 'owner') throw new SiseError('FORBIDDEN', 'only a team owner can remove other members');
    await this.sql.transaction(async (tx) => {
      const teams = new TeamRepository(tx);
      const current = isUuid(memberId) ? await teams.roleOf(teamId, memberId) : null;
      if (!current) throw new SiseError('NOT_FOUND', 'that user is not a member of this team');
      if (current === 'owner' && (await teams.ownerCount(teamId)) <= 1) {
        throw new SiseError('CONFLICT', 'the last owner cannot leave: make someone else an owner first');
      }
      await teams.removeMember(teamId, memberId);
    });
    this.events.accessChanged({ kind: 'user', userId: memberId });
    return memberId === userId ? [] : this.teams.members(teamId);
  }

  async invites(userId: string, teamId: string): Promise<TeamInvite[]> {
    await this.requireRole(userId, teamId, ['owner']);
    return this.teams.openInvites(teamId);
  }

  /** A single-use link; the token is returned once and only its hash is stored. */
  async createInvite(userId: string, teamId: string, role: unknown): Promise<CreatedInvite> {
    if (!(INVITE_ROLES as readonly unknown[]).includes(role)) throw new SiseError('BAD_REQUEST', `an invite's role must be one of ${INVITE_ROLES.join(', ')}`);
    await this.requireRole(userId, teamId, ['owner']);
    const token = randomBytes(INVITE_TOKEN_BYTES).toString('base64url');
    const invite = await this.teams.createInvite({
      teamId,
      role: role as InviteRole,
      createdBy: userId,
      tokenHash: inviteTokenHash(token),
      expiresAt: new Date(Date.now() + INVITE_TTL_MS),
    });
    return { ...invite, token, path: `/teams/join/${token}` };
  }

  async revokeInvite(userId: string, teamId: string, inviteId: string): Promise<void> {
    await this.requireRole(userId, teamId, ['owner']);
    if (!isUuid(inviteId) || !(await this.teams.revokeInvite(teamId, inviteId))) {
      throw new SiseError('NOT_FOUND', 'no open invite with that id in this team');
    }
  }

  /** What the link offers, for the page that asks the user to accept it. */
  async previewInvite(userId: string, token: string): Promise<InvitePreview> {
    const invite = await this.usableInvite(this.teams, token);
    return {
      teamId: invite.teamId,
      teamName: invite.teamName,
      role: invite.role,
      expiresAt: invite.expiresAt,
      alreadyMember: (await this.teams.roleOf(invite.teamId, userId)) !== null,
    };
  }

  /**
   * Joins the team with the invite's role and uses the invite up. Someone already in the team keeps their role and
   * leaves the invite for whoever it was meant for.
   */
  async acceptInvite(userId: string, token: string): Promise<TeamSummary> {
    const teamId = await this.sql.transaction(async (tx) => {
      const teams = new TeamRepository(tx);
      const invite = await this.usableInvite(teams, token);
      if ((await teams.roleOf(invite.teamId, userId)) !== null) return invite.teamId;
      if (!(await teams.consumeInvite(invite.id, userId))) throw new SiseError('CONFLICT', 'this invite link has just been used or revoked');
      await teams.addMember(invite.teamId, userId, invite.role);
      return invite.teamId;
    });
    this.events.accessChanged({ kind: 'user', userId });
    const summary = await this.teams.summary(teamId, userId);
    if (!summary) throw new SiseError('NOT_FOUND', 'the team no longer exists');
    return summary;
  }

  private async usableInvite(teams: TeamRepository, token: string) {
    const invite = token.length > 0 && token.length <= MAX_INVITE_TOKEN_LENGTH ? await teams.inviteByTokenHash(inviteTokenHash(token)) : null;
    if (!invite) throw new SiseError('NOT_FOUND', 'this invite link is not valid');
    if (invite.revokedAt !== null) throw new SiseError('CONFLICT', 'this invite link has been revoked');
    if (invite.usedAt !== null) throw new SiseError('CONFLICT', 'this invite link has already been used');
    if (invite.expiresAt <= Date.now()) throw new SiseError('CONFLICT', 'this invite link has expired');
    return invite;
  }

  /** The caller's role in the team when it is one of `allowed`; NOT_FOUND for no such team, FORBIDDEN otherwise. */
  private async requireRole(userId: string, teamId: string, allowed: readonly TeamRole[]): Promise<TeamRole> {
    if (!isUuid(teamId) || !(await this.teams.exists(teamId))) throw new SiseError('NOT_FOUND', 'no such team');
    const role = await this.teams.roleOf(teamId, userId);
    if (!role) throw new SiseError('FORBIDDEN', 'you are not a member of this team');
    if (!allowed.includes(role)) throw new SiseError('FORBIDDEN', `only a team ${allowed.join(' or ')} can do this`);
    return role;
  }
}
