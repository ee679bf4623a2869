/**
 * Two users on one server: the admin (A) holds the simulated brokers' accounts, B is a fresh user. B's requests for
 * A's account get 403, B's socket join to acct:<A's id> is refused, and while A places an order nothing of A's
 * reaches B — not on a socket B opens itself, not on the socket of B's balances page.
 */
import type { Page } from '@playwright/test';
import { io, type Socket } from 'socket.io-client';
import { expect, test } from './fixtures';

const KIS = 'kis:50012345-01';
const ALL_SIM_ACCOUNTS = [KIS, 'kiwoom:5012345678', 'kiwoom-bridge:8012345611', 'upbit:simupbit', 'bo:100700'];

/** A socket that carries the page's session cookie, as the page's own socket does. */
async function socketAs(page: Page, baseURL: string): Promise<Socket> {
  const cookies = await page.context().cookies(baseURL);
  const cookie = cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  const socket = io(baseURL, { transports: ['websocket'], reconnection: false, forceNew: true, extraHeaders: { cookie, origin: baseURL } });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return socket;
}

test("B gets 403 for A's account, a refused join, and none of A's order or balance events", async ({ page, baseURL, createUser, signedInPage }) => {
  const b = await createUser();
  const bPage = await signedInPage(b);

  // B's balances page, with every frame its socket receives recorded.
  const pageFrames: string[] = [];
  bPage.on('websocket', (ws) => ws.on('framereceived', (frame) => pageFrames.push(String(frame.payload))));
  await bPage.goto('/balances');
  await expect(bPage.getByText('볼 수 있는 계좌가 없습니다')).toBeVisible();

  // The HTTP API: A's account is forbidden to B, whatever B asks of it.
  expect((await (await bPage.request.get('/api/accounts')).json()).accounts).toEqual([]);
  for (const path of ['balance', 'orders', 'fills', 'shares']) {
    const response = await bPage.request.get(`/api/accounts/${encodeURIComponent(KIS)}/${path}`);
    expect(response.status(), path).toBe(403);
    expect((await response.json()).error.code).toBe('FORBIDDEN');
  }
  const order = await bPage.request.post('/api/orders', { data: { accountId: KIS, symbol: 'KRX:005930', side: 'buy', type: 'market', qty: 1 } });
  expect(order.status()).toBe(403);
  expect((await bPage.request.delete(`/api/orders/${encodeURIComponent(KIS)}/0000000001`)).status()).toBe(403);
  // An account that does not exist gets the same answer, so B cannot tell which ids are real.
  expect((await bPage.request.get('/api/accounts/kis%3A99999999-99/balance')).status()).toBe(403);

  // Conditions are saved under A's broker logins: B neither lists nor runs them.
  expect((await (await bPage.request.get('/api/conditions')).json()).conditions).toEqual([]);
  expect((await bPage.request.get(`/api/conditions?accountId=${encodeURIComponent('kiwoom:5012345678')}`)).status()).toBe(403);
  expect((await bPage.request.get('/api/conditions/kiwoom%3A1')).status()).toBe(403);
  expect((await (await page.request.get('/api/conditions')).json()).conditions.length).toBeGreaterThan(0);

  // The socket: B's join to A's accounts is refused item by item; A's own join is accepted.
  const bSocket = await socketAs(bPage, baseURL!);
  const bEvents: Array<[string, unknown]> = [];
  bSocket.onAny((event: string, payload: unknown) => bEvents.push([event, payload]));
  const refused = await bSocket.timeout(10_000).emitWithAck('subscribe', { accounts: ALL_SIM_ACCOUNTS });
  expect(refused.results.map((r: { id: string; ok: boolean; error?: { code: string } }) => [r.id, r.ok, r.error?.code])).toEqual(
    ALL_SIM_ACCOUNTS.map((id) => [id, false, 'FORBIDDEN']),
  );

  await page.goto('/balances');
  const aSocket = await socketAs(page, baseURL!);
  const aOrders: Array<{ orderId: string; status: string }> = [];
  aSocket.on('order', (event: { orderId: string; status: string }) => aOrders.push(event));
  const joined = await aSocket.timeout(10_000).emitWithAck('subscribe', { accounts: [KIS] });
  expect(joined.results).toEqual([{ kind: 'account', id: KIS, ok: true }]);

  // A trades: a market buy fills at once and moves A's cash and holdings.
  const placed = await page.request.post('/api/orders', { data: { accountId: KIS, symbol: 'KRX:005930', side: 'buy', type: 'market', qty: 1 } });
  expect(placed.status(), await placed.text()).toBe(201);
  const { orderId } = (await placed.json()) as { orderId: string };
  await expect.poll(() => aOrders.some((o) => o.orderId === orderId && o.status === 'filled')).toBe(true);
  // A's page shows it; B's is still empty.
  await expect(page.locator(`[data-testid="fill-row"][data-order-id="${orderId}"]`)).toBeVisible();

  expect(bEvents.filter(([event]) => event === 'order' || event === 'balance')).toEqual([]);
  expect(JSON.stringify(bEvents)).not.toContain(KIS);
  const leaked = pageFrames.filter((frame) => /"(order|balance)"/.test(frame) || ALL_SIM_ACCOUNTS.some((id) => frame.includes(id)));
  expect(leaked).toEqual([]);
  expect(pageFrames.length).toBeGreaterThan(0);

  aSocket.close();
  bSocket.close();
});

test('the admin shares one account with B on the balances page: B sees that one only, until it is unshared', async ({ page, createUser, signedInPage }) => {
  const shared = 'kiwoom:5012345678';
  const b = await createUser();
  const bPage = await signedInPage(b);

  await page.goto('/balances');
  const panel = page.locator(`[data-testid="account-section"][data-account-id="${shared}"]`).getByTestId('share-panel');
  await panel.locator('summary').click();
  await panel.getByLabel('공유할 사용자의 이메일').fill(b.email);
  await panel.getByRole('button', { name: '공유', exact: true }).click();
  await expect(panel.getByTestId('share-row')).toContainText(b.email);

  await bPage.goto('/balances');
  await expect(bPage.locator(`[data-testid="account-section"][data-account-id="${shared}"]`)).toBeVisible();
  await expect(bPage.locator('[data-testid="account-section"]')).toHaveCount(1);
  // B may see it but not pass it on, and still not the accounts that were not shared.
  await expect(bPage.getByTestId('share-panel')).toHaveCount(0);
  expect((await bPage.request.get(`/api/accounts/${encodeURIComponent(KIS)}/balance`)).status()).toBe(403);

  await panel.getByTestId('share-row').getByRole('button', { name: '공유 해제' }).click();
  await expect(panel.getByTestId('share-row')).toHaveCount(0);
  await bPage.reload();
  await expect(bPage.getByText('볼 수 있는 계좌가 없습니다')).toBeVisible();
});
