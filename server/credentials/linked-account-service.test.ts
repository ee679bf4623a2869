/**
 * Linking a user's own broker credentials on a real server (127.0.0.1:0, simulated brokers that issue a second
 * customer's keys, embedded store under a temp DATA_DIR): wrong keys are refused with the broker's words and
 * nothing is stored; right keys open their own session, whose account belongs to the user and whose orders reach
 * the user's socket; the stored row holds no plain secret; a restart reopens the link; unlink closes it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderEvent } from '../../lib/contracts';
import { getServices } from '../../lib/contracts/services';
import type { LinkedAccountsApi } from '../../lib/contracts/linked-accounts';
import { addTestUser, type TestUser } from '../auth/test-users';
import { SIM_ISSUED_CREDENTIALS as KIS_DEMO } from '../brokers/kis/simulator';
import { SIM_APP_KEY as KIWOOM_ENV_KEY, SIM_ISSUED_CREDENTIALS as KIWOOM_DEMO, SIM_SECRET_KEY as KIWOOM_ENV_SECRET } from '../brokers/kiwoom/simulator';
import { SIM_ISSUED_CREDENTIALS as UPBIT_DEMO } from '../brokers/upbit/simulator';
import { loadConfig } from '../config';
import { silentLogger } from '../logger';
import { connectClient, request, waitFor, type TestSocket } from '../relay/test-socket';
import { startSiseServer, type SiseServer } from '../sise-server';

const KIWOOM_ACCOUNT = `kiwoom:${KIWOOM_DEMO.accountNo}`;

let dataDir: string;
let server: SiseServer;
let owner: TestUser;
let stranger: TestUser;
const sockets: TestSocket[] = [];

async function start(): Promise<SiseServer> {
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', SIM: 'on', SIM_ALWAYS_OPEN: 'on', DATA_DIR: dataDir });
  return startSiseServer({ config, logger: silentLogger, web: false });
}

function links(): LinkedAccountsApi {
  return getServices().linkedAccounts!;
}

async function failure(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    return { code: String((error as { code?: unknown }).code), message: (error as Error).message };
  }
  throw new Error('expected the call to fail');
}

/** Asks the server again every 50 ms: each check is a REST round trip to a simulated broker. */
const until = (check: () => Promise<boolean>, what: string, timeoutMs = 15_000) => waitFor(check, what, timeoutMs, 50);

async function storedRows(): Promise<Array<Record<string, unknown>>> {
  return server.store!.query('SELECT * FROM linked_credentials ORDER BY created_at');
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'sise-linked-'));
  server = await start();
  owner = await addTestUser(server.auth!);
  stranger = await addTestUser(server.auth!);
}, 60_000);

afterAll(async () => {
  for (const socket of sockets.splice(0)) socket.disconnect();
  await server?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('linking broker credentials', () => {
  it('refuses malformed input with a clear message and asks no broker', async () => {
    expect(await failure(links().link(owner.user.id, { broker: 'kis', appKey: 'k', appSecret: 's', account: '5001234501', htsId: 'h' }))).toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('50012345-01 형식'),
    });
    expect(await failure(links().link(owner.user.id, { broker: 'nasdaq' }))).toMatchObject({ code: 'BAD_REQUEST' });
    expect(await failure(links().link(owner.user.id, { broker: 'kiwoom', appKey: KIWOOM_DEMO.appKey }))).toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('Secret Key'),
    });
  });

  it("refuses wrong keys with the broker's own words and stores nothing", async () => {
    const kiwoom = await failure(links().link(owner.user.id, { broker: 'kiwoom', appKey: KIWOOM_DEMO.appKey, secretKey: 'wrong-secret' }));
    expect(kiwoom).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/키움증권.*App Key와 Secret Key 검증에 실패했습니다.*8001/) });
    const kis = await failure(links().link(owner.user.id, { broker: 'kis', appKey: 'PSnotIssued', appSecret: 'x', account: KIS_DEMO.account, htsId: KIS_DEMO.htsId }));
    expect(kis).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/한국투자증권.*유효하지 않은 AppKey입니다.*EGW00103/) });
    const upbit = await failure(links().link(owner.user.id, { broker: 'upbit', accessKey: UPBIT_DEMO.accessKey, secretKey: 'wrong' }));
    expect(upbit).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('업비트') });
    expect(await storedRows()).toEqual([]);
    expect(await links().list(owner.user.id)).toEqual([]);
  });

  it('refuses credentials whose account Sise already holds (the environment keys)', async () => {
    const taken = await failure(links().link(owner.user.id, { broker: 'kiwoom', appKey: KIWOOM_ENV_KEY, secretKey: KIWOOM_ENV_SECRET }));
    expect(taken).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('kiwoom:5012345678') });
    expect(await storedRows()).toEqual([]);
  });

  it('links the demo Kiwoom key: its own session, an account owned by the user, orders on the user socket', async () => {
    const view = await links().link(owner.user.id, { broker: 'kiwoom', label: '내 키움', appKey: KIWOOM_DEMO.appKey, secretKey: KIWOOM_DEMO.secretKey });
    expect(view).toMatchObject({ broker: 'kiwoom', label: '내 키움', keyHint: KIWOOM_DEMO.appKey.slice(0, 4), accountIds: [KIWOOM_ACCOUNT] });
    expect(JSON.stringify(view)).not.toContain(KIWOOM_DEMO.secretKey);
    expect(JSON.stringify(view)).not.toContain(KIWOOM_DEMO.appKey);
    expect(server.accountDirectory.get(KIWOOM_ACCOUNT)).toMatchObject({ ownerUserId: owner.user.id, broker: 'kiwoom', label: '내 키움' });
    await until(async () => (await links().list(owner.user.id))[0]?.status === 'connected', 'the linked session to connect');
    expect(await links().list(stranger.user.id)).toEqual([]);

    const socket = await connectClient(server.url, { token: owner.token });
    sockets.push(socket);
    const orders: OrderEvent[] = [];
    socket.on('order', (event) => orders.push(event));
    const ack = await request(socket, 'subscribe', { accounts: [KIWOOM_ACCOUNT] });
    expect(ack.results[0]).toMatchObject({ ok: true });
    const { orderId } = await server.accounts!.placeOrder(owner.user, { accountId: KIWOOM_ACCOUNT, symbol: 'KRX:005930', side: 'buy', type: 'market', qty: 1 });
    await waitFor(() => orders.some((o) => o.orderId === orderId && o.accountId === KIWOOM_ACCOUNT), 'the linked account order event');
    // The environment's Kiwoom account did not get the order: the simulator keeps customers apart.
    const envOpen = await server.accountDirectory.get('kiwoom:5012345678')!.session.openOrders();
    expect(envOpen.some((o) => o.orderId === orderId)).toBe(false);

    const strangerSocket = await connectClient(server.url, { token: stranger.token });
    sockets.push(strangerSocket);
    expect((await request(strangerSocket, 'subscribe', { accounts: [KIWOOM_ACCOUNT] })).results[0]).toMatchObject({ ok: false });
  });

  it('stores only the sealed form: the row differs from and does not contain the plain secrets', async () => {
    const rows = await storedRows();
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(row.sealed_credentials).toMatch(/^v1\.[0-9a-f]{8}\./);
    const everything = JSON.stringify(row);
    expect(everything).not.toContain(KIWOOM_DEMO.secretKey);
    expect(everything).not.toContain(KIWOOM_DEMO.appKey);
    expect(row.sealed_credentials).not.toBe(KIWOOM_DEMO.secretKey);
  });

  it('refuses the same key twice, and an unlink by anyone but the owner', async () => {
    const again = await failure(links().link(stranger.user.id, { broker: 'kiwoom', appKey: KIWOOM_DEMO.appKey, secretKey: KIWOOM_DEMO.secretKey }));
    expect(again.code).toBe('CONFLICT');
    const [link] = await links().list(owner.user.id);
    expect(await failure(links().unlink(stranger.user.id, link!.id))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await failure(links().unlink(owner.user.id, 'not-a-uuid'))).toMatchObject({ code: 'NOT_FOUND' });
    expect(server.accountDirectory.get(KIWOOM_ACCOUNT)).toBeDefined();
  });

  it('links the demo KIS and Upbit keys too, each to its own account', async () => {
    const kis = await links().link(owner.user.id, { broker: 'kis', appKey: KIS_DEMO.appKey, appSecret: KIS_DEMO.appSecret, account: KIS_DEMO.account, htsId: KIS_DEMO.htsId });
    expect(kis.accountIds).toEqual([`kis:${KIS_DEMO.account}`]);
    const upbit = await links().link(owner.user.id, { broker: 'upbit', accessKey: UPBIT_DEMO.accessKey, secretKey: UPBIT_DEMO.secretKey });
    expect(upbit.accountIds).toEqual(['upbit:simdemo2']);
    await until(async () => (await links().list(owner.user.id)).every((l) => l.status === 'connected'), 'all linked sessions to connect');
    const balance = await server.accountDirectory.get(`kis:${KIS_DEMO.account}`)!.session.balance();
    expect(balance.full).toBe(true);
  });

  it('reopens every link after a restart, then unlink closes the session and deletes the row and its shares', async () => {
    await server.accounts!.share(owner.user, KIWOOM_ACCOUNT, { email: stranger.email });
    await server.close();
    server = await start();
    const listed = await links().list(owner.user.id);
    expect(listed.map((l) => l.accountIds[0]).sort()).toEqual([`kis:${KIS_DEMO.account}`, KIWOOM_ACCOUNT, 'upbit:simdemo2'].sort());
    expect(server.accountDirectory.get(KIWOOM_ACCOUNT)?.ownerUserId).toBe(owner.user.id);
    await until(async () => (await links().list(owner.user.id)).every((l) => l.status === 'connected'), 'links to reopen');
    const balance = await server.accountDirectory.get(KIWOOM_ACCOUNT)!.session.balance();
    expect(balance.accountId).toBe(KIWOOM_ACCOUNT);
    const sharesOfLinked = () => server.store!.query('SELECT user_id FROM account_shares WHERE account_id = $1', [KIWOOM_ACCOUNT]);
    // The share survived the restart with the link…
    expect(await sharesOfLinked()).toHaveLength(1);

    for (const link of await links().list(owner.user.id)) await links().unlink(owner.user.id, link.id);
    expect(await links().list(owner.user.id)).toEqual([]);
    expect(server.accountDirectory.get(KIWOOM_ACCOUNT)).toBeUndefined();
    expect(await storedRows()).toEqual([]);
    // …and goes with the unlink, so linking the same account again starts unshared.
    expect(await sharesOfLinked()).toEqual([]);
    // The environment's own accounts are untouched.
    expect(server.accountDirectory.get('kiwoom:5012345678')).toBeDefined();
  });
});
