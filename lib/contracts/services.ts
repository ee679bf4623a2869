/**
 * The bridge between Next's route handlers (app/api) and the companion server in the same process.
 * Next bundles route handlers separately, so module state is not shared; a well-known global is.
 * server/index.ts registers the services before Next serves its first request.
 */
import type { SessionUser } from './auth';
import type { CandleHistory, CandleInterval } from './candles';
import type { ConditionHit, ConditionSummary } from './conditions';
import type { FeedStatus } from './feed-status';
import type { Instrument } from './instrument';
import type { SymbolId } from './symbol';

export interface HealthReport {
  status: 'ok' | 'degraded';
  startedAt: number;
  uptimeMs: number;
  feeds: FeedStatus[];
  clients: number;
  activeSymbols: number;
}

export interface InstrumentDirectory {
  search(query: string, limit: number): Instrument[];
  get(symbol: SymbolId): Instrument | undefined;
  list(): Instrument[];
}

export interface ApiTokenInfo {
  /** The SHA-256 of the token: it names the token without revealing it. */
  id: string;
  name: string;
  createdAt: string;
  revokedAt: string | null;
}

/** Sign-in, tokens and users, for the /api/auth, /api/tokens and /api/users routes. Errors carry an ErrorCode. */
export interface AuthApi {
  signIn(input: unknown, address: string): Promise<{ user: SessionUser; token: string; expiresAt: number }>;
  signOut(sessionHash: string): Promise<void>;
  setupPending(): boolean;
  completeSetup(code: string, input: unknown): Promise<SessionUser>;
  createApiToken(user: SessionUser, input: unknown): Promise<{ token: string; info: ApiTokenInfo }>;
  listApiTokens(user: SessionUser): Promise<ApiTokenInfo[]>;
  revokeApiToken(user: SessionUser, id: string): Promise<void>;
  changePassword(user: SessionUser, currentSessionHash: string | null, input: unknown): Promise<void>;
  createUser(actor: SessionUser, input: unknown): Promise<SessionUser>;
  resetPassword(actor: SessionUser, userId: string, input: unknown): Promise<void>;
  listUsers(actor: SessionUser): Promise<SessionUser[]>;
}

export interface SiseServices {
  /** Absent when the server runs without a store (relay-only tests). */
  auth?: AuthApi;
  /** Broker accounts and orders for the signed-in user; absent without a store (relay-only tests). */
  accounts?: import('./accounts').AccountsService;
  /** Team dashboards and teams for the signed-in user; absent without a store (relay-only tests). */
  dashboards?: import('./dashboards').DashboardServices;
  /** Users' own broker credentials (link, list, unlink); absent without a store (relay-only tests). */
  linkedAccounts?: import('./linked-accounts').LinkedAccountsApi;
  instruments: InstrumentDirectory;
  health(): HealthReport;
  candles(symbol: SymbolId, interval: CandleInterval): CandleHistory;
  conditions: {
    list(): Promise<ConditionSummary[]>;
    /** Runs a condition once; rejects with an error carrying an ErrorCode. */
    run(key: string): Promise<ConditionHit[]>;
  };
}

const SERVICES_KEY = Symbol.for('sise.services');
type WithServices = typeof globalThis & { [SERVICES_KEY]?: SiseServices };

export function registerServices(services: SiseServices): void {
  (globalThis as WithServices)[SERVICES_KEY] = services;
}

export function clearServices(): void {
  delete (globalThis as WithServices)[SERVICES_KEY];
}

/** Throws when called outside the Sise server (e.g. `next dev` alone), which is a setup error worth seeing. */
export function getServices(): SiseServices {
  const services = (globalThis as WithServices)[SERVICES_KEY];
  if (!services) throw new Error('Sise services are not registered: start the app with `npm start`, not `next start`');
  return services;
}
