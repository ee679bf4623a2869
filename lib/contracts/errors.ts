/**
 * Error codes shared by the HTTP API (`{ error: { code, message } }`) and Socket.IO acks.
 * The message is for people; the code is for programs.
 */
export const ERROR_CODES = [
  'BAD_REQUEST',
  'MALFORMED_SYMBOL',
  'UNKNOWN_SYMBOL',
  'NO_FEED',
  'LIMIT_REACHED',
  'RATE_LIMITED',
  'CONFLICT',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'UPSTREAM_UNAVAILABLE',
  'NOT_SUPPORTED',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ApiError {
  code: ErrorCode;
  message: string;
}

export interface ApiErrorBody {
  error: ApiError;
}
