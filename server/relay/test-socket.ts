/**
 * Test helpers: a real Socket.IO client against a server on 127.0.0.1, typed with the shared event maps.
 */
import { io, type Socket } from 'socket.io-client';
import type { FeedSet } from '../brokers/registry';
import { SimFeed } from '../brokers/sim/sim-feed';
import type { MarketEngine } from '../market/market-engine';
import type { Feed } from './feed';
import type {
  ClientToServerEvents,
  Market,
  ServerToClientEvents,
  SubscribeAck,
  SubscribeRequest,
} from '../../lib/contracts';

export type TestSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** `token`: an API token (servers with a store refuse sockets without a credential); `headers`: e.g. a cookie or an Origin. */
export async function connectClient(url: string, credentials: { token?: string; headers?: Record<string, string> } = {}): Promise<TestSocket> {
  const socket: TestSocket = io(url, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    ...(credentials.token ? { auth: { token: credentials.token } } : {}),
    ...(credentials.headers ? { extraHeaders: credentials.headers } : {}),
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return socket;
}

export function request(socket: TestSocket, event: 'subscribe' | 'unsubscribe', body: SubscribeRequest): Promise<SubscribeAck> {
  return socket.timeout(10_000).emitWithAck(event, body);
}

export { waitFor } from '../test-wait';

/**
 * The in-process market feed alone, for tests of the relay itself: no broker adapters or simulators to start,
 * so a relay test fails only for the relay's own reasons.
 */
export function inProcessFeeds(engine: MarketEngine): FeedSet {
  const sim = new SimFeed(engine);
  return { feeds: [sim], preference: new Map<Market, Feed[]>([['KRX', [sim]], ['UPBIT', [sim]], ['BO', []]]) };
}
