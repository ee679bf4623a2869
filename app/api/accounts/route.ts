import { accountsService } from './accounts-service';
import { withUser } from '@/lib/http/request-user';

export const dynamic = 'force-dynamic';

/** GET /api/accounts → { accounts: [{ id, broker, label, market, capabilities, realMoney, ordersAllowed, … }] }: the accounts the user may see. */
export async function GET(request: Request): Promise<Response> {
  return withUser(request, async (user) => Response.json({ accounts: await accountsService().list(user) }));
}
