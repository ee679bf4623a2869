import { accountsService } from '../accounts/accounts-service';
import { readJson } from '@/lib/http/read-json';
import { withUser } from '@/lib/http/request-user';

export const dynamic = 'force-dynamic';

/**
 * POST /api/orders { accountId, symbol, side: "buy"|"sell", type: "limit"|"market", qty, price? } → 201 { orderId }.
 * The price must be on the instrument's tick grid; a real-money account needs ALLOW_REAL_ORDERS=true (403 otherwise).
 * What happens next (accepted, filled, …) arrives as `order` events on the account's socket stream.
 */
export async function POST(request: Request): Promise<Response> {
  return withUser(request, async (user) => Response.json(await accountsService().placeOrder(user, await readJson(request)), { status: 201 }));
}
