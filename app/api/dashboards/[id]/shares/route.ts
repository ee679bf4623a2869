import { withUser } from '@/lib/http/request-user';
import { dashboardServices, readObject, stringField } from '../../dashboard-services';

export const dynamic = 'force-dynamic';

/** PUT /api/dashboards/:id/shares { teamId, role: "editor" | "viewer" } → { shares } (owner only; a team you own or edit in). */
export function PUT(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  return withUser(request, async (user) => {
    const body = await readObject(request);
    const shares = await dashboardServices().dashboards.share(user.id, (await params).id, stringField(body, 'teamId'), body.role);
    return Response.json({ shares });
  });
}
