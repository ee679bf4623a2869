import { accountsService, param } from '../../accounts-service';
import { withUser } from '@/lib/http/request-user';

export const dynamic = 'force-dynamic';

/** GET /api/accounts/kis:50012345-01/fills → { accountId, seq, since, fills: [today's fills (KST), oldest first] }. */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  return withUser(request, async (user) => Response.json(await accountsService().fillsToday(user, await param(params, 'id'))));
}
