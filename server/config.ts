/**
 * Every environment variable Sise reads, parsed and validated once at start.
 * A bad value stops start-up with a message naming the variable and what it accepts (ConfigError).
 */
import path from 'node:path';
import type { BrokerId } from '../lib/contracts';

/** Brokers that can serve KRX quotes, the only values KRX_FEEDS accepts. */
export const KRX_FEED_CANDIDATES = ['kis', 'kiwoom', 'kiwoom-bridge'] as const satisfies readonly BrokerId[];
type KrxFeedId = (typeof KRX_FEED_CANDIDATES)[number];

export interface KiwoomConfig { restUrl: string | null; wsUrl: string | null; appKey: string; secretKey: string }
export interface KisConfig {
  restUrl: string | null;
  wsUrl: string | null;
  appKey: string;
  appSecret: string;
  account: string | null;
  htsId: string | null;
}
export interface UpbitConfig { restUrl: string | null; wsUrl: string | null; accessKey: string | null; secretKey: string | null }
export interface BoConfig { aesAddr: string; apiKey: string | null; user: string | null; account: string | null }

export interface SiseConfig {
  port: number;
  host: string;
  databaseUrl: string | null;
  dataDir: string;
  redisUrl: string | null;
  krxFeeds: KrxFeedId[];
  sim: boolean;
  /** The simulated market's seed: same seed, same market. */
  simSeed: number;
  /** Keep the simulated KRX session open outside 09:00–15:30 KST so demos always move. */
  simAlwaysOpen: boolean;
  kiwoom: KiwoomConfig | null;
  kis: KisConfig | null;
  upbit: UpbitConfig;
  kiwoomBridgeUrl: string | null;
  bo: BoConfig | null;
  adminEmail: string | null;
  adminPassword: string | null;
  apiToken: string | null;
  allowRealOrders: boolean;
  /** SISE_ALLOWED_ORIGINS: pages on these origins may open sockets and post with the session cookie, besides the server's own. */
  allowedOrigins: string[];
  /** SISE_SECRET_KEY: seals linked broker secrets at rest; null means a key file generated under DATA_DIR. */
  secretKey: Buffer | null;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/** Reads and validates the environment. Collects every problem before failing, so one start shows them all. */
export function loadConfig(env: Env = process.env, cwd = process.cwd()): SiseConfig {
  const problems: string[] = [];
  const read = new EnvReader(env, problems);

  const krxFeeds = read.list('KRX_FEEDS', 'kis,kiwoom,kiwoom-bridge', (item) =>
    (KRX_FEED_CANDIDATES as readonly string[]).includes(item) ? (item as KrxFeedId) : null,
  `a comma-separated list of ${KRX_FEED_CANDIDATES.join(', ')}`);

  const kiwoomKey = read.optional('KIWOOM_APP_KEY');
  const kiwoomSecret = read.optional('KIWOOM_SECRET_KEY');
  read.together('KIWOOM_APP_KEY', kiwoomKey, 'KIWOOM_SECRET_KEY', kiwoomSecret);
  const kisKey = read.optional('KIS_APP_KEY');
  const kisSecret = read.optional('KIS_APP_SECRET');
  read.together('KIS_APP_KEY', kisKey, 'KIS_APP_SECRET', kisSecret);
  const upbitAccess = read.optional('UPBIT_ACCESS_KEY');
  const upbitSecret = read.optional('UPBIT_SECRET_KEY');
  read.together('UPBIT_ACCESS_KEY', upbitAccess, 'UPBIT_SECRET_KEY', upbitSecret);
  const boAddr = read.hostPort('BO_AES_ADDR');

  const config: SiseConfig = {
    port: read.port('PORT', 3000),
    host: read.host('HOST', '127.0.0.1'),
    databaseUrl: read.url('DATABASE_URL', ['postgres:', 'postgresql:']),
    dataDir: path.resolve(cwd, read.optional('DATA_DIR') ?? './data'),
    redisUrl: read.url('REDIS_URL', ['redis:', 'rediss:']),
    krxFeeds,
    sim: read.onOff('SIM', true),
    simSeed: read.integer('SIM_SEED', 20_260_101, 0, 2 ** 32 - 1),
    simAlwaysOpen: read.onOff('SIM_ALWAYS_OPEN', true),
    kiwoom:
      kiwoomKey && kiwoomSecret
        ? {
            restUrl: read.url('KIWOOM_REST_URL', ['http:', 'https:']),
            wsUrl: read.url('KIWOOM_WS_URL', ['ws:', 'wss:']),
            appKey: kiwoomKey,
            secretKey: kiwoomSecret,
          }
        : null,
    kis:
      kisKey && kisSecret
        ? {
            restUrl: read.url('KIS_REST_URL', ['http:', 'https:']),
            wsUrl: read.url('KIS_WS_URL', ['ws:', 'wss:']),
            appKey: kisKey,
            appSecret: kisSecret,
            account: read.pattern('KIS_ACCOUNT', /^\d{8}-\d{2}$/, 'an account number like 50012345-01'),
            htsId: read.optional('KIS_HTS_ID'),
          }
        : null,
    upbit: {
      restUrl: read.url('UPBIT_REST_URL', ['http:', 'https:']),
      wsUrl: read.url('UPBIT_WS_URL', ['ws:', 'wss:']),
      accessKey: upbitAccess,
      secretKey: upbitSecret,
    },
    kiwoomBridgeUrl: read.url('KIWOOM_BRIDGE_URL', ['http:', 'https:']),
    bo: boAddr
      ? { aesAddr: boAddr, apiKey: read.optional('BO_API_KEY'), user: read.optional('BO_USER'), account: read.optional('BO_ACCOUNT') }
      : null,
    adminEmail: read.pattern('SISE_ADMIN_EMAIL', /^[^\s@]+@[^\s@]+$/, 'an e-mail address'),
    adminPassword: read.minLength('SISE_ADMIN_PASSWORD', 10),
    apiToken: read.minLength('SISE_API_TOKEN', 24),
    allowRealOrders: read.bool('ALLOW_REAL_ORDERS', false),
    allowedOrigins: read.origins('SISE_ALLOWED_ORIGINS'),
    secretKey: read.key32('SISE_SECRET_KEY'),
    logLevel: read.oneOf('LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, 'info'),
  };
  read.together('SISE_ADMIN_EMAIL', config.adminEmail, 'SISE_ADMIN_PASSWORD', config.adminPassword);

  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/** Small typed readers; each records a problem instead of throwing so every mistake is reported at once. */
class EnvReader {
  constructor(
    private readonly env: Env,
    private readonly problems: string[],
  ) {}

  optional(name: string): string | null {
    const value = this.env[name]?.trim();
    return value ? value : null;
  }

  private fail<T>(name: string, accepts: string, fallback: T): T {
    this.problems.push(`${name}=${JSON.stringify(this.env[name])}: expected ${accepts}`);
    return fallback;
  }

  integer(name: string, fallback: number, min: number, max: number): number {
    const raw = this.optional(name);
    if (raw === null) return fallback;
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || value < min || value > max) return this.fail(name, `a whole number from ${min} to ${max}`, fallback);
    return value;
  }

  port(name: string, fallback: number): number {
    return this.integer(name, fallback, 0, 65_535);
  }

  host(name: string, fallback: string): string {
    const raw = this.optional(name);
    if (raw === null) return fallback;
    if (!/^[A-Za-z0-9.:-]+$/.test(raw)) return this.fail(name, 'a host name or IP address such as 127.0.0.1', fallback);
    return raw;
  }

  onOff(name: string, fallback: boolean): boolean {
    const raw = this.optional(name)?.toLowerCase() ?? null;
    if (raw === null) return fallback;
    if (raw === 'on' || raw === 'true' || raw === '1') return true;
    if (raw === 'off' || raw === 'false' || raw === '0') return false;
    return this.fail(name, '"on" or "off"', fallback);
  }

  bool(name: string, fallback: boolean): boolean {
    const raw = this.optional(name)?.toLowerCase() ?? null;
    if (raw === null) return fallback;
    if (raw === 'true') return true;
    if (raw === 'false') return false;
    return this.fail(name, '"true" or "false"', fallback);
  }

  /** A comma-separated list of origins such as `https://sise.example.com,http://10.0.0.5:3000`. */
  origins(name: string): string[] {
    const raw = this.optional(name);
    if (raw === null) return [];
    const origins: string[] = [];
    for (const part of raw.split(',').map((p) => p.trim()).filter(Boolean)) {
      try {
        const url = new URL(part);
        if ((url.protocol === 'http:' || url.protocol === 'https:') && url.origin === part.replace(/\/$/, '')) {
          origins.push(url.origin);
          continue;
        }
      } catch {
        // reported below
      }
      return this.fail(name, 'comma-separated origins such as https://sise.example.com (scheme, host and port only)', []);
    }
    return origins;
  }

  url(name: string, protocols: string[]): string | null {
    const raw = this.optional(name);
    if (raw === null) return null;
    try {
      const url = new URL(raw);
      if (protocols.includes(url.protocol)) return raw.replace(/\/$/, '');
    } catch {
      // falls through to the message below
    }
    return this.fail(name, `a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`, null);
  }

  hostPort(name: string): string | null {
    const raw = this.optional(name);
    if (raw === null) return null;
    const match = /^([A-Za-z0-9.-]+):(\d{1,5})$/.exec(raw);
    if (!match || Number(match[2]) > 65_535) return this.fail(name, 'host:port, e.g. 127.0.0.1:9001', null);
    return raw;
  }

  pattern(name: string, pattern: RegExp, accepts: string): string | null {
    const raw = this.optional(name);
    if (raw === null) return null;
    return pattern.test(raw) ? raw : this.fail(name, accepts, null);
  }

  minLength(name: string, min: number): string | null {
    const raw = this.optional(name);
    if (raw === null) return null;
    return raw.length >= min ? raw : this.fail(name, `at least ${min} characters`, null);
  }

  /** 32 bytes as 64 hex characters or base64 (AES-256's key size; a shorter key is a typo, not a choice). */
  key32(name: string): Buffer | null {
    const raw = this.optional(name);
    if (raw === null) return null;
    const key = /^[0-9a-fA-F]{64}$/.test(raw)
      ? Buffer.from(raw, 'hex')
      : /^[A-Za-z0-9+/_-]+={0,2}$/.test(raw)
        ? Buffer.from(raw, raw.includes('-') || raw.includes('_') ? 'base64url' : 'base64')
        : null;
    if (key?.length === 32) return key;
    // Never echo the value: it is a secret, even when it is a wrong one.
    this.problems.push(`${name} (value not shown): expected 32 bytes as 64 hex characters or base64, e.g. the output of \`openssl rand -base64 32\``);
    return null;
  }

  oneOf<T extends string>(name: string, values: readonly T[], fallback: T): T {
    const raw = this.optional(name);
    if (raw === null) return fallback;
    return (values as readonly string[]).includes(raw) ? (raw as T) : this.fail(name, `one of ${values.join(', ')}`, fallback);
  }

  list<T>(name: string, fallback: string, item: (text: string) => T | null, accepts: string): T[] {
    const raw = this.optional(name) ?? fallback;
    const items = raw.split(',').map((s) => s.trim()).filter(Boolean);
    const parsed = items.map(item);
    if (items.length === 0 || parsed.some((p) => p === null) || new Set(items).size !== items.length) {
      return this.fail(name, `${accepts}, each at most once`, fallback.split(',').map(item) as T[]);
    }
    return parsed as T[];
  }

  /** Two variables that only make sense together (a key without its secret is a typo, not a choice). */
  together(a: string, aValue: string | null, b: string, bValue: string | null): void {
    if ((aValue === null) !== (bValue === null)) {
      const missing = aValue === null ? a : b;
      this.problems.push(`${missing} is missing: ${a} and ${b} are set together`);
    }
  }
}
