/**
 * The bridge-compatible API (issue 6 item 3): Sise answers the KiwoomServer bridge's REST routes and its two
 * sockets under `/bridge/`, so a client_kit tool runs against Sise by changing only its base URL. Every request
 * and upgrade needs SISE_API_TOKEN (auth.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { SymbolId } from '../../lib/contracts';
import type { AccountSession } from '../brokers/account-session';
import { fail } from '../brokers/kiwoom-bridge/codec';
import type { Logger } from '../logger';
import type { Relay } from '../relay/relay';
import { authorize, isBridgePath } from './auth';
import { ExecutionHub } from './execution-hub';
import { RealtimeHub } from './realtime-hub';
import { handleRest, send } from './rest';
import { accept, createSocketServer, refuseUpgrade } from './sockets';

export interface BridgeApiOptions {
  token: string | null;
  relay: Relay;
  accounts: readonly AccountSession[];
  logger: Logger;
  /** The instrument's name for chejan FID 302. */
  nameOf: (symbol: SymbolId) => string;
}

export interface BridgeApi {
  /** Answers the request when its path is under `/bridge/`; false leaves it to the next handler. */
  handleRequest(req: IncomingMessage, res: ServerResponse): boolean;
  /** Takes the upgrade when its path is under `/bridge/`; false leaves it to others (Socket.IO). */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  close(): void;
}

export function createBridgeApi(options: BridgeApiOptions): BridgeApi {
  const { token, relay, accounts, logger } = options;
  const realtime = new RealtimeHub(relay);
  const execution = new ExecutionHub(relay, options.nameOf);
  const sockets = createSocketServer();
  let closed = false;

  return {
    handleRequest(req, res) {
      if (!isBridgePath(req.url)) return false;
      const auth = authorize(req, token);
      if (!auth.ok) {
        send(res, 401, fail(auth.message));
        return true;
      }
      handleRest(req, res, auth.path, auth.query, { accounts, relay, realtime }).catch((error: unknown) => {
        logger.error({ error, path: auth.path }, 'bridge API route failed');
        send(res, 500, fail('internal error'));
      });
      return true;
    },

    handleUpgrade(req, socket, head) {
      if (!isBridgePath(req.url)) return false;
      socket.on('error', () => socket.destroy());
      const auth = authorize(req, token);
      if (!auth.ok) {
        refuseUpgrade(socket, 401, 'Unauthorized', fail(auth.message));
        return true;
      }
      if (closed) {
        refuseUpgrade(socket, 503, 'Service Unavailable', fail('Sise is shutting down'));
        return true;
      }
      const path = auth.path.replace(/\/+$/, '');
      if (path === '/ws/realtime') accept(sockets, req, socket, head, realtime.clients);
      else if (path === '/ws/execution') accept(sockets, req, socket, head, execution.clients);
      else refuseUpgrade(socket, 404, 'Not Found', fail('Not Found'));
      return true;
    },

    close() {
      closed = true;
      realtime.close();
      execution.close();
      sockets.close();
    },
  };
}
