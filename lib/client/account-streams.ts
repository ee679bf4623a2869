/**
 * The page's account streams over the shared socket: one `subscribe({ accounts })` for the first component that
 * wants an account, one `unsubscribe` when the last lets go, all of them again after a reconnect. Events are kept
 * per account (in seq order) for the view to lay over its REST snapshots; a seq gap, a reconnect or a refused
 * join is reported so the snapshots can be fetched again.
 *
 *   const streams = getAccountStreams();
 *   const release = streams.retain('kis:50012345-01');
 *   streams.onResync((accountId) => queryClient.invalidateQueries({ queryKey: ['account', accountId] }));
 */
import type { AccountEvent, SubscribeAck } from '../contracts';
import { getSocket, type SiseClientSocket } from './socket';

/**
 * Events kept per account. The view needs only those after its snapshots, which are refetched on any doubt; a
 * busy account fills this in minutes, by which time its snapshots are far newer than the oldest event.
 */
export const ACCOUNT_EVENTS_KEPT = 1_000;

export interface AccountStreamState {
  /** Seq order, oldest first. A new array after each change, so React sees the change. */
  events: AccountEvent[];
  /** Why the server refused the join, when it did. */
  error: string | null;
}

/**
 * A broker sends a full balance after it reconnected and reconciled over REST, and pushes may have been missed
 * while it was away (a working order filled meanwhile), so a full balance also refreshes the orders and fills
 * snapshots — at most once per this long per account, so a broker that sends full balances on every change
 * costs a few REST calls, not a storm.
 */
export const FULL_BALANCE_RESYNC_MS = 5_000;

const EMPTY: AccountStreamState = { events: [], error: null };
type Listener = () => void;

export class AccountStreams {
  private readonly counts = new Map<string, number>();
  private readonly states = new Map<string, AccountStreamState>();
  private readonly listeners = new Set<Listener>();
  private readonly resyncListeners = new Set<(accountId: string) => void>();
  private readonly lastFullBalanceResync = new Map<string, number>();

  constructor(
    private readonly socket: SiseClientSocket,
    private readonly now: () => number = Date.now,
  ) {
    socket.on('order', (event) => this.apply(event));
    socket.on('balance', (event) => this.apply(event));
    socket.on('connect', () => {
      // A new connection may be a restarted server whose seq starts again at 1: forget what we hold and ask again.
      const accounts = [...this.counts.keys()];
      for (const accountId of accounts) this.states.set(accountId, EMPTY);
      if (accounts.length > 0) this.join(accounts);
      this.changed();
    });
  }

  get(accountId: string): AccountStreamState {
    return this.states.get(accountId) ?? EMPTY;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Called with an account whose snapshots are stale: a gap in its seq, or a fresh join after a reconnect. */
  onResync(listener: (accountId: string) => void): () => void {
    this.resyncListeners.add(listener);
    return () => this.resyncListeners.delete(listener);
  }

  retain(accountId: string): () => void {
    const count = this.counts.get(accountId) ?? 0;
    this.counts.set(accountId, count + 1);
    if (count === 0 && this.socket.connected) this.join([accountId]);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.counts.get(accountId) ?? 1) - 1;
      if (left > 0) return void this.counts.set(accountId, left);
      this.counts.delete(accountId);
      this.states.delete(accountId);
      if (this.socket.connected) this.socket.emit('unsubscribe', { accounts: [accountId] }, () => {});
    };
  }

  private join(accounts: string[]): void {
    this.socket.emit('subscribe', { accounts }, (ack: SubscribeAck) => {
      for (const result of ack.results) {
        if (result.kind !== 'account' || !this.counts.has(result.id)) continue;
        this.states.set(result.id, { ...this.get(result.id), error: result.ok ? null : result.error.message });
        // Anything that happened before the join is only in a fresh snapshot.
        if (result.ok) this.resync(result.id);
      }
      if (ack.error) for (const id of accounts) this.states.set(id, { ...this.get(id), error: ack.error.message });
      this.changed();
    });
  }

  private apply(event: AccountEvent): void {
    if (!this.counts.has(event.accountId)) return;
    const state = this.get(event.accountId);
    const last = state.events.at(-1)?.seq;
    if (last !== undefined && event.seq <= last) return; // already have it
    const events = [...state.events, event];
    if (events.length > ACCOUNT_EVENTS_KEPT) events.splice(0, events.length - ACCOUNT_EVENTS_KEPT);
    this.states.set(event.accountId, { ...state, events });
    if (last !== undefined && event.seq !== last + 1) this.resync(event.accountId);
    else if ('full' in event && event.full) this.resyncAfterFullBalance(event.accountId);
    this.changed();
  }

  private resyncAfterFullBalance(accountId: string): void {
    const now = this.now();
    if (now - (this.lastFullBalanceResync.get(accountId) ?? -Infinity) < FULL_BALANCE_RESYNC_MS) return;
    this.lastFullBalanceResync.set(accountId, now);
    this.resync(accountId);
  }

  private resync(accountId: string): void {
    for (const listener of [...this.resyncListeners]) listener(accountId);
  }

  private changed(): void {
    for (const listener of [...this.listeners]) listener();
  }
}

let streams: AccountStreams | null = null;

export function getAccountStreams(): AccountStreams {
  streams ??= new AccountStreams(getSocket());
  return streams;
}
