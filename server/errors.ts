/**
 * An error the HTTP API and socket acks can show as is: its code picks the status (lib/http/error-response.ts)
 * and its message is written for the person who sees it.
 */
import type { ErrorCode } from '../lib/contracts';

export class SiseError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'SiseError';
  }
}
