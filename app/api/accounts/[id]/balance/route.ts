import { accountsService, param } from '../../accounts-service';
import { withUser } from '@/lib/http/request-user';

export const dynamic = 'force-dynamic';

/** GET /api/accounts/kis:50012345-01/balance → { accountId, seq, balance: { cash, holdings, … } }; 403 for an account the user may not see. */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  return withUser(request, async (user) => Response.json(await accountsService().balance(user, await param(params, 'id'))));
}
