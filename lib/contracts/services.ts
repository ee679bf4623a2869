/**
 * The bridge between Next's route handlers (app/api) and the companion server in the same process.
 * Next bundles route handlers separately, so module state is not shared; a well-known global is.
 * server/index.ts registers the services before Next serves its first request.
 */
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

export interface SiseServices {
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
