import { accountsService, param } from '../../../accounts-service';
import { withUser } from '@/lib/http/request-user';

export const dynamic = 'force-dynamic';

/** DELETE /api/accounts/:id/shares/:userId → 204: the user no longer sees the account. */
export async function DELETE(request: Request, { params }: { params: Promise<{ id: string; userId: string }> }): Promise<Response> {
  return withUser(request, async (user) => {
    await accountsService().unshare(user, await param(params, 'id'), await param(params, 'userId'));
    return new Response(null, { status: 204 });
  });
}
