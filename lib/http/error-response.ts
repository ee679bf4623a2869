/**
 * One shape for every API error — `{ error: { code, message } }` — with the HTTP status that fits the code.
 * Route handlers hand any thrown error here; errors from the server carry an ErrorCode, anything else is a 500
 * whose message is not shown (it may hold internals).
 */
import { ERROR_CODES, type ErrorCode } from '../contracts/errors';

const STATUS: Record<ErrorCode, number> = {
  BAD_REQUEST: 400,
  MALFORMED_SYMBOL: 400,
  UNKNOWN_SYMBOL: 404,
  NOT_FOUND: 404,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  LIMIT_REACHED: 429,
  RATE_LIMITED: 429,
  CONFLICT: 409,
  NOT_SUPPORTED: 501,
  NO_FEED: 503,
  UPSTREAM_UNAVAILABLE: 503,
  INTERNAL: 500,
};

export function apiError(code: ErrorCode, message: string): Response {
  return Response.json({ error: { code, message } }, { status: STATUS[code] });
}

export function errorResponse(error: unknown): Response {
  const code = (error as { code?: unknown })?.code;
  if (typeof code === 'string' && (ERROR_CODES as readonly string[]).includes(code)) {
    return apiError(code as ErrorCode, (error as Error).message);
  }
  console.error('unexpected API error', error);
  return apiError('INTERNAL', 'something went wrong on the server; it has been logged');
}
