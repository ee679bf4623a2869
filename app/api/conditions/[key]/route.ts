import { accountsService, param } from '../../accounts/accounts-service';
import { getServices } from '@/lib/contracts/services';
import { withUser } from '@/lib/http/request-user';
import { apiError } from '@/lib/http/error-response';

export const dynamic = 'force-dynamic';

/**
 * GET /api/conditions/kiwoom:3 → runs the condition once: { key, hits: [{ symbol, name, price, change, changeRate, volume }], ranAt }.
 * Only for a user who may see one of the accounts of the broker login the condition is saved under; anyone else
 * gets 403, whether or not the condition exists.
 */
export async function GET(request: Request, { params }: { params: Promise<{ key: string }> }): Promise<Response> {
  return withUser(request, async (user) => {
    const key = await param(params, 'key');
    const visible = new Set(await accountsService().visibleAccountIds(user));
    const condition = (await getServices().conditions.list()).find((c) => c.key === key);
    if (!condition || !condition.accountIds.some((id) => visible.has(id))) {
      return apiError('FORBIDDEN', `condition ${key} is not saved under an account you may see, or does not exist`);
    }
    const hits = await getServices().conditions.run(key);
    return Response.json({ key, hits, ranAt: Date.now() });
  });
}
