/**
 * Per-client conflation for clients that cannot keep up (design §4). A browser on a weak connection, a laptop
 * that went to sleep, a bot stuck in a loop: its Socket.IO packets queue in the server's memory (engine.io's
 * write buffer) faster than it reads them. Such a client is moved out of the market-data broadcast; while it is
 * behind, only the latest tick and hoga per symbol are kept for it, and once its backlog has drained it gets those
 * and rejoins the broadcast. Its `seq` then jumps, which tells it exactly how much it skipped.
 *
 * `order`, `balance` and `condition` events are never conflated: they keep flowing to every client in order,
 * however far behind it is. Healthy clients are not affected at all: they stay in the one shared broadcast.
 */
import type { Socket } from 'socket.io';
import type { HogaEvent, TickEvent } from '../../lib/contracts';
import type { Logger } from '../logger';

/** Sockets currently behind: the market broadcast goes `.except(SLOW_ROOM)`. */
export const SLOW_ROOM = 'internal:slow';

/**
 * A client is behind when this many packets wait for it. A healthy client's queue empties every event-loop turn;
 * a 12-symbol grid at 20 Hz (ticks and hogas) is about 500 packets a second, so this is two seconds of market
 * data it has not taken — long past any network hiccup.
 */
export const SLOW_CLIENT_BACKLOG_PACKETS = 1_000;
/**
 * How often backlogs are looked at. Checking on every event would cost a loop over every client per event; four
 * times a second catches a stalled client long before its backlog costs real memory.
 */
export const SLOW_CLIENT_CHECK_MS = 250;

interface EngineConnection {
  writeBuffer?: unknown[];
}

type MarketEvent = { kind: 'tick'; event: TickEvent } | { kind: 'hoga'; event: HogaEvent };
interface Held {
  room: string;
  item: MarketEvent;
}

export class SlowConsumers {
  /** Per slow socket: the latest market event per symbol and kind, waiting for it to catch up. */
  private readonly held = new Map<Socket, Map<string, Held>>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly sockets: () => Iterable<Socket>,
    private readonly logger: Logger,
    private readonly limit = SLOW_CLIENT_BACKLOG_PACKETS,
    checkMs = SLOW_CLIENT_CHECK_MS,
  ) {
    this.timer = setInterval(() => this.check(), checkMs);
    this.timer.unref();
  }

  /** Keeps the latest market event for every slow socket in the room (the broadcast skipped them). */
  hold(room: string, item: MarketEvent): void {
    if (this.held.size === 0) return;
    for (const [socket, latest] of this.held) {
      if (socket.rooms.has(room)) latest.set(`${item.kind}:${item.event.symbol}`, { room, item });
    }
  }

  /** Looks at every client's backlog: marks the ones behind, and releases the ones that caught up. */
  check(): void {
    for (const socket of this.sockets()) {
      const backlog = (socket.conn as unknown as EngineConnection).writeBuffer?.length ?? 0;
      const latest = this.held.get(socket);
      if (!latest && backlog >= this.limit) {
        this.held.set(socket, new Map());
        void socket.join(SLOW_ROOM);
        this.logger.warn({ socket: socket.id, backlog }, 'client is behind; conflating its market data until it catches up');
      } else if (latest && backlog === 0) {
        this.release(socket, latest);
      }
    }
    for (const socket of this.held.keys()) if (socket.disconnected) this.held.delete(socket);
  }

  close(): void {
    clearInterval(this.timer);
    this.held.clear();
  }

  private release(socket: Socket, latest: Map<string, Held>): void {
    this.held.delete(socket);
    // Send what it missed (latest only) and rejoin the broadcast in the same turn, so nothing slips in between.
    // A symbol it unsubscribed from meanwhile is not sent.
    for (const { room, item } of latest.values()) {
      if (!socket.rooms.has(room)) continue;
      if (item.kind === 'tick') socket.emit('tick', item.event);
      else socket.emit('hoga', item.event);
    }
    void socket.leave(SLOW_ROOM);
    this.logger.info({ socket: socket.id, conflated: latest.size }, 'client caught up');
  }
}
