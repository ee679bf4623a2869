/**
 * The first thing every HTTP request meets: it removes any client-sent `x-sise-*` headers, resolves the session
 * cookie or the `Authorization: Bearer` API token, and hands the user to Next in USER_HEADER. Signed-out page
 * views are sent to /login; signed-out API calls get 401. Cookie-authenticated writes from another origin get 403.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseCookies } from 'cookie';
import { CLIENT_ADDRESS_HEADER, SESSION_COOKIE, SESSION_HEADER, USER_HEADER, type ApiError } from '../../lib/contracts';
import type { Logger } from '../logger';
import type { AuthService } from './auth-service';
import type { StoredCredential } from './credential-repository';
import type { OriginPolicy } from './origin-policy';

/**
 * Next's build output and the icons are the same for everyone: served without looking up who asks, so a page's
 * dozens of asset requests cost no session lookup in the store.
 */
const STATIC_ASSETS = [/^\/_next\/static\//, /^\/_next\/image/, /^\/(icon\.svg|favicon\.ico|robots\.txt)$/];
/** Reachable signed out: the sign-in and first-run pages and their APIs, and health checks. */
const PUBLIC_PATHS = [/^\/login\/?$/, /^\/setup\/?$/, /^\/api\/auth\//, /^\/api\/health\/?$/];
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface HttpGate {
  /** Resolves who is asking and prepares the request for Next; true when the gate has already answered. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
}

export function createHttpGate(options: { auth: AuthService; origins: OriginPolicy; logger: Logger }): HttpGate {
  const { auth, origins } = options;
  return {
    async handle(req, res) {
      for (const name of [USER_HEADER, CLIENT_ADDRESS_HEADER, SESSION_HEADER]) delete req.headers[name];
      req.headers[CLIENT_ADDRESS_HEADER] = req.socket.remoteAddress ?? 'unknown';

      const url = new URL(req.url ?? '/', 'http://sise.invalid');
      if (SAFE_METHODS.has(req.method ?? 'GET') && STATIC_ASSETS.some((path) => path.test(url.pathname))) return false;
      const isApi = url.pathname.startsWith('/api/');
      // A write from a page on another origin is refused whatever it carries: with the cookie it would act as the
      // user (SameSite=Lax already stops other sites; this also stops other origins of the same site), and on
      // the sign-in routes it could sign the browser in as someone else. Programs send no Origin.
      if (!SAFE_METHODS.has(req.method ?? 'GET') && !origins.allows(req.headers.origin, req.headers.host)) {
        send(res, 403, { code: 'FORBIDDEN', message: `requests from ${req.headers.origin} may not change anything here` });
        return true;
      }
      const credential = await resolveCredential(auth, req);
      if (credential) {
        req.headers[USER_HEADER] = JSON.stringify(credential.user);
        if (credential.kind === 'session') req.headers[SESSION_HEADER] = credential.hash;
        return false;
      }
      if (PUBLIC_PATHS.some((path) => path.test(url.pathname))) return false;
      if (isApi || !SAFE_METHODS.has(req.method ?? 'GET')) {
        send(res, 401, { code: 'UNAUTHENTICATED', message: 'sign in, or send Authorization: Bearer <api token>' });
        return true;
      }
      const next = url.pathname + url.search;
      res.writeHead(303, { location: next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`, 'cache-control': 'no-store' });
      res.end();
      return true;
    },
  };
}

/** A bearer token wins over the cookie: a program says exactly who it is. */
export async function resolveCredential(auth: AuthService, req: IncomingMessage): Promise<StoredCredential | null> {
  const bearer = bearerToken(req.headers.authorization);
  if (bearer !== null) return auth.resolveApiToken(bearer);
  const cookie = req.headers.cookie ? parseCookies(req.headers.cookie)[SESSION_COOKIE] : undefined;
  return cookie ? auth.resolveSession(cookie) : null;
}

export function bearerToken(header: string | undefined): string | null {
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match?.[1] ?? null;
}

function send(res: ServerResponse, status: number, error: ApiError): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify({ error }));
}
