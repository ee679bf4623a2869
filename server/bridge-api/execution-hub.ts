/**
 * `/ws/execution` (§8.2): order and balance events as the bridge's chejan frames, each client getting only the
 * accounts its token's user may see (execution-client.ts). The bridge serves one OpenAPI+ login; Sise may hold
 * several accounts, so FID 9201 says whose each frame is.
 */
import type { WebSocket } from 'ws';
import type { SymbolId } from '../../lib/contracts';
import { encodeFrame } from '../brokers/kiwoom-bridge/codec';
import type { Relay } from '../relay/relay';
import { ExecutionClient, type ExecutionClientDeps, type ExecutionFrame } from './execution-client';
import { balanceFrames, orderFrame } from './frames';

export class ExecutionHub {
  private readonly clients = new Set<ExecutionClient>();
  private readonly stop: () => void;

  constructor(
    relay: Relay,
    nameOf: (symbol: SymbolId) => string,
    private readonly deps: ExecutionClientDeps,
  ) {
    const lastPrice = (symbol: SymbolId) => relay.lastTick(symbol)?.price;
    this.stop = relay.onAccountEvent((event) => {
      if (this.clients.size === 0) return;
      const frames = 'orderId' in event ? [orderFrame(event, nameOf(event.symbol))] : balanceFrames(event, lastPrice);
      const encoded: ExecutionFrame[] = frames.map((frame) => ({ accountId: event.accountId, text: encodeFrame(frame) }));
      for (const client of this.clients) client.offer(encoded);
    });
  }

  add(ws: WebSocket, userId: string): void {
    const client = new ExecutionClient(ws, userId, this.deps);
    this.clients.add(client);
    ws.once('close', () => this.clients.delete(client));
  }

  close(): void {
    this.stop();
    for (const client of this.clients) client.ws.terminate();
    this.clients.clear();
  }
}
