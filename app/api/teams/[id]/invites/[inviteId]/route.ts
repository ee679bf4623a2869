import { withUser } from '@/lib/http/request-user';
import { dashboardServices } from '../../../../dashboards/dashboard-services';

export const dynamic = 'force-dynamic';

/** DELETE /api/teams/:id/invites/:inviteId → 204: the link stops working (owners only). */
export function DELETE(request: Request, { params }: { params: Promise<{ id: string; inviteId: string }> }): Promise<Response> {
  return withUser(request, async (user) => {
    const { id, inviteId } = await params;
    await dashboardServices().teams.revokeInvite(user.id, id, inviteId);
    return new Response(null, { status: 204 });
  });
}
