import { getServices } from '@/lib/contracts/services';

export const dynamic = 'force-dynamic';

/** GET /api/health → feeds, clients and uptime; 200 when every feed is connected, 503 otherwise. */
export function GET(): Response {
  const report = getServices().health();
  return Response.json(report, { status: report.status === 'ok' ? 200 : 503 });
}
