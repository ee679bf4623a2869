import { withUser } from '@/lib/http/request-user';
import { dashboardServices, readObject } from './dashboard-services';

export const dynamic = 'force-dynamic';

/** GET /api/dashboards → { dashboards: [{ id, name, ownerId, ownerEmail, role, version, widgetCount, updatedAt, shares }] }. */
export function GET(request: Request): Promise<Response> {
  return withUser(request, async (user) => Response.json({ dashboards: await dashboardServices().dashboards.list(user.id) }));
}

/** POST /api/dashboards { name, widgets?, layout? } → 201 { dashboard }: a new personal dashboard. */
export function POST(request: Request): Promise<Response> {
  return withUser(request, async (user) => {
    const body = await readObject(request);
    const dashboard = await dashboardServices().dashboards.create(user.id, { name: body.name, widgets: body.widgets, layout: body.layout });
    return Response.json({ dashboard }, { status: 201 });
  });
}
