/**
 * The signed-in user of a route handler's request, as the server's HTTP gate resolved it.
 *
 *   export async function GET(request: Request) {
 *     return withUser(request, async (user) => Response.json({ email: user.email }));
 *   }
 */
import { parseUserHeader, USER_HEADER, type SessionUser } from '../contracts/auth';
import { apiError, errorResponse } from './error-response';

export function requestUser(request: Request): SessionUser | null {
  return parseUserHeader(request.headers.get(USER_HEADER));
}

/** Runs the handler for a signed-in user (401 otherwise); a thrown error becomes the API's JSON error. */
export async function withUser(request: Request, handler: (user: SessionUser) => Promise<Response> | Response): Promise<Response> {
  const user = requestUser(request);
  if (!user) return apiError('UNAUTHENTICATED', 'sign in, or send Authorization: Bearer <api token>');
  try {
    return await handler(user);
  } catch (error) {
    return errorResponse(error);
  }
}
