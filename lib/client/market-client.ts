/**
 * Wires the shared socket to the market store and the subscription manager, once per page.
 */
import { MarketStore } from './market-store';
import { getSocket } from './socket';
import { SubscriptionManager } from './subscriptions';

export interface MarketClient {
  store: MarketStore;
  subscriptions: SubscriptionManager;
}

let client: MarketClient | null = null;

export function getMarketClient(): MarketClient {
  if (client) return client;
  const socket = getSocket();
  const store = new MarketStore();
  socket.on('tick', (event) => store.applyTick(event));
  socket.on('hoga', (event) => store.applyHoga(event));
  socket.on('feed', (status) => store.applyFeed(status));
  client = { store, subscriptions: new SubscriptionManager(socket, store) };
  return client;
}
