import { withUser } from '@/lib/http/request-user';
import { dashboardServices, readObject } from '../dashboard-services';

export const dynamic = 'force-dynamic';

/**
 * POST /api/dashboards/import <an export> → 201 { dashboard }: a new personal dashboard. The body must be exactly
 * the export format; any other key (an owner, a token, a password…) is refused with 400, never stored.
 */
export function POST(request: Request): Promise<Response> {
  return withUser(request, async (user) => {
    const dashboard = await dashboardServices().dashboards.importDocument(user.id, await readObject(request));
    return Response.json({ dashboard }, { status: 201 });
  });
}
