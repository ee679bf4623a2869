import { authApi } from '@/lib/http/auth-services';
import { readJson } from '@/lib/http/read-json';
import { withUser } from '@/lib/http/request-user';

export const dynamic = 'force-dynamic';

/** PUT /api/users/:id/password { password } → 204 (admins): a new password; that user's sessions end. */
export function PUT(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  return withUser(request, async (user) => {
    const { id } = await context.params;
    await authApi().resetPassword(user, id, await readJson(request));
    return new Response(null, { status: 204 });
  });
}
