/**
 * Who is asking. The server's HTTP gate resolves the session cookie or `Authorization: Bearer <api token>` before
 * Next sees a request, strips anything a client sent under these header names, and passes the signed-in user to
 * route handlers and pages in USER_HEADER. Sockets carry the same user in `socket.data.userId`.
 */
import { z } from 'zod';

export const USER_ROLES = ['admin', 'user'] as const;
export type UserRole = (typeof USER_ROLES)[number];

export interface SessionUser {
  id: string;
  email: string;
  role: UserRole;
}

export const sessionUserSchema = z.object({ id: z.string(), email: z.string(), role: z.enum(USER_ROLES) });

/** The user in a USER_HEADER value; null for none or anything malformed. */
export function parseUserHeader(raw: string | null | undefined): SessionUser | null {
  if (!raw) return null;
  try {
    const parsed = sessionUserSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Set only by the server's HTTP gate (a client-sent one is removed first): the signed-in user as JSON. */
export const USER_HEADER = 'x-sise-user';
/** Set only by the gate: the peer address, for per-address sign-in throttling. */
export const CLIENT_ADDRESS_HEADER = 'x-sise-client-address';
/** Set only by the gate for cookie sessions: the session's hash, so sign-out can revoke exactly it. */
export const SESSION_HEADER = 'x-sise-session';

/** The session cookie: httpOnly, SameSite=Lax, Path=/. Its value is a random token; the store keeps its hash. */
export const SESSION_COOKIE = 'sise_session';
