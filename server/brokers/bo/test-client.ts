/**
 * Test helper: a bare TCP client that speaks the venue's messages from the protocol reference (codec and framer
 * only, never the adapter), and records everything it receives, for the simulator's own tests.
 */
import net from 'node:net';
import { balanceSchema, orderSchema, type BalanceEvent, type BrokerId, type FeedState, type OrderEvent } from '../../../lib/contracts';
import type { FeedSink, Unstamped } from '../../relay/feed';
import { encode, type BoMessage, type LogonMessage } from './codec';
import { BoFramer, RECV } from './framer';

export class RawClient {
  readonly received: BoMessage[] = [];
  readonly chunks: Buffer[] = [];
  closed = false;
  private readonly framer = new BoFramer();

  private constructor(readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.chunks.push(chunk);
      for (const event of this.framer.push(chunk)) if (event.code === RECV.NO_ERROR) this.received.push(event.message);
    });
    socket.on('close', () => {
      this.closed = true;
    });
    socket.on('error', () => undefined);
  }

  static connect(addr: string): Promise<RawClient> {
    const [host, port] = addr.split(':');
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: host!, port: Number(port) }, () => resolve(new RawClient(socket)));
      socket.once('error', reject);
    });
  }

  send(message: BoMessage): void {
    this.socket.write(encode(message));
  }

  /** Waits until `count` messages matching `predicate` have arrived and returns them. */
  async take<M extends BoMessage>(predicate: (m: BoMessage) => m is M, count = 1, timeoutMs = 5000): Promise<M[]> {
    await waitUntil(() => this.received.filter(predicate).length >= count, `${count} matching message(s)`, timeoutMs);
    return this.received.filter(predicate).slice(0, count);
  }

  bytes(): Buffer {
    return Buffer.concat(this.chunks);
  }

  close(): void {
    this.socket.destroy();
  }
}

export async function waitUntil(predicate: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const started = Date.now();
  while (!predicate()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export const is =
  <T extends BoMessage['type']>(type: T, extra: (m: Extract<BoMessage, { type: T }>) => boolean = () => true) =>
  (m: BoMessage): m is Extract<BoMessage, { type: T }> =>
    m.type === type && extra(m as Extract<BoMessage, { type: T }>);

/** A client logon as §3 lays it out; IPs carry the library's dummy "1". */
export function logon(fields: Partial<LogonMessage>): LogonMessage {
  return {
    type: 'H', logonType: 1, account: 100_700, twoFA: '', userName: '', tradingSessionId: 506,
    primaryOrderEntryIp: '1', secondaryOrderEntryIp: '1', primaryMarketDataIp: '1', secondaryMarketDataIp: '1',
    sendingTime: 0n, lastSeqNum: 0, key: 0, loginStatus: 0, rejectReason: 0, riskMaster: '', ...fields,
  };
}

/** A FeedSink that records what the adapter publishes and checks every event against the shared schemas. */
export class RecordingSink implements FeedSink {
  readonly orders: Array<Unstamped<OrderEvent>> = [];
  readonly balances: Array<Unstamped<BalanceEvent>> = [];
  readonly states: Array<{ state: FeedState; detail: string | null }> = [];
  readonly other: string[] = [];

  tick(): void {
    this.other.push('tick');
  }
  hoga(): void {
    this.other.push('hoga');
  }
  condition(): void {
    this.other.push('condition');
  }
  order(event: Unstamped<OrderEvent>): void {
    orderSchema.parse({ ...event, seq: 0 });
    this.orders.push(event);
  }
  balance(event: Unstamped<BalanceEvent>): void {
    balanceSchema.parse({ ...event, seq: 0 });
    this.balances.push(event);
  }
  state(_feed: BrokerId, state: FeedState, detail: string | null): void {
    this.states.push({ state, detail });
  }

  get lastState(): FeedState | undefined {
    return this.states.at(-1)?.state;
  }

  ordersOf(orderId: string): Array<Unstamped<OrderEvent>> {
    return this.orders.filter((o) => o.orderId === orderId);
  }
}
