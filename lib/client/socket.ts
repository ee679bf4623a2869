/**
 * The browser's one Socket.IO connection, shared by every component on the page.
 */
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../contracts/socket-events';

export type SiseClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

let socket: SiseClientSocket | null = null;

export function getSocket(): SiseClientSocket {
  if (!socket) {
    // WebSocket first: every browser we serve has it, and it saves the polling round trips on start.
    socket = io({ transports: ['websocket', 'polling'] });
  }
  return socket;
}
