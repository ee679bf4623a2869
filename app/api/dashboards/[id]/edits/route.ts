import type { DashboardDocument } from '@/lib/contracts/dashboards';
import { errorResponse } from '@/lib/http/error-response';
import { withUser } from '@/lib/http/request-user';
import { dashboardServices, readObject } from '../../dashboard-services';

export const dynamic = 'force-dynamic';

/**
 * POST /api/dashboards/:id/edits { edit } → { dashboard }: the HTTP twin of the socket's `dash:edit`, for bots.
 * A stale edit answers 409 `{ error, dashboard }` with the current version; viewers get 403.
 */
export function POST(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  return withUser(request, async (user) => {
    const body = await readObject(request);
    try {
      return Response.json({ dashboard: await dashboardServices().dashboards.edit(user.id, (await params).id, body.edit) });
    } catch (error) {
      const current = (error as { dashboard?: DashboardDocument }).dashboard;
      const response = errorResponse(error);
      if (!current) return response;
      return Response.json({ ...(await response.json()), dashboard: current }, { status: response.status });
    }
  });
}
