/**
 * Who gets in, over real HTTP and real Socket.IO: a Sise server on 127.0.0.1:0 with the embedded store.
 * Pages redirect to sign-in, the API answers 401, sockets need a live session or token from an allowed origin,
 * and a socket ends when its session is signed out or its token revoked.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_COOKIE, USER_HEADER } from '../../lib/contracts';
import { loadConfig } from '../config';
import { silentLogger } from '../logger';
import { connectClient, inProcessFeeds, request, waitFor, type TestSocket } from '../relay/test-socket';
import { startSiseServer, type SiseServer } from '../sise-server';
import { addTestUser, type TestUser } from './test-users';

let server: SiseServer;
let dataDir: string;
let alice: TestUser;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'sise-auth-'));
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', SIM: 'on', DATA_DIR: dataDir, SISE_ALLOWED_ORIGINS: 'https://desk.example.com' });
  server = await startSiseServer({ config, logger: silentLogger, web: false, feeds: inProcessFeeds });
  alice = await addTestUser(server.auth!);
}, 60_000);

afterAll(async () => {
  await server?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** A socket connection attempt's outcome: the connected socket, or the refusal's message. */
async function tryConnect(credentials: Parameters<typeof connectClient>[1]): Promise<TestSocket | string> {
  try {
    return await connectClient(server.url, credentials);
  } catch (error) {
    return (error as Error).message;
  }
}

async function sessionCookie(user: TestUser): Promise<string> {
  const { token } = await server.auth!.signIn({ email: user.email, password: user.password }, '127.0.0.1');
  return `${SESSION_COOKIE}=${token}`;
}

describe('the HTTP gate', () => {
  it('sends a signed-out page view to sign-in and answers signed-out API calls with 401', async () => {
    const page = await fetch(`${server.url}/balances?tab=1`, { redirect: 'manual' });
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/login?next=%2Fbalances%3Ftab%3D1');
    const api = await fetch(`${server.url}/api/accounts`);
    expect(api.status).toBe(401);
    expect(await api.json()).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
    // Sign-in itself and health checks stay reachable.
    expect((await fetch(`${server.url}/login`, { redirect: 'manual' })).status).not.toBe(303);
  });

  it('does not trust a user header a client made up', async () => {
    const forged = await fetch(`${server.url}/api/accounts`, { headers: { [USER_HEADER]: JSON.stringify({ id: alice.user.id, email: alice.email, role: 'admin' }) } });
    expect(forged.status).toBe(401);
  });

  it('refuses a cookie-authenticated write from a page on another origin', async () => {
    const cookie = await sessionCookie(alice);
    const crossSite = await fetch(`${server.url}/api/tokens`, { method: 'POST', headers: { cookie, origin: 'http://evil.example', 'content-type': 'application/json' }, body: '{"name":"x"}' });
    expect(crossSite.status).toBe(403);
    // The same request from our own origin reaches the routes (no pages on this web-less server: 404 from the stub).
    const sameSite = await fetch(`${server.url}/api/tokens`, { method: 'POST', headers: { cookie, origin: server.url, 'content-type': 'application/json' }, body: '{"name":"x"}' });
    expect(sameSite.status).toBe(404);
    // Nor can another origin sign the browser in (as someone else) behind the user's back.
    const loginElsewhere = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { origin: 'http://evil.example', 'content-type': 'application/json' }, body: JSON.stringify({ email: alice.email, password: alice.password }) });
    expect(loginElsewhere.status).toBe(403);
  });
});

describe('socket authentication', () => {
  it('refuses a socket without a credential, with a wrong token, or from another origin', async () => {
    expect(await tryConnect({})).toMatch(/^UNAUTHENTICATED/);
    expect(await tryConnect({ token: 'sise_not-a-real-token' })).toMatch(/^UNAUTHENTICATED/);
    const cookie = await sessionCookie(alice);
    expect(await tryConnect({ headers: { cookie, origin: 'http://evil.example' } })).toMatch(/^FORBIDDEN/);
  });

  it('accepts the session cookie from our own origin or an allowed one, and an API token', async () => {
    const cookie = await sessionCookie(alice);
    for (const credentials of [{ headers: { cookie, origin: server.url } }, { headers: { cookie, origin: 'https://desk.example.com' } }, { token: alice.token }]) {
      const socket = await tryConnect(credentials);
      if (typeof socket === 'string') throw new Error(`refused: ${socket}`);
      const ack = await request(socket, 'subscribe', { symbols: ['KRX:005930'] });
      expect(ack.results[0]).toMatchObject({ ok: true });
      socket.disconnect();
    }
  });

  it('closes a socket whose API token is revoked, and refuses the token afterwards', async () => {
    const { token, info } = await server.auth!.createApiToken(alice.user, { name: 'bot' });
    const socket = await connectClient(server.url, { token });
    const ended: string[] = [];
    socket.on('session_ended', ({ reason }) => ended.push(reason));
    await server.auth!.revokeApiToken(alice.user, info.id);
    await waitFor(() => !socket.connected, 'the socket to be closed');
    expect(ended).toEqual(['signed out or token revoked']);
    expect(await tryConnect({ token })).toMatch(/^UNAUTHENTICATED/);
  });

  it('closes a socket whose session is signed out, and leaves the user\'s other sessions open', async () => {
    const first = await server.auth!.signIn({ email: alice.email, password: alice.password }, '127.0.0.1');
    const second = await sessionCookie(alice);
    const a = await connectClient(server.url, { headers: { cookie: `${SESSION_COOKIE}=${first.token}` } });
    const b = await connectClient(server.url, { headers: { cookie: second } });
    const session = (await server.auth!.resolveSession(first.token))!;
    await server.auth!.signOut(session.hash);
    await waitFor(() => !a.connected, 'the signed-out socket to be closed');
    expect(b.connected).toBe(true);
    b.disconnect();
  });

  it('closes a socket when its session expires', async () => {
    const shortDir = mkdtempSync(path.join(tmpdir(), 'sise-auth-ttl-'));
    const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', SIM: 'on', DATA_DIR: shortDir });
    // Long enough to connect, short enough that the test sees the end.
    const shortLived = await startSiseServer({ config, logger: silentLogger, web: false, feeds: inProcessFeeds, sessionTtlMs: 1_500 });
    try {
      const bob = await addTestUser(shortLived.auth!);
      const { token } = await shortLived.auth!.signIn({ email: bob.email, password: bob.password }, '127.0.0.1');
      const socket = await connectClient(shortLived.url, { headers: { cookie: `${SESSION_COOKIE}=${token}` } });
      const ended: string[] = [];
      socket.on('session_ended', ({ reason }) => ended.push(reason));
      await waitFor(() => !socket.connected, 'the expired session\'s socket to be closed');
      expect(ended).toEqual(['session expired: sign in again']);
      const again = await connectClient(shortLived.url, { headers: { cookie: `${SESSION_COOKIE}=${token}` } }).catch((error: Error) => error.message);
      expect(again).toMatch(/^UNAUTHENTICATED/);
    } finally {
      await shortLived.close();
      rmSync(shortDir, { recursive: true, force: true });
    }
  });

  it('refuses account rooms that are not the user\'s', async () => {
    const socket = await connectClient(server.url, { token: alice.token });
    const ack = await request(socket, 'subscribe', { accounts: ['kis:50012345-01'] });
    expect(ack.results).toEqual([{ kind: 'account', id: 'kis:50012345-01', ok: false, error: { code: 'FORBIDDEN', message: 'no access to account kis:50012345-01' } }]);
    socket.disconnect();
  });
});
