import { accountsService, param } from '../../accounts-service';
import { readJson } from '@/lib/http/read-json';
import { withUser } from '@/lib/http/request-user';

export const dynamic = 'force-dynamic';

/** GET /api/accounts/:id/shares → { shares: [{ userId, email, createdAt }] }: only for the owner (or an admin, for server accounts). */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  return withUser(request, async (user) => Response.json({ shares: await accountsService().shares(user, await param(params, 'id')) }));
}

/** POST /api/accounts/:id/shares { email } → 201 { share }: that user may now see the account. */
export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  return withUser(request, async (user) => {
    const share = await accountsService().share(user, await param(params, 'id'), await readJson(request));
    return Response.json({ share }, { status: 201 });
  });
}
