/**
 * Where a bridge request carries its API token: `Authorization: Bearer <token>`, or the token as the first path
 * segment after `/bridge/` (client_kit sends no credentials, so the base URL carries it). Which user the token
 * belongs to, and whether it is still live, is the auth service's answer (`resolveToken` in bridge-api.ts); this
 * file only finds the token and the bridge route behind it.
 *
 *   readBridgeRequest(req) // GET /bridge/sise_abc…/api/status → { token: 'sise_abc…', path: '/api/status', query }
 */
import type { IncomingMessage } from 'node:http';

export const BRIDGE_PREFIX = '/bridge/';

export interface BridgeRequest {
  /** Null when the request carries none, or carries one that cannot be read (a malformed %-escape). */
  token: string | null;
  /** The bridge route without prefix and token, e.g. `/api/status`. */
  path: string;
  query: URLSearchParams;
}

/** True for every URL this API owns (and so answers, if only with 401). */
export function isBridgePath(url: string | undefined): boolean {
  return url !== undefined && (url === '/bridge' || url.startsWith(BRIDGE_PREFIX) || url.startsWith('/bridge?'));
}

/** The segments the bridge's own routes start with: anything else first is a token. */
const ROUTE_ROOTS = new Set(['api', 'ws']);

/**
 * A token in the path wins over a header: a tool given a base URL with a wrong token is refused even when
 * something in between adds a right header, so the URL a user configured is the one that counts.
 */
export function readBridgeRequest(req: IncomingMessage): BridgeRequest {
  const url = new URL(req.url ?? '/', 'http://sise.invalid');
  const rest = url.pathname.slice(BRIDGE_PREFIX.length - 1); // keeps the leading slash
  const segments = rest.split('/');
  const first = segments[1] ?? '';
  if (first !== '' && !ROUTE_ROOTS.has(first)) {
    return { token: safeDecode(first), path: '/' + segments.slice(2).join('/'), query: url.searchParams };
  }
  const header = req.headers.authorization;
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return { token: match ? match[1]! : null, path: rest, query: url.searchParams };
}

function safeDecode(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}
