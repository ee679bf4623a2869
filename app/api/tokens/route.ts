import { authApi } from '@/lib/http/auth-services';
import { readJson } from '@/lib/http/read-json';
import { withUser } from '@/lib/http/request-user';

export const dynamic = 'force-dynamic';

/** GET /api/tokens → { tokens: [{ id, name, createdAt, revokedAt }] }: the caller's personal API tokens. */
export function GET(request: Request): Promise<Response> {
  return withUser(request, async (user) => Response.json({ tokens: await authApi().listApiTokens(user) }));
}

/** POST /api/tokens { name } → 201 { token, info }: the token is shown this once. */
export function POST(request: Request): Promise<Response> {
  return withUser(request, async (user) => {
    const created = await authApi().createApiToken(user, await readJson(request));
    return Response.json(created, { status: 201, headers: { 'cache-control': 'no-store' } });
  });
}
