import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/**
 * Field names that carry a secret somewhere in Sise: broker keys in our own spelling (config, linked credentials)
 * and on the wire (Kiwoom's `secretkey`, KIS's `appsecret` header and `approval_key`, Upbit's JWT in
 * `authorization`), passwords, session and API tokens, and sealed credentials. App keys and access keys are
 * semi-public identifiers, redacted anyway: nothing is lost by not logging them.
 */
export const SECRET_FIELD_NAMES = [
  'appKey', 'appkey', 'appSecret', 'appsecret', 'secretKey', 'secretkey', 'accessKey', 'access_key', 'secret',
  'apiKey', 'password', 'token', 'access_token', 'approval_key', 'authorization', 'cookie', 'sealedCredentials',
  'sealed_credentials',
] as const;

/**
 * One JSON logger for the process. Secrets never reach it: adapters log ids and states, never keys, and these
 * paths are redacted as a second line of defence, at the top level and up to three objects deep (a request's
 * `headers.authorization`, a link's `credentials.secretKey`, an adapter's `options.rest.appSecret`).
 */
const REDACTED_PATHS = SECRET_FIELD_NAMES.flatMap((name) => [name, `*.${name}`, `*.*.${name}`, `*.*.*.${name}`]);

/** Writes to stdout unless given a destination (tests read what was written). */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = { level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' }, base: { app: 'sise' } };
  return destination ? pino(options, destination) : pino(options);
}

/** For tests and benchmarks that want quiet. */
export const silentLogger: Logger = pino({ level: 'silent' });
