/**
 * The Socket.IO API, typed once for the server, the browser and bots.
 *
 * Client → server, each with an ack:
 *   socket.emit('subscribe', { symbols: ['KRX:005930'] }, (ack) => …)
 *   socket.emit('unsubscribe', { symbols: ['KRX:005930'] }, (ack) => …)
 * Server → client: tick, hoga, order, balance, condition, feed.
 */
import { z } from 'zod';
import type { ApiError } from './errors';
import type { DashAccessChange, DashEditAck, DashEditRequest, DashJoinAck, DashRoomRequest, DashUpdate } from './dashboards';
import type { BalanceEvent, ConditionEvent, HogaEvent, OrderEvent, TickEvent } from './events';
import type { FeedStatus } from './feed-status';

/** More items than this in one request is a bug in the client, not a watchlist. */
export const MAX_ITEMS_PER_REQUEST = 200;

const itemList = z.array(z.string()).max(MAX_ITEMS_PER_REQUEST);

export const subscribeRequestSchema = z
  .object({
    symbols: itemList.optional(),
    accounts: itemList.optional(),
    conditions: itemList.optional(),
  })
  .strict();
export type SubscribeRequest = z.infer<typeof subscribeRequestSchema>;

export type SubscriptionKind = 'symbol' | 'account' | 'condition';

export type SubscribeItemResult =
  /** `members`: for a live condition, the symbols in it when you joined; inserts and deletes follow. */
  | { kind: SubscriptionKind; id: string; ok: true; members?: string[] }
  | { kind: SubscriptionKind; id: string; ok: false; error: ApiError };

export interface SubscribeAck {
  /** One entry per requested item, in request order (symbols, then accounts, then conditions). */
  results: SubscribeItemResult[];
  /** Set when the request as a whole was unusable (not an object, unknown keys, too many items). */
  error?: ApiError;
}

export type Ack = (ack: SubscribeAck) => void;

export interface ClientToServerEvents {
  subscribe: (request: SubscribeRequest, ack: Ack) => void;
  unsubscribe: (request: SubscribeRequest, ack: Ack) => void;
  /** Watch a dashboard: the ack carries the current document and your role, or FORBIDDEN / NOT_FOUND. */
  'dash:join': (request: DashRoomRequest, ack: (ack: DashJoinAck) => void) => void;
  'dash:leave': (request: DashRoomRequest, ack: (ack: { ok: true }) => void) => void;
  /** One edit made on `edit.baseVersion`: ok with the new document, or CONFLICT with the current one, or FORBIDDEN. */
  'dash:edit': (request: DashEditRequest, ack: (ack: DashEditAck) => void) => void;
}

export interface ServerToClientEvents {
  tick: (event: TickEvent) => void;
  hoga: (event: HogaEvent) => void;
  order: (event: OrderEvent) => void;
  balance: (event: BalanceEvent) => void;
  condition: (event: ConditionEvent) => void;
  feed: (status: FeedStatus) => void;
  /** An accepted edit of a dashboard you watch: the whole new document and who made it. */
  'dash:update': (update: DashUpdate) => void;
  /** Your right on a dashboard you watch changed (`role: null`: removed or deleted; you left its room). */
  'dash:access': (change: DashAccessChange) => void;
  /** The socket's session expired, was signed out, or its API token was revoked; the server disconnects next. */
  session_ended: (info: { reason: string }) => void;
}

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface InterServerEvents {}

export interface SocketData {
  /** The signed-in user, set by the auth middleware before any handler runs (null only when a test runs the relay without a store). */
  userId: string | null;
}
