import { SESSION_HEADER } from '@/lib/contracts/auth';
import { authApi } from '@/lib/http/auth-services';
import { errorResponse } from '@/lib/http/error-response';
import { clearedSessionCookie } from '@/lib/http/session-cookie';

export const dynamic = 'force-dynamic';

/** POST /api/auth/logout → 204; the session is revoked (its open sockets close) and the cookie cleared. */
export async function POST(request: Request): Promise<Response> {
  try {
    const session = request.headers.get(SESSION_HEADER);
    if (session) await authApi().signOut(session);
    return new Response(null, { status: 204, headers: { 'set-cookie': clearedSessionCookie(request) } });
  } catch (error) {
    return errorResponse(error);
  }
}
