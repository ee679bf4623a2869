import { withUser } from '@/lib/http/request-user';
import { linkedAccountsService } from '../linked-accounts-service';

export const dynamic = 'force-dynamic';

/** DELETE /api/linked-accounts/:id → 204: the session closes and the stored credentials are deleted. Owner only (404 otherwise). */
export function DELETE(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  return withUser(request, async (user) => {
    const { id } = await context.params;
    await linkedAccountsService().unlink(user.id, id);
    return new Response(null, { status: 204 });
  });
}
