import { withUser } from '@/lib/http/request-user';
import { dashboardServices, readObject } from '../../dashboard-services';

export const dynamic = 'force-dynamic';

/** POST /api/dashboards/:id/duplicate { name? } → 201 { dashboard }: a personal copy of a dashboard you can see. */
export function POST(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  return withUser(request, async (user) => {
    const body = await readObject(request);
    const dashboard = await dashboardServices().dashboards.duplicate(user.id, (await params).id, body.name);
    return Response.json({ dashboard }, { status: 201 });
  });
}
