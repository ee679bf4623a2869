/**
 * Wires the dashboard and team services over one store, with the events the socket side listens to, and the
 * API object route handlers reach through getServices().dashboards.
 */
import type { DashboardServices } from '../../lib/contracts/dashboards';
import type { SqlClient } from '../store/sql-client';
import { TeamService } from '../teams/team-service';
import { DashboardEvents } from './dashboard-events';
import { DashboardService } from './dashboard-service';

export interface DashboardStack {
  dashboards: DashboardService;
  teams: TeamService;
  events: DashboardEvents;
  api: DashboardServices;
}

export function createDashboardServices(sql: SqlClient): DashboardStack {
  const events = new DashboardEvents();
  const dashboards = new DashboardService(sql, events);
  const teams = new TeamService(sql, events);
  const api: DashboardServices = {
    dashboards: {
      list: (userId) => dashboards.list(userId),
      open: (userId, id) => dashboards.open(userId, id),
      create: (userId, input) => dashboards.create(userId, input),
      duplicate: (userId, id, name) => dashboards.duplicate(userId, id, name),
      remove: (userId, id) => dashboards.remove(userId, id),
      edit: (userId, id, edit) => dashboards.edit(userId, id, edit),
      share: (userId, id, teamId, role) => dashboards.share(userId, id, teamId, role),
      unshare: (userId, id, teamId) => dashboards.unshare(userId, id, teamId),
      exportDocument: (userId, id) => dashboards.exportDocument(userId, id),
      importDocument: (userId, document) => dashboards.importDocument(userId, document),
    },
    teams: {
      list: (userId) => teams.list(userId),
      create: (userId, name) => teams.create(userId, name),
      members: (userId, teamId) => teams.members(userId, teamId),
      setRole: (userId, teamId, memberId, role) => teams.setRole(userId, teamId, memberId, role),
      removeMember: (userId, teamId, memberId) => teams.removeMember(userId, teamId, memberId),
      invites: (userId, teamId) => teams.invites(userId, teamId),
      createInvite: (userId, teamId, role) => teams.createInvite(userId, teamId, role),
      revokeInvite: (userId, teamId, inviteId) => teams.revokeInvite(userId, teamId, inviteId),
      previewInvite: (userId, token) => teams.previewInvite(userId, token),
      acceptInvite: (userId, token) => teams.acceptInvite(userId, token),
    },
  };
  return { dashboards, teams, events, api };
}
