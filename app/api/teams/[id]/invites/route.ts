import { withUser } from '@/lib/http/request-user';
import { dashboardServices, readObject } from '../../../dashboards/dashboard-services';

export const dynamic = 'force-dynamic';

type Params = { params: Promise<{ id: string }> };

/** GET /api/teams/:id/invites → { invites }: links not yet used, revoked or expired (owners only). */
export function GET(request: Request, { params }: Params): Promise<Response> {
  return withUser(request, async (user) => Response.json({ invites: await dashboardServices().teams.invites(user.id, (await params).id) }));
}

/** POST /api/teams/:id/invites { role: "editor" | "viewer" } → 201 { invite: { …, token, path } }: a single-use link, shown once. */
export function POST(request: Request, { params }: Params): Promise<Response> {
  return withUser(request, async (user) => {
    const body = await readObject(request);
    return Response.json({ invite: await dashboardServices().teams.createInvite(user.id, (await params).id, body.role) }, { status: 201 });
  });
}
