import { accountsService } from '../accounts/accounts-service';
import { getServices } from '@/lib/contracts/services';
import { withUser } from '@/lib/http/request-user';

export const dynamic = 'force-dynamic';

/**
 * GET /api/conditions[?accountId=kiwoom:5012345678] → { conditions: [{ key, broker, id, name, live, accountIds }] }:
 * the conditions saved under broker logins whose accounts the user may see (403 for an accountId they may not).
 */
export async function GET(request: Request): Promise<Response> {
  return withUser(request, async (user) => {
    const accounts = accountsService();
    const accountId = new URL(request.url).searchParams.get('accountId');
    if (accountId) await accounts.assertAccess(user, accountId);
    const visible = new Set(accountId ? [accountId] : await accounts.visibleAccountIds(user));
    const conditions = (await getServices().conditions.list()).filter((condition) => condition.accountIds.some((id) => visible.has(id)));
    return Response.json({ conditions });
  });
}
