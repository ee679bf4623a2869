import { withUser } from '@/lib/http/request-user';
import { dashboardServices } from '../../../dashboards/dashboard-services';

export const dynamic = 'force-dynamic';

/** GET /api/teams/:id/members → { members: [{ userId, email, role, joinedAt }] } (members only). */
export function GET(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  return withUser(request, async (user) => Response.json({ members: await dashboardServices().teams.members(user.id, (await params).id) }));
}
