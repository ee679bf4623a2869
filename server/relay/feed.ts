/**
 * What the relay needs from an upstream: a broker adapter, or the in-process market feed.
 * Adapters publish normalized events without `seq`; the relay stamps seq per stream, so a reconnecting
 * adapter never has to know what clients have seen.
 */
import type {
  ApiError,
  BalanceEvent,
  BrokerId,
  ConditionEvent,
  ErrorCode,
  FeedState,
  HogaEvent,
  Market,
  OrderEvent,
  SymbolId,
  TickEvent,
} from '../../lib/contracts';

export type Unstamped<E> = Omit<E, 'seq'>;

export interface FeedSink {
  tick(event: Unstamped<TickEvent>): void;
  hoga(event: Unstamped<HogaEvent>): void;
  order(event: Unstamped<OrderEvent>): void;
  balance(event: Unstamped<BalanceEvent>): void;
  condition(event: Unstamped<ConditionEvent>): void;
  /** The feed's session changed state; `detail` says why in words a user can act on. */
  state(feed: BrokerId, state: FeedState, detail: string | null): void;
}

export interface Feed {
  readonly id: BrokerId;
  /** Markets this feed can serve quotes for. */
  readonly markets: readonly Market[];
  start(sink: FeedSink): Promise<void>;
  /** Closes upstream sessions; resolves when they are closed. */
  stop(): Promise<void>;
  state(): FeedState;
  /** Whether this feed lists the instrument; an unknown symbol is refused before any upstream call. */
  knows(symbol: SymbolId): boolean;
  /**
   * Adds the symbol to the feed's upstream registrations. Resolves once the feed has accepted it (it flows now,
   * or will as soon as the session is back); rejects with a FeedError when the broker cannot serve it
   * (registration limit, unknown code, refused).
   */
  subscribe(symbol: SymbolId): Promise<void>;
  unsubscribe(symbol: SymbolId): Promise<void>;
}

/** A refusal a user should see, e.g. the 42nd KIS registration. */
export class FeedError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'FeedError';
  }

  toApiError(): ApiError {
    return { code: this.code, message: this.message };
  }
}

export function toApiError(error: unknown): ApiError {
  if (error instanceof FeedError) return error.toApiError();
  return { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
}
