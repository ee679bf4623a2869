import { withUser } from '@/lib/http/request-user';
import { dashboardServices } from '../../../dashboard-services';

export const dynamic = 'force-dynamic';

/** DELETE /api/dashboards/:id/shares/:teamId → { shares }: stop sharing with that team (owner only). */
export function DELETE(request: Request, { params }: { params: Promise<{ id: string; teamId: string }> }): Promise<Response> {
  return withUser(request, async (user) => {
    const { id, teamId } = await params;
    return Response.json({ shares: await dashboardServices().dashboards.unshare(user.id, id, teamId) });
  });
}
