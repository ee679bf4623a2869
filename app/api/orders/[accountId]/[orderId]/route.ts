import { accountsService, param } from '../../../accounts/accounts-service';
import { readJson } from '@/lib/http/read-json';
import { withUser } from '@/lib/http/request-user';

export const dynamic = 'force-dynamic';

/** DELETE /api/orders/:accountId/:orderId → 202: the cancel is sent; the `order` event with status cancelled confirms it. */
export async function DELETE(request: Request, { params }: { params: Promise<{ accountId: string; orderId: string }> }): Promise<Response> {
  return withUser(request, async (user) => {
    const accountId = await param(params, 'accountId');
    const orderId = await param(params, 'orderId');
    await accountsService().cancelOrder(user, accountId, orderId);
    return Response.json({ accountId, orderId, status: 'cancel_sent' }, { status: 202 });
  });
}

/**
 * PATCH /api/orders/:accountId/:orderId { price, qty? } → 202 { accountId, orderId, newOrderId }: 정정 is sent;
 * the broker numbers the modified order anew, and its `order` events (status `replaced`) confirm it.
 */
export async function PATCH(request: Request, { params }: { params: Promise<{ accountId: string; orderId: string }> }): Promise<Response> {
  return withUser(request, async (user) => {
    const accountId = await param(params, 'accountId');
    const orderId = await param(params, 'orderId');
    const body = await readJson(request);
    const { orderId: newOrderId } = await accountsService().modifyOrder(user, accountId, orderId, body);
    return Response.json({ accountId, orderId, newOrderId }, { status: 202 });
  });
}
