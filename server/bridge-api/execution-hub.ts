/**
 * `/ws/execution` (§8.2): every account's order and balance events as the bridge's chejan frames. The bridge
 * serves one OpenAPI+ login; Sise may hold several accounts, so FID 9201 says whose each frame is.
 */
import type { WebSocket } from 'ws';
import type { SymbolId } from '../../lib/contracts';
import { encodeFrame } from '../brokers/kiwoom-bridge/codec';
import type { Relay } from '../relay/relay';
import { balanceFrames, orderFrame } from './frames';
import { broadcast } from './sockets';

export class ExecutionHub {
  readonly clients = new Set<WebSocket>();
  private readonly stop: () => void;

  constructor(relay: Relay, nameOf: (symbol: SymbolId) => string) {
    const lastPrice = (symbol: SymbolId) => relay.lastTick(symbol)?.price;
    this.stop = relay.onAccountEvent((event) => {
      if (this.clients.size === 0) return;
      const frames = 'orderId' in event ? [orderFrame(event, nameOf(event.symbol))] : balanceFrames(event, lastPrice);
      for (const frame of frames) broadcast(this.clients, encodeFrame(frame));
    });
  }

  close(): void {
    this.stop();
    for (const client of this.clients) client.terminate();
    this.clients.clear();
  }
}
