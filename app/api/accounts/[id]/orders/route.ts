import { accountsService, param } from '../../accounts-service';
import { withUser } from '@/lib/http/request-user';

export const dynamic = 'force-dynamic';

/** GET /api/accounts/kis:50012345-01/orders → { accountId, seq, orders: [working orders] }. */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  return withUser(request, async (user) => Response.json(await accountsService().openOrders(user, await param(params, 'id'))));
}
