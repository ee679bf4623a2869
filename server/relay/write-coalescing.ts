/**
 * engine.io sends every packet to a client as its own WebSocket frame, and ws hands each frame to the kernel
 * with its own writev. Under a burst that syscall per event per client, not JSON or Socket.IO, is what limits
 * the relay (a CPU profile of `npm run bench -- fanout` put about half the busy time in writev). Holding a
 * client's TCP socket corked until the end of the current event-loop turn sends the burst in one writev. The
 * bytes on the wire are the same frames in the same order; only the number of syscalls changes.
 *
 * This reaches under engine.io and ws (`transport.socket._socket`). Where that is absent (the polling
 * transport, another engine.io version) it does nothing, and the relay works as before, only slower.
 */
import type { Socket as NetSocket } from 'node:net';
import type { Server } from 'socket.io';

interface EngineConnection {
  transport?: { socket?: { _socket?: NetSocket } };
}

export function coalesceWritesPerTurn(io: Server): void {
  // engine.io emits `flush` just before it hands a client's queued packets to the transport.
  io.engine.on('flush', (connection: EngineConnection) => {
    const raw = connection.transport?.socket?._socket;
    if (!raw || typeof raw.cork !== 'function' || raw.writableCorked > 0 || raw.destroyed) return;
    raw.cork();
    process.nextTick(() => raw.uncork());
  });
}
