/**
 * The bridge API's token check: `Authorization: Bearer <token>`, or the token as the first path segment after
 * `/bridge/` (client_kit sends no credentials, so the base URL carries it). Compared in constant time over
 * SHA-256 digests, so neither the token's content nor its length leaks through timing.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const BRIDGE_PREFIX = '/bridge/';

export type AuthResult =
  | { ok: true; /** The bridge route without prefix and token, e.g. `/api/status`. */ path: string; query: URLSearchParams }
  | { ok: false; message: string };

/** True for every URL this API owns (and so answers, if only with 401). */
export function isBridgePath(url: string | undefined): boolean {
  return url !== undefined && (url === '/bridge' || url.startsWith(BRIDGE_PREFIX) || url.startsWith('/bridge?'));
}

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();

export function tokenMatches(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

/** The segments the bridge's own routes start with: anything else first is a token. */
const ROUTE_ROOTS = new Set(['api', 'ws']);

export function authorize(req: IncomingMessage, expected: string | null): AuthResult {
  if (!expected) {
    return { ok: false, message: 'Unauthorized: the bridge API is off until SISE_API_TOKEN (24+ characters) is set' };
  }
  const url = new URL(req.url ?? '/', 'http://sise.invalid');
  const rest = url.pathname.slice(BRIDGE_PREFIX.length - 1); // keeps the leading slash
  const segments = rest.split('/');
  const first = segments[1] ?? '';
  let given: string | null;
  let path: string;
  if (first !== '' && !ROUTE_ROOTS.has(first)) {
    given = safeDecode(first);
    path = '/' + segments.slice(2).join('/');
  } else {
    const header = req.headers.authorization;
    const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    given = match ? match[1]! : null;
    path = rest;
  }
  if (given === null || !tokenMatches(given, expected)) return { ok: false, message: 'Unauthorized' };
  return { ok: true, path, query: url.searchParams };
}

function safeDecode(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}
