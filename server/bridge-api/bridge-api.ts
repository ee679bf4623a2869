/**
 * The bridge-compatible API (issue 6 item 3, issue 8 part 6): Sise answers the KiwoomServer bridge's REST routes
 * and its two sockets under `/bridge/`, so a client_kit tool runs against Sise by changing only its base URL.
 * Every request and upgrade needs a live personal API token (or SISE_API_TOKEN, which is the first admin's), and
 * is served with exactly that token's user's rights: the accounts it owns or that were shared with it, its own
 * realtime screens. A token revoked while its sockets are open closes them at once (4401).
 *
 *   const bridgeApi = createBridgeApi({ resolveToken, accountsFor, onRevocation, relay, logger, nameOf });
 *   http.on('request', (req, res) => bridgeApi.handleRequest(req, res) || next(req, res));
 *   http.on('upgrade', (req, socket, head) => bridgeApi.handleUpgrade(req, socket, head));
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import type { SymbolId } from '../../lib/contracts';
import type { AccountSession } from '../brokers/account-session';
import { fail } from '../brokers/kiwoom-bridge/codec';
import type { Logger } from '../logger';
import type { Relay } from '../relay/relay';
import { isBridgePath, readBridgeRequest } from './auth';
import { ACCOUNT_REFRESH_MS } from './execution-client';
import { ExecutionHub } from './execution-hub';
import { RealtimeHub } from './realtime-hub';
import { handleRest, send } from './rest';
import { accept, CLOSE, closeWith, createSocketServer, refuseUpgrade } from './sockets';

/** Who a live API token belongs to, and the credential's name for revocation (its hash, never the secret). */
export interface BridgeIdentity {
  userId: string;
  credentialHash: string;
}

export interface BridgeApiOptions {
  /** The user behind an API token; null when it is unknown or revoked. */
  resolveToken(token: string): Promise<BridgeIdentity | null>;
  /** The accounts the user may see — owned or shared — in a stable order (the first is the default account). */
  accountsFor(userId: string): Promise<readonly AccountSession[]>;
  /** Called with a credential's hash when it is revoked; returns the way to stop listening. */
  onRevocation(listener: (credentialHash: string) => void): () => void;
  relay: Relay;
  logger: Logger;
  /** The instrument's name for chejan FID 302. */
  nameOf: (symbol: SymbolId) => string;
  /** How long an execution socket trusts its account list (ACCOUNT_REFRESH_MS); tests that share mid-stream pass 0. */
  accountRefreshMs?: number;
}

export interface BridgeApi {
  /** Answers the request when its path is under `/bridge/`; false leaves it to the next handler. */
  handleRequest(req: IncomingMessage, res: ServerResponse): boolean;
  /** Takes the upgrade when its path is under `/bridge/`; false leaves it to others (Socket.IO). */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  close(): void;
}

type Authenticated = { ok: true; token: string; identity: BridgeIdentity; path: string; query: URLSearchParams } | { ok: false; status: 401 | 503; message: string };

const NO_TOKEN_MESSAGE = 'Unauthorized: put an API token in the base URL (/bridge/<token>) or send Authorization: Bearer <token>';
const BAD_TOKEN_MESSAGE = 'Unauthorized: this API token is unknown or revoked; create one on the account page';
const AUTH_DOWN_MESSAGE = 'could not check the API token; try again';

export function createBridgeApi(options: BridgeApiOptions): BridgeApi {
  const { relay, logger } = options;
  const execution = new ExecutionHub(relay, options.nameOf, {
    accountsFor: options.accountsFor,
    refreshMs: options.accountRefreshMs ?? ACCOUNT_REFRESH_MS,
    logger,
  });
  /** One bridge's worth of screens and live conditions per user, made on first use and kept until shutdown. */
  const realtimeByUser = new Map<string, RealtimeHub>();
  const realtimeFor = (userId: string) => {
    let hub = realtimeByUser.get(userId);
    if (!hub) realtimeByUser.set(userId, (hub = new RealtimeHub(relay)));
    return hub;
  };
  const sockets = createSocketServer();
  /** Open sockets by the credential they were opened with, so a revocation finds them. */
  const socketsByCredential = new Map<string, Set<WebSocket>>();
  let closed = false;

  const stopRevocations = options.onRevocation((hash) => {
    for (const ws of [...(socketsByCredential.get(hash) ?? [])]) closeWith(ws, CLOSE.revoked);
    socketsByCredential.delete(hash);
  });

  const track = (ws: WebSocket, identity: BridgeIdentity) => {
    const { credentialHash } = identity;
    let open = socketsByCredential.get(credentialHash);
    if (!open) socketsByCredential.set(credentialHash, (open = new Set()));
    open.add(ws);
    ws.once('close', () => {
      const current = socketsByCredential.get(credentialHash);
      current?.delete(ws);
      if (current?.size === 0) socketsByCredential.delete(credentialHash);
    });
  };

  const authenticate = async (req: IncomingMessage): Promise<Authenticated> => {
    const { token, path, query } = readBridgeRequest(req);
    if (token === null || token === '') return { ok: false, status: 401, message: NO_TOKEN_MESSAGE };
    let identity: BridgeIdentity | null;
    try {
      identity = await options.resolveToken(token);
    } catch (error) {
      logger.error({ err: String(error) }, 'bridge API token check failed');
      return { ok: false, status: 503, message: AUTH_DOWN_MESSAGE };
    }
    if (!identity) return { ok: false, status: 401, message: BAD_TOKEN_MESSAGE };
    return { ok: true, token, identity, path, query };
  };

  const stillLive = async (token: string): Promise<boolean> => {
    try {
      return (await options.resolveToken(token)) !== null;
    } catch (error) {
      // The check just before succeeded; a failing store is not a revocation, and the listener still applies.
      logger.warn({ err: String(error) }, 'bridge API token re-check failed');
      return true;
    }
  };

  const serveRest = async (req: IncomingMessage, res: ServerResponse) => {
    const auth = await authenticate(req);
    if (!auth.ok) return send(res, auth.status, fail(auth.message));
    const accounts = await options.accountsFor(auth.identity.userId);
    await handleRest(req, res, auth.path, auth.query, { accounts, relay, realtime: realtimeFor(auth.identity.userId) });
  };

  const serveUpgrade = async (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const auth = await authenticate(req);
    if (!auth.ok) return refuseUpgrade(socket, auth.status, auth.status === 401 ? 'Unauthorized' : 'Service Unavailable', fail(auth.message));
    if (closed) return refuseUpgrade(socket, 503, 'Service Unavailable', fail('Sise is shutting down'));
    const { identity } = auth;
    const path = auth.path.replace(/\/+$/, '');
    if (path !== '/ws/realtime' && path !== '/ws/execution') return refuseUpgrade(socket, 404, 'Not Found', fail('Not Found'));
    accept(sockets, req, socket, head, (ws) => {
      if (closed) return ws.terminate();
      track(ws, identity);
      if (path === '/ws/realtime') realtimeFor(identity.userId).add(ws);
      else execution.add(ws, identity.userId);
      // A revocation between the check above and `track` reached no socket; from `track` on, the listener does.
      // Asking once more closes that gap without keeping a list of revoked tokens.
      void stillLive(auth.token).then((live) => {
        if (!live) closeWith(ws, CLOSE.revoked);
      });
    });
  };

  return {
    handleRequest(req, res) {
      if (!isBridgePath(req.url)) return false;
      serveRest(req, res).catch((error: unknown) => {
        logger.error({ err: String(error), path: readBridgeRequest(req).path }, 'bridge API route failed');
        send(res, 500, fail('internal error'));
      });
      return true;
    },

    handleUpgrade(req, socket, head) {
      if (!isBridgePath(req.url)) return false;
      socket.on('error', () => socket.destroy());
      serveUpgrade(req, socket, head).catch((error: unknown) => {
        logger.error({ err: String(error) }, 'bridge API upgrade failed');
        refuseUpgrade(socket, 500, 'Internal Server Error', fail('internal error'));
      });
      return true;
    },

    close() {
      closed = true;
      stopRevocations();
      for (const hub of realtimeByUser.values()) hub.close();
      realtimeByUser.clear();
      execution.close();
      sockets.close();
    },
  };
}
