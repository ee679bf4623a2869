import { CLIENT_ADDRESS_HEADER } from '@/lib/contracts/auth';
import { authApi } from '@/lib/http/auth-services';
import { errorResponse } from '@/lib/http/error-response';
import { readJson } from '@/lib/http/read-json';
import { sessionCookie } from '@/lib/http/session-cookie';

export const dynamic = 'force-dynamic';

/** GET /api/auth/setup → { pending }: whether the first admin still has to be created. */
export function GET(): Response {
  try {
    return Response.json({ pending: authApi().setupPending() });
  } catch (error) {
    return errorResponse(error);
  }
}

/**
 * POST /api/auth/setup { code, email, password } → the first admin, signed in. The code is the one `npm start`
 * printed; it works once.
 */
export async function POST(request: Request): Promise<Response> {
  try {
    const body = (await readJson(request)) as { code?: unknown; email?: unknown; password?: unknown } | null;
    const auth = authApi();
    await auth.completeSetup(typeof body?.code === 'string' ? body.code : '', { email: body?.email, password: body?.password });
    const address = request.headers.get(CLIENT_ADDRESS_HEADER) ?? 'unknown';
    const { user, token, expiresAt } = await auth.signIn({ email: body?.email, password: body?.password }, address);
    return Response.json({ user }, { status: 201, headers: { 'set-cookie': sessionCookie(request, token, expiresAt) } });
  } catch (error) {
    return errorResponse(error);
  }
}
