/**
 * Reference-counts the symbols the page's components want and keeps the server's view in step: one
 * `subscribe` for the first component that needs a symbol, one `unsubscribe` when the last lets go, and all
 * of them again after a reconnect. Requests made in the same tick are batched into one message.
 */
import { parseSymbol, type SubscribeAck, type SymbolId } from '../contracts';
import type { MarketStore } from './market-store';
import type { SiseClientSocket } from './socket';

export class SubscriptionManager {
  private readonly counts = new Map<SymbolId, number>();
  private pendingSubscribe = new Set<SymbolId>();
  private pendingUnsubscribe = new Set<SymbolId>();
  private flushQueued = false;

  constructor(
    private readonly socket: SiseClientSocket,
    private readonly store: MarketStore,
  ) {
    socket.on('connect', () => {
      // A new connection may be a restarted server whose seq starts again at 1.
      for (const symbol of this.counts.keys()) {
        this.store.resetSequence(symbol);
        this.pendingSubscribe.add(symbol);
      }
      this.pendingUnsubscribe.clear();
      this.queueFlush();
    });
  }

  retain(text: string): () => void {
    const parsed = parseSymbol(text);
    if (!parsed.ok) return () => {};
    const symbol = parsed.value.symbol;
    const count = this.counts.get(symbol) ?? 0;
    this.counts.set(symbol, count + 1);
    if (count === 0) {
      this.pendingUnsubscribe.delete(symbol);
      this.pendingSubscribe.add(symbol);
      this.queueFlush();
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.counts.get(symbol) ?? 1) - 1;
      if (left > 0) return void this.counts.set(symbol, left);
      this.counts.delete(symbol);
      this.pendingSubscribe.delete(symbol);
      this.pendingUnsubscribe.add(symbol);
      this.queueFlush();
    };
  }

  private queueFlush(): void {
    if (this.flushQueued) return;
    this.flushQueued = true;
    queueMicrotask(() => {
      this.flushQueued = false;
      if (!this.socket.connected) return; // 'connect' re-sends everything retained
      if (this.pendingUnsubscribe.size > 0) {
        const symbols = [...this.pendingUnsubscribe];
        this.pendingUnsubscribe = new Set();
        this.socket.emit('unsubscribe', { symbols }, () => {});
      }
      if (this.pendingSubscribe.size > 0) {
        const symbols = [...this.pendingSubscribe];
        this.pendingSubscribe = new Set();
        this.socket.emit('subscribe', { symbols }, (ack: SubscribeAck) => this.onAck(ack));
      }
    });
  }

  private onAck(ack: SubscribeAck): void {
    for (const result of ack.results) {
      if (result.kind !== 'symbol') continue;
      this.store.setError(result.id as SymbolId, result.ok ? null : result.error.message);
    }
  }
}
