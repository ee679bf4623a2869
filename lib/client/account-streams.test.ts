/**
 * The browser's account streams against a real Sise server (simulated brokers, embedded store), with
 * socket.io-client in Node signed in by an API token.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addTestUser, type TestUser } from '../../server/auth/test-users';
import { loadConfig } from '../../server/config';
import { silentLogger } from '../../server/logger';
import { waitFor } from '../../server/relay/test-socket';
import { startSiseServer, type SiseServer } from '../../server/sise-server';
import type { BalanceEvent, OrderEvent } from '../contracts';
import { AccountStreams, FULL_BALANCE_RESYNC_MS } from './account-streams';
import type { SiseClientSocket } from './socket';

const KIS = 'kis:50012345-01';

let dataDir: string;
let server: SiseServer;
let admin: TestUser;
let socket: SiseClientSocket;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'sise-streams-'));
  server = await startSiseServer({ config: loadConfig({ PORT: '0', HOST: '127.0.0.1', SIM: 'on', DATA_DIR: dataDir }), logger: silentLogger, web: false });
  admin = await addTestUser(server.auth!, { role: 'admin' });
}, 60_000);

afterAll(async () => {
  socket?.disconnect();
  await server?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('account streams', () => {
  it('joins an account, keeps its events in seq order, and asks for fresh snapshots on join and on a gap', async () => {
    socket = io(server.url, { transports: ['websocket'], forceNew: true, auth: { token: admin.token } });
    const streams = new AccountStreams(socket);
    const resyncs: string[] = [];
    streams.onResync((id) => resyncs.push(id));
    await waitFor(() => socket.connected, 'the socket to connect');

    const release = streams.retain(KIS);
    const refusedRelease = streams.retain('kis:99999999-99');
    await waitFor(() => resyncs.includes(KIS), 'the resync after the join');
    await waitFor(() => streams.get('kis:99999999-99').error !== null, 'the refused join');
    expect(streams.get('kis:99999999-99').error).toMatch(/no access/);
    expect(resyncs).not.toContain('kis:99999999-99');

    const { orderId } = await server.accounts!.placeOrder(admin.user, { accountId: KIS, symbol: 'KRX:005930', side: 'buy', type: 'market', qty: 1 });
    await waitFor(() => streams.get(KIS).events.some((e) => 'orderId' in e && e.orderId === orderId && e.status === 'filled'), 'the fill on the stream');
    const seqs = streams.get(KIS).events.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBe(seqs[i - 1]! + 1);

    // An event whose seq skips ahead means something was missed: the snapshots must be fetched again.
    const resyncsBefore = resyncs.length;
    const last = streams.get(KIS).events.at(-1) as OrderEvent;
    const deliver = socket.listeners('order')[0] as (event: OrderEvent) => void;
    deliver({ ...last, seq: last.seq + 5 });
    expect(resyncs.length).toBe(resyncsBefore + 1);
    // A repeat of an event already held changes nothing.
    const held = streams.get(KIS).events;
    deliver({ ...last });
    expect(streams.get(KIS).events).toBe(held);

    release();
    refusedRelease();
    expect(streams.get(KIS).events).toEqual([]);
  });

  it('refreshes the snapshots on a full balance (a broker reconciling after a reconnect), at most once a while', async () => {
    let clock = 1_000_000;
    const streams = new AccountStreams(socket, () => clock);
    const resyncs: string[] = [];
    streams.onResync((id) => resyncs.push(id));
    const release = streams.retain(KIS);
    await waitFor(() => resyncs.includes(KIS), 'the resync after the join');
    const deliver = socket.listeners('balance').at(-1) as (event: BalanceEvent) => void;
    const seq = server.accounts ? (await server.accounts.balance(admin.user, KIS)).seq : 0;
    const full = { ...(await server.accountDirectory.get(KIS)!.session.balance()), seq: seq + 1 } as BalanceEvent;

    resyncs.length = 0;
    deliver(full);
    deliver({ ...full, seq: full.seq + 1 });
    expect(resyncs).toEqual([KIS]);
    clock += FULL_BALANCE_RESYNC_MS;
    deliver({ ...full, seq: full.seq + 2 });
    expect(resyncs).toEqual([KIS, KIS]);
    // A change of one holding (not a full balance) is laid over the snapshot without a refetch.
    deliver({ ...full, full: false, seq: full.seq + 3 });
    expect(resyncs).toEqual([KIS, KIS]);
    release();
  });
});
