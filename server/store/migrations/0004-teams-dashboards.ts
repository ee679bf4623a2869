import type { Migration } from '../migrations';

/**
 * Teams (members with owner/editor/viewer, invites by link) and dashboards (a versioned document of widgets and
 * layout, owned by one user, shared with teams for editing or viewing). Widgets and layout are jsonb: they are
 * always read and written as one document, validated by lib/contracts/dashboards.ts on the way in.
 */
export const teamsDashboardsMigration: Migration = {
  id: 4,
  name: 'teams, invites and dashboards',
  sql: `
    CREATE TABLE teams (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      name text NOT NULL,
      created_by uuid REFERENCES users (id) ON DELETE SET NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE team_members (
      team_id uuid NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
      user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      role text NOT NULL CHECK (role IN ('owner', 'editor', 'viewer')),
      joined_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (team_id, user_id)
    );
    CREATE INDEX team_members_user ON team_members (user_id);

    CREATE TABLE team_invites (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      -- The SHA-256 of the link's token: a leaked table cannot be turned into working links.
      token_hash text NOT NULL UNIQUE,
      team_id uuid NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
      role text NOT NULL CHECK (role IN ('editor', 'viewer')),
      created_by uuid REFERENCES users (id) ON DELETE SET NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      used_at timestamptz,
      used_by uuid REFERENCES users (id) ON DELETE SET NULL,
      revoked_at timestamptz
    );
    CREATE INDEX team_invites_team ON team_invites (team_id);

    CREATE TABLE dashboards (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      owner_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      name text NOT NULL,
      -- Rises by exactly 1 per accepted edit; an edit names the version it was made on (optimistic locking).
      version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
      widgets jsonb NOT NULL DEFAULT '[]'::jsonb,
      layout jsonb NOT NULL DEFAULT '[]'::jsonb,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX dashboards_owner ON dashboards (owner_id);

    CREATE TABLE dashboard_shares (
      dashboard_id uuid NOT NULL REFERENCES dashboards (id) ON DELETE CASCADE,
      team_id uuid NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
      role text NOT NULL CHECK (role IN ('editor', 'viewer')),
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (dashboard_id, team_id)
    );
    CREATE INDEX dashboard_shares_team ON dashboard_shares (team_id);
  `,
};
