import { SESSION_HEADER } from '@/lib/contracts/auth';
import { authApi } from '@/lib/http/auth-services';
import { readJson } from '@/lib/http/read-json';
import { withUser } from '@/lib/http/request-user';

export const dynamic = 'force-dynamic';

/**
 * POST /api/auth/password { currentPassword, newPassword } → 204. The caller's other sessions end (and their
 * sockets close); this one stays signed in. 403 when the current password is wrong.
 */
export function POST(request: Request): Promise<Response> {
  return withUser(request, async (user) => {
    await authApi().changePassword(user, request.headers.get(SESSION_HEADER), await readJson(request));
    return new Response(null, { status: 204 });
  });
}
