import { withUser } from '@/lib/http/request-user';
import { dashboardServices, readObject } from '../../../../dashboards/dashboard-services';

export const dynamic = 'force-dynamic';

type Params = { params: Promise<{ id: string; userId: string }> };

/** PATCH /api/teams/:id/members/:userId { role: "owner" | "editor" | "viewer" } → { members } (owners only; a team keeps one owner). */
export function PATCH(request: Request, { params }: Params): Promise<Response> {
  return withUser(request, async (user) => {
    const { id, userId } = await params;
    const body = await readObject(request);
    return Response.json({ members: await dashboardServices().teams.setRole(user.id, id, userId, body.role) });
  });
}

/** DELETE /api/teams/:id/members/:userId → { members }: owners remove anyone; anyone may remove themselves (leave). */
export function DELETE(request: Request, { params }: Params): Promise<Response> {
  return withUser(request, async (user) => {
    const { id, userId } = await params;
    return Response.json({ members: await dashboardServices().teams.removeMember(user.id, id, userId) });
  });
}
