import { requestUser } from '@/lib/http/request-user';

export const dynamic = 'force-dynamic';

/** GET /api/auth/me → { user } when signed in (cookie or Bearer), { user: null } otherwise. */
export function GET(request: Request): Response {
  return Response.json({ user: requestUser(request) }, { headers: { 'cache-control': 'no-store' } });
}
