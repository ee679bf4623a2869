/**
 * Socket.IO's door: a handshake must come from an allowed origin and carry a live credential — the session
 * cookie (browsers) or `auth: { token }` (bots). A socket ends when its session expires or is signed out, or
 * when its API token is revoked: it is told why (`session_ended`) and disconnected.
 *
 *   const socket = io('http://127.0.0.1:3000', { auth: { token: 'sise_…' } });
 *   socket.on('connect_error', (error) => console.error(error.message)); // "UNAUTHENTICATED: …"
 */
import { parse as parseCookies } from 'cookie';
import { SESSION_COOKIE } from '../../lib/contracts';
import type { Logger } from '../logger';
import type { SiseIo } from '../relay/relay';
import type { AuthService } from './auth-service';
import type { StoredCredential } from './credential-repository';
import type { OriginPolicy } from './origin-policy';

/** setTimeout cannot wait longer than 2^31−1 ms (about 24.8 days); longer waits are re-armed in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

type SiseServerSocket = Parameters<Parameters<SiseIo['use']>[0]>[0];

/** Socket.IO passes the message and `data` of a middleware error to the client's connect_error. */
function refusal(code: 'UNAUTHENTICATED' | 'FORBIDDEN', message: string): Error & { data: { code: string } } {
  return Object.assign(new Error(`${code}: ${message}`), { data: { code } });
}

export function installSocketAuth(io: SiseIo, options: { auth: AuthService; origins: OriginPolicy; logger: Logger }): () => void {
  const { auth, origins, logger } = options;
  const socketsByCredential = new Map<string, Set<SiseServerSocket>>();

  const end = (socket: SiseServerSocket, reason: string) => {
    if (!socket.connected) return;
    socket.emit('session_ended', { reason });
    socket.disconnect(true);
  };

  io.use((socket, next) => {
    const { headers } = socket.handshake;
    if (!origins.allows(headers.origin, headers.host)) {
      next(refusal('FORBIDDEN', `pages on ${headers.origin} may not open a socket to this server`));
      return;
    }
    const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
    const cookie = headers.cookie ? parseCookies(headers.cookie)[SESSION_COOKIE] : undefined;
    const lookup = typeof token === 'string' ? auth.resolveApiToken(token) : cookie ? auth.resolveSession(cookie) : Promise.resolve(null);
    lookup.then(
      (credential) => {
        if (!credential) {
          const what = typeof token === 'string' ? 'this API token is unknown or revoked' : cookie ? 'the session has expired or was signed out' : 'sign in first, or pass auth: { token }';
          next(refusal('UNAUTHENTICATED', what));
          return;
        }
        socket.data.userId = credential.user.id;
        track(socket, credential);
        next();
      },
      (error: unknown) => {
        logger.error({ err: String(error) }, 'socket authentication failed');
        next(refusal('UNAUTHENTICATED', 'the server could not check your credentials; try again'));
      },
    );
  });

  const track = (socket: SiseServerSocket, credential: StoredCredential) => {
    let sockets = socketsByCredential.get(credential.hash);
    if (!sockets) socketsByCredential.set(credential.hash, (sockets = new Set()));
    sockets.add(socket);
    let expiryTimer: NodeJS.Timeout | undefined;
    const armExpiry = () => {
      if (credential.expiresAt === null) return;
      const wait = credential.expiresAt - Date.now();
      expiryTimer = setTimeout(
        () => {
          if (Date.now() < credential.expiresAt!) return armExpiry();
          end(socket, 'session expired: sign in again');
        },
        Math.max(0, Math.min(wait, MAX_TIMER_MS)),
      );
      expiryTimer.unref();
    };
    armExpiry();
    socket.once('disconnect', () => {
      clearTimeout(expiryTimer);
      sockets.delete(socket);
      if (sockets.size === 0) socketsByCredential.delete(credential.hash);
    });
  };

  return auth.onRevocation((hash) => {
    for (const socket of [...(socketsByCredential.get(hash) ?? [])]) end(socket, 'signed out or token revoked');
  });
}
