/**
 * The session cookie as the browser gets it: httpOnly (page scripts cannot read it), SameSite=Lax (other sites'
 * forms and scripts cannot send it), Secure when the page was served over HTTPS, expiring with the session.
 */
import { serialize } from 'cookie';
import { SESSION_COOKIE } from '../contracts/auth';

function isHttps(request: Request): boolean {
  // Behind a TLS-terminating proxy the URL says http; the proxy says what the browser used.
  return new URL(request.url).protocol === 'https:' || request.headers.get('x-forwarded-proto') === 'https';
}

export function sessionCookie(request: Request, token: string, expiresAt: number): string {
  return serialize(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', path: '/', secure: isHttps(request), expires: new Date(expiresAt) });
}

export function clearedSessionCookie(request: Request): string {
  return serialize(SESSION_COOKIE, '', { httpOnly: true, sameSite: 'lax', path: '/', secure: isHttps(request), expires: new Date(0) });
}
