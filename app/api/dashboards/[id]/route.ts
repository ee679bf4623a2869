import { withUser } from '@/lib/http/request-user';
import { dashboardServices, readObject } from '../dashboard-services';

export const dynamic = 'force-dynamic';

type Params = { params: Promise<{ id: string }> };

/** GET /api/dashboards/:id → { dashboard, role, shares }; 403 when it is not yours to see, 404 when there is none. */
export function GET(request: Request, { params }: Params): Promise<Response> {
  return withUser(request, async (user) => Response.json(await dashboardServices().dashboards.open(user.id, (await params).id)));
}

/** PATCH /api/dashboards/:id { name, baseVersion } → { dashboard }: rename (editors); 409 with the current dashboard when stale. */
export function PATCH(request: Request, { params }: Params): Promise<Response> {
  return withUser(request, async (user) => {
    const body = await readObject(request);
    const dashboard = await dashboardServices().dashboards.edit(user.id, (await params).id, { type: 'rename', baseVersion: body.baseVersion, name: body.name });
    return Response.json({ dashboard });
  });
}

/** DELETE /api/dashboards/:id → 204 (owner only). */
export function DELETE(request: Request, { params }: Params): Promise<Response> {
  return withUser(request, async (user) => {
    await dashboardServices().dashboards.remove(user.id, (await params).id);
    return new Response(null, { status: 204 });
  });
}
