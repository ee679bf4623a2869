import { CLIENT_ADDRESS_HEADER } from '@/lib/contracts/auth';
import { authApi } from '@/lib/http/auth-services';
import { errorResponse } from '@/lib/http/error-response';
import { readJson } from '@/lib/http/read-json';
import { sessionCookie } from '@/lib/http/session-cookie';

export const dynamic = 'force-dynamic';

/**
 * POST /api/auth/login { email, password } → 200 { user } with the session cookie;
 * 401 for a wrong e-mail or password (one message for both), 429 after repeated failures.
 */
export async function POST(request: Request): Promise<Response> {
  try {
    const address = request.headers.get(CLIENT_ADDRESS_HEADER) ?? 'unknown';
    const { user, token, expiresAt } = await authApi().signIn(await readJson(request), address);
    return Response.json({ user }, { headers: { 'set-cookie': sessionCookie(request, token, expiresAt), 'cache-control': 'no-store' } });
  } catch (error) {
    return errorResponse(error);
  }
}
