import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * One JSON logger for the process. Secrets never reach it: adapters log ids and states, never keys, and
 * these paths are redacted as a second line of defence.
 */
const REDACTED_PATHS = ['*.appKey', '*.appSecret', '*.secretKey', '*.accessKey', '*.password', '*.token', '*.authorization'];

export function createLogger(level: string): Logger {
  return pino({ level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' }, base: { app: 'sise' } });
}

/** For tests and benchmarks that want quiet. */
export const silentLogger: Logger = pino({ level: 'silent' });
