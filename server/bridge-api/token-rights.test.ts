/**
 * Issue 8 part 6: every user's personal API token opens the bridge API with exactly that user's rights. The admin
 * holds the simulated accounts; a plain user holds none until one is shared with them; a revoked token is
 * refused and its open sockets are closed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { call, closed, frameLog, marketBuy, open, upgradeStatus, type Frame } from './test-bridge-client';
import { ADMIN_TOKEN, startBridgeTestServer, type BridgeTestServer, type BridgeTestUser } from './test-bridge-server';

const KIS_ACCOUNT = 'kis:50012345-01';
const KIS_ACCOUNT_NO = '50012345-01';
/** Chejan FIDs (§8.2): account, order number, filled quantity. */
const FID = { account: '9201', orderNo: '9203', filled: '911' } as const;

const isOrder = (f: Frame) => f.type === 'order';

describe('bridge API tokens carry their user\'s rights', () => {
  let sise: BridgeTestServer;
  let bob: BridgeTestUser;
  const sockets: WebSocket[] = [];
  const baseOf = (token: string) => `${sise.url}/bridge/${token}`;
  const wsOf = (token: string) => `${sise.url.replace('http', 'ws')}/bridge/${token}`;

  beforeAll(async () => {
    // 0: an execution socket reads its account list for every batch, so a share made mid-test applies to the next frame.
    sise = await startBridgeTestServer({ accountRefreshMs: 0 });
    bob = await sise.newUser('bob@sise.test');
  }, 60_000);

  afterAll(async () => {
    for (const ws of sockets) ws.terminate();
    await sise?.close();
  });

  it('lists only the token user\'s accounts, and answers for another user\'s account as for one that does not exist', async () => {
    expect(sise.accountIds).toContain(KIS_ACCOUNT);
    const adminStatus = await call(`${baseOf(ADMIN_TOKEN)}/api/status`);
    expect(adminStatus.body.Data).toMatchObject({ IsLoggedIn: true, Accounts: expect.arrayContaining([KIS_ACCOUNT_NO]) });

    const bobBase = baseOf(bob.token);
    const bobStatus = await call(`${bobBase}/api/status`);
    expect(bobStatus).toEqual({ status: 200, body: { Success: true, Message: 'OK', Data: { IsLoggedIn: false, AccountNo: '', ServerName: null, Accounts: [] } } });
    // The Bearer form is the same user.
    const viaHeader = await call(`${sise.url}/bridge/api/status`, { headers: { authorization: `Bearer ${bob.token}` } });
    expect(viaHeader.body.Data).toMatchObject({ IsLoggedIn: false, Accounts: [] });

    for (const route of ['balance', 'deposit', 'orders']) {
      const someoneElses = await call(`${bobBase}/api/accounts/${route}?accountNo=${KIS_ACCOUNT_NO}`);
      expect(someoneElses, route).toEqual({ status: 400, body: { Success: false, Message: `Unknown account: ${KIS_ACCOUNT_NO}`, Data: null } });
      const nowhere = await call(`${bobBase}/api/accounts/${route}?accountNo=99999999-01`);
      expect(nowhere, route).toEqual({ status: 400, body: { Success: false, Message: 'Unknown account: 99999999-01', Data: null } });
    }
    expect((await call(`${bobBase}/api/dashboard?accountNo=${KIS_ACCOUNT}`)).body.Message).toBe(`Unknown account: ${KIS_ACCOUNT}`);
    expect((await marketBuy(bobBase, KIS_ACCOUNT_NO)).body).toEqual({ Success: false, Message: `Unknown account: ${KIS_ACCOUNT_NO}`, Data: null });
    // No account at all and none named: as the bridge says when OpenAPI+ is not logged in.
    expect((await call(`${bobBase}/api/accounts/balance`)).body.Message).toBe('Not Logged In');

    // The admin's token reaches the same account.
    expect((await call(`${baseOf(ADMIN_TOKEN)}/api/accounts/balance?accountNo=${KIS_ACCOUNT_NO}`)).body.Success).toBe(true);
  }, 30_000);

  it('sends each execution socket only its user\'s accounts, and a shared account from the next frame on, without reconnecting', async () => {
    const admin = await open(`${wsOf(ADMIN_TOKEN)}/ws/execution`);
    const bobs = await open(`${sise.url.replace('http', 'ws')}/bridge/ws/execution`, { authorization: `Bearer ${bob.token}` });
    sockets.push(admin, bobs);
    const adminFrames = frameLog(admin);
    const bobFrames = frameLog(bobs);

    expect((await marketBuy(baseOf(ADMIN_TOKEN), KIS_ACCOUNT_NO)).body.Success).toBe(true);
    const firstAccepted = await adminFrames.next((f) => isOrder(f) && f.data[FID.account] === KIS_ACCOUNT_NO);
    const firstId = firstAccepted.data[FID.orderNo];
    // Wait until the first order has no more events to come, so none of them can reach Bob after the share.
    await adminFrames.next((f) => isOrder(f) && f.data[FID.orderNo] === firstId && f.data[FID.filled] === '1');

    await sise.shares.add(KIS_ACCOUNT, bob.user.id, sise.admin.id);
    expect((await marketBuy(baseOf(ADMIN_TOKEN), KIS_ACCOUNT_NO)).body.Success).toBe(true);
    const second = await bobFrames.next((f) => isOrder(f) && f.data[FID.orderNo] !== firstId);
    expect(second.data[FID.account]).toBe(KIS_ACCOUNT_NO);
    await adminFrames.next((f) => isOrder(f) && f.data[FID.orderNo] === second.data[FID.orderNo]);

    // Frames reach a client in the relay's order, so everything Bob got before the second order's frame is in
    // his log already: none of it is the first order's, and none is of an account that is not his.
    expect(bobFrames.frames.filter((f) => isOrder(f) && f.data[FID.orderNo] === firstId)).toEqual([]);
    expect(bobFrames.frames.every((f) => f.data[FID.account] === KIS_ACCOUNT_NO)).toBe(true);
    // The share shows in REST too.
    expect((await call(`${baseOf(bob.token)}/api/status`)).body.Data).toMatchObject({ IsLoggedIn: true, Accounts: [KIS_ACCOUNT_NO] });
  }, 40_000);

  it('keeps each user\'s realtime screens to themselves', async () => {
    const admin = await open(`${wsOf(ADMIN_TOKEN)}/ws/realtime`);
    const bobs = await open(`${wsOf(bob.token)}/ws/realtime`);
    sockets.push(admin, bobs);
    const adminTicks = frameLog(admin);
    const bobTicks = frameLog(bobs);
    expect((await call(`${baseOf(ADMIN_TOKEN)}/api/realtime/subscribe?codes=005930&screen=1000`)).body.Success).toBe(true);
    await adminTicks.next((f) => f.type === 'tick' && f.code === '005930');
    expect((await call(`${baseOf(bob.token)}/api/realtime/subscribe?codes=000660&screen=1000`)).body.Success).toBe(true);
    await bobTicks.next((f) => f.type === 'tick' && f.code === '000660');

    // Bob dropping every screen drops his own only: the admin's registration keeps flowing.
    expect((await call(`${baseOf(bob.token)}/api/realtime/unsubscribe?screen=ALL`)).body.Success).toBe(true);
    const seen = adminTicks.frames.length;
    await adminTicks.next((f) => f.type === 'tick' && f.code === '005930' && adminTicks.frames.indexOf(f) >= seen);
    expect(bobTicks.frames.some((f) => f.code === '005930')).toBe(false);
    expect(adminTicks.frames.some((f) => f.code === '000660')).toBe(false);
    await call(`${baseOf(ADMIN_TOKEN)}/api/realtime/unsubscribe?screen=ALL`);
  }, 40_000);

  it('closes a revoked token\'s open sockets at once and refuses it afterwards', async () => {
    const carol = await sise.newUser('carol@sise.test');
    const realtime = await open(`${wsOf(carol.token)}/ws/realtime`);
    const execution = await open(`${sise.url.replace('http', 'ws')}/bridge/ws/execution`, { authorization: `Bearer ${carol.token}` });
    // Another token of the same user stays open: revocation is per token, not per user.
    const { token: other } = await sise.auth.createApiToken(carol.user, { name: 'second bot' });
    const untouched = await open(`${wsOf(other)}/ws/execution`);
    sockets.push(realtime, execution, untouched);
    expect((await call(`${baseOf(carol.token)}/api/status`)).status).toBe(200);

    const realtimeClosed = closed(realtime);
    const executionClosed = closed(execution);
    await sise.auth.revokeApiToken(carol.user, carol.tokenId);
    expect(await realtimeClosed).toEqual({ code: 4401, reason: 'API token revoked' });
    expect(await executionClosed).toEqual({ code: 4401, reason: 'API token revoked' });

    const refused = await call(`${baseOf(carol.token)}/api/status`);
    expect(refused).toEqual({ status: 401, body: { Success: false, Message: expect.stringMatching(/unknown or revoked/), Data: null } });
    expect(await upgradeStatus(`${wsOf(carol.token)}/ws/execution`)).toBe(401);
    expect(untouched.readyState).toBe(untouched.OPEN);
    expect((await call(`${baseOf(other)}/api/status`)).status).toBe(200);
  }, 30_000);
});
