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
    // A socket lives as long as its session: when the server ends it (expired, signed out elsewhere) or refuses
    // the handshake for want of one, the page goes to sign-in instead of retrying forever.
    socket.on('session_ended', () => goToSignIn());
    socket.on('connect_error', (error) => {
      if (error.message.startsWith('UNAUTHENTICATED')) goToSignIn();
    });
  }
  return socket;
}

function goToSignIn(): void {
  socket?.disconnect();
  socket = null;
  const here = window.location.pathname + window.location.search;
  window.location.assign(`/login?next=${encodeURIComponent(here)}`);
}
