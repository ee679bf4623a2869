/**
 * Teams on both store backends in the same run: the creator owns the team, invite links are single-use, expire and
 * can be revoked, only owners manage, a team always keeps an owner, and every role change is announced so open
 * dashboards are re-checked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DashboardEvents, type AccessChange } from '../dashboards/dashboard-events';
import { insertUser, testBackends, type TestBackend } from '../dashboards/test-backends';
import type { SqlClient } from '../store/sql-client';
import { inviteTokenHash, TeamService } from './team-service';

for (const backendCase of testBackends()) {
  describe.skipIf(backendCase.skipReason !== null)(backendCase.skipReason ?? backendCase.name, () => {
    let backend: TestBackend;
    let sql: SqlClient;
    let teams: TeamService;
    const changes: AccessChange[] = [];
    let kim: string;
    let lee: string;
    let park: string;

    beforeAll(async () => {
      backend = await backendCase.make();
      sql = await backend.open();
      const events = new DashboardEvents();
      events.onAccessChange((change) => changes.push(change));
      teams = new TeamService(sql, events);
      kim = await insertUser(sql, 'kim@example.com');
      lee = await insertUser(sql, 'lee@example.com');
      park = await insertUser(sql, 'park@example.com');
    }, 60_000);
    afterAll(async () => {
      await sql?.close();
      await backend?.dispose();
    });

    it('makes the creator the owner and refuses a blank name', async () => {
      expect(await teams.create(kim, ' 퀀트팀 ')).toMatchObject({ name: '퀀트팀', role: 'owner', memberCount: 1 });
      await expect(teams.create(kim, '   ')).rejects.toMatchObject({ code: 'BAD_REQUEST' });
      await expect(teams.create(kim, 42)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
      expect(await teams.list(lee)).toEqual([]);
    });

    it('stores only the hash of an invite token, and lets a link be used once', async () => {
      const [team] = await teams.list(kim);
      const invite = await teams.createInvite(kim, team!.id, 'editor');
      const stored = await sql.query<{ token_hash: string }>('SELECT token_hash FROM team_invites WHERE id = $1', [invite.id]);
      expect(stored).toEqual([{ token_hash: inviteTokenHash(invite.token) }]);
      expect(JSON.stringify(await sql.query('SELECT * FROM team_invites'))).not.toContain(invite.token);

      // Someone already in the team keeps their role and leaves the link for whoever it was meant for.
      expect(await teams.acceptInvite(kim, invite.token)).toMatchObject({ role: 'owner' });
      expect(await teams.acceptInvite(lee, invite.token)).toMatchObject({ role: 'editor', memberCount: 2 });
      await expect(teams.acceptInvite(park, invite.token)).rejects.toMatchObject({ code: 'CONFLICT' });
      await expect(teams.previewInvite(park, invite.token)).rejects.toMatchObject({ code: 'CONFLICT', message: /used/ });
      expect(changes).toContainEqual({ kind: 'user', userId: lee });
    });

    it('refuses expired and revoked links, and unknown tokens of any length', async () => {
      const [team] = await teams.list(kim);
      const expired = await teams.createInvite(kim, team!.id, 'viewer');
      await sql.query(`UPDATE team_invites SET expires_at = now() - interval '1 minute' WHERE id = $1`, [expired.id]);
      await expect(teams.acceptInvite(park, expired.token)).rejects.toMatchObject({ code: 'CONFLICT', message: /expired/ });
      const revoked = await teams.createInvite(kim, team!.id, 'viewer');
      await expect(teams.revokeInvite(lee, team!.id, revoked.id)).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await teams.revokeInvite(kim, team!.id, revoked.id);
      await expect(teams.revokeInvite(kim, team!.id, revoked.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(teams.acceptInvite(park, revoked.token)).rejects.toMatchObject({ code: 'CONFLICT', message: /revoked/ });
      await expect(teams.acceptInvite(park, 'x'.repeat(5_000))).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(teams.acceptInvite(park, '')).rejects.toMatchObject({ code: 'NOT_FOUND' });
      expect(await teams.list(park)).toEqual([]);
    });

    it('lets only owners manage, keeps one owner, and lets anyone leave', async () => {
      const [team] = await teams.list(kim);
      await expect(teams.setRole(lee, team!.id, lee, 'owner')).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await expect(teams.setRole(kim, team!.id, lee, 'admin')).rejects.toMatchObject({ code: 'BAD_REQUEST' });
      await expect(teams.setRole(kim, team!.id, park, 'viewer')).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(teams.members(park, team!.id)).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await expect(teams.members(kim, '00000000-0000-4000-8000-000000000000')).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(teams.setRole(kim, team!.id, kim, 'editor')).rejects.toMatchObject({ code: 'CONFLICT' });

      changes.length = 0;
      await teams.setRole(kim, team!.id, lee, 'owner');
      expect(changes).toEqual([{ kind: 'user', userId: lee }]);
      // With two owners, the first may step down and then leave.
      await teams.setRole(lee, team!.id, kim, 'viewer');
      expect(await teams.removeMember(kim, team!.id, kim)).toEqual([]);
      expect(await teams.list(kim)).toEqual([]);
      expect((await teams.members(lee, team!.id)).map((m) => [m.email, m.role])).toEqual([['lee@example.com', 'owner']]);
      await expect(teams.removeMember(lee, team!.id, lee)).rejects.toMatchObject({ code: 'CONFLICT' });
    });
  });
}
