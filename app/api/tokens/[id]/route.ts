import { authApi } from '@/lib/http/auth-services';
import { withUser } from '@/lib/http/request-user';

export const dynamic = 'force-dynamic';

/** DELETE /api/tokens/:id → 204; sockets and bridge connections using it are closed at once. */
export function DELETE(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  return withUser(request, async (user) => {
    const { id } = await context.params;
    await authApi().revokeApiToken(user, id);
    return new Response(null, { status: 204 });
  });
}
