import { authApi } from '@/lib/http/auth-services';
import { readJson } from '@/lib/http/read-json';
import { withUser } from '@/lib/http/request-user';

export const dynamic = 'force-dynamic';

/** GET /api/users → { users } (admins only). */
export function GET(request: Request): Promise<Response> {
  return withUser(request, async (user) => Response.json({ users: await authApi().listUsers(user) }));
}

/** POST /api/users { email, password, role? } → 201 { user } (admins only; there is no open sign-up). */
export function POST(request: Request): Promise<Response> {
  return withUser(request, async (user) => Response.json({ user: await authApi().createUser(user, await readJson(request)) }, { status: 201 }));
}
