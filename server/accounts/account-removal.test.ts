/**
 * An account that leaves the directory (its owner unlinked it) stops streaming at once to every socket that
 * watched it, over a real server and real sockets.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { accountRoom } from '../../lib/contracts';
import { addTestUser } from '../auth/test-users';
import { loadConfig } from '../config';
import { silentLogger } from '../logger';
import { connectClient, request, waitFor } from '../relay/test-socket';
import { startSiseServer, type SiseServer } from '../sise-server';

const ACCOUNT = 'kis:50012345-01';
let server: SiseServer;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'sise-removal-'));
  server = await startSiseServer({ config: loadConfig({ PORT: '0', HOST: '127.0.0.1', SIM: 'on', DATA_DIR: dataDir }), logger: silentLogger, web: false });
}, 60_000);

afterAll(async () => {
  await server?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

it('takes every watcher out of an account\'s stream when the account goes away', async () => {
  const admin = await addTestUser(server.auth!, { role: 'admin' });
  const socket = await connectClient(server.url, { token: admin.token });
  try {
    expect((await request(socket, 'subscribe', { accounts: [ACCOUNT] })).results[0]).toMatchObject({ ok: true });
    const serverSide = () => server.io.of('/').sockets.get(socket.id!);
    expect(serverSide()?.rooms.has(accountRoom(ACCOUNT))).toBe(true);

    const orders: unknown[] = [];
    socket.on('order', (event) => orders.push(event));
    server.accountDirectory.remove(ACCOUNT);
    await waitFor(() => serverSide()?.rooms.has(accountRoom(ACCOUNT)) === false, 'the socket to leave the account room');
    // An event for the account now reaches nobody; a fresh subscribe is refused like any unknown account.
    server.relay.sink.order({ accountId: ACCOUNT, orderId: 'x1', symbol: 'KRX:005930', status: 'accepted', side: 'buy', type: 'limit', qty: 1, price: 70_000, filledQty: 0, remainingQty: 1, lastFill: null, reason: null, source: 'kis', ts: Date.now(), recvTs: Date.now() } as never);
    const refused = await request(socket, 'subscribe', { accounts: [ACCOUNT] });
    expect(refused.results[0]).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(orders).toEqual([]);
  } finally {
    socket.disconnect();
  }
}, 60_000);
