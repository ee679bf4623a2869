import { withUser } from '@/lib/http/request-user';
import { dashboardServices } from '../../../dashboards/dashboard-services';

export const dynamic = 'force-dynamic';

type Params = { params: Promise<{ token: string }> };

/** GET /api/teams/join/:token → { invite: { teamId, teamName, role, expiresAt, alreadyMember } }; 404 / 409 for a dead link. */
export function GET(request: Request, { params }: Params): Promise<Response> {
  return withUser(request, async (user) => Response.json({ invite: await dashboardServices().teams.previewInvite(user.id, (await params).token) }));
}

/** POST /api/teams/join/:token → { team }: join with the invite's role (the link is then used up). */
export function POST(request: Request, { params }: Params): Promise<Response> {
  return withUser(request, async (user) => Response.json({ team: await dashboardServices().teams.acceptInvite(user.id, (await params).token) }));
}
