import { withUser } from '@/lib/http/request-user';
import { dashboardServices, readObject } from '../dashboards/dashboard-services';

export const dynamic = 'force-dynamic';

/** GET /api/teams → { teams: [{ id, name, role, memberCount, createdAt }] }: the teams you belong to. */
export function GET(request: Request): Promise<Response> {
  return withUser(request, async (user) => Response.json({ teams: await dashboardServices().teams.list(user.id) }));
}

/** POST /api/teams { name } → 201 { team }: a new team with you as its owner. */
export function POST(request: Request): Promise<Response> {
  return withUser(request, async (user) => {
    const body = await readObject(request);
    return Response.json({ team: await dashboardServices().teams.create(user.id, body.name) }, { status: 201 });
  });
}
