import { withUser } from '@/lib/http/request-user';
import { dashboardServices } from '../../dashboard-services';

export const dynamic = 'force-dynamic';

/** Characters a file name may keep; the rest become `_` so every browser and file system accepts it. */
const UNSAFE_FILE_NAME = /[^\p{L}\p{N}_-]+/gu;

/**
 * GET /api/dashboards/:id/export → the dashboard as `{ format: "sise.dashboard", version: 1, name, widgets, layout }`,
 * as a download. Nothing else is in it: no owner, no shares, no credentials.
 */
export function GET(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  return withUser(request, async (user) => {
    const exported = await dashboardServices().dashboards.exportDocument(user.id, (await params).id);
    const fileName = `${exported.name.replace(UNSAFE_FILE_NAME, '_') || 'dashboard'}.sise.json`;
    return new Response(`${JSON.stringify(exported, null, 2)}\n`, {
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'content-disposition': `attachment; filename="dashboard.sise.json"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
      },
    });
  });
}
