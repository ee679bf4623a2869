/**
 * Signing in, as a person and as a program: the sign-in page's errors and rate limit, redirects when signed
 * out, sockets refused from another origin, and API tokens that stop working — and close their sockets — when
 * revoked on the account page.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { io, type Socket } from 'socket.io-client';
import { ADMIN, expect, signIn, test } from './fixtures';

test.describe('signed out', () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test('a page sends you to sign-in, and back to it afterwards: the balances page with the simulated accounts', async ({ page }) => {
    await page.goto('/balances');
    await expect(page).toHaveURL(/\/login\?next=%2Fbalances$/);
    await expect(page.getByRole('heading', { name: '로그인' })).toBeVisible();
    await page.getByLabel('이메일').fill(ADMIN.email);
    await page.getByLabel('비밀번호').fill(ADMIN.password);
    await page.getByRole('button', { name: '로그인' }).click();
    await expect(page).toHaveURL(/\/balances$/);
    await expect(page.getByRole('link', { name: ADMIN.email })).toBeVisible();
    // Every simulated broker's account, which the admin owns.
    for (const account of ['kis:50012345-01', 'kiwoom:5012345678', 'kiwoom-bridge:8012345611', 'upbit:simupbit', 'bo:100700']) {
      await expect(page.getByText(account, { exact: true })).toBeVisible();
    }
  });

  test('a wrong password gets one message for either mistake, and repeated failures are rate-limited', async ({ page, createUser }) => {
    const user = await createUser();
    await page.goto('/login');
    await page.getByLabel('이메일').fill(user.email);
    await page.getByLabel('비밀번호').fill('not-my-password');
    await page.getByRole('button', { name: '로그인' }).click();
    await expect(page.getByRole('form', { name: '로그인' }).getByRole('alert')).toHaveText('이메일 또는 비밀번호가 올바르지 않습니다.');

    // An unknown address gets the very same words.
    await page.getByLabel('이메일').fill('nobody-here@sise.test');
    await page.getByRole('button', { name: '로그인' }).click();
    await expect(page.getByRole('form', { name: '로그인' }).getByRole('alert')).toHaveText('이메일 또는 비밀번호가 올바르지 않습니다.');

    await page.getByLabel('이메일').fill(user.email);
    for (let attempt = 2; attempt <= 5; attempt++) {
      await page.getByLabel('비밀번호').fill(`guess-${attempt}`);
      await page.getByRole('button', { name: '로그인' }).click();
      await expect(page.getByRole('button', { name: '로그인' })).toBeEnabled();
    }
    // Locked now: even the right password is refused until the window passes.
    await page.getByLabel('비밀번호').fill(user.password);
    await page.getByRole('button', { name: '로그인' }).click();
    await expect(page.getByRole('form', { name: '로그인' }).getByRole('alert')).toContainText('로그인 실패가 너무 많습니다');
    await expect(page).toHaveURL(/\/login/);
  });

  test('the API answers 401 and a socket without a session is refused', async ({ page, baseURL }) => {
    const api = await page.request.get('/api/accounts');
    expect(api.status()).toBe(401);
    const socket = io(baseURL!, { transports: ['websocket'], reconnection: false, forceNew: true });
    const refusal = await new Promise<string>((resolve) => socket.once('connect_error', (error) => resolve(error.message)));
    socket.close();
    expect(refusal).toMatch(/^UNAUTHENTICATED/);
  });
});

test('a page on another origin cannot open a socket with the signed-in user\'s cookie', async ({ page, baseURL }) => {
  // Another site on this machine (another port: another origin, the same site, so the browser sends the cookie).
  const elsewhere: Server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!doctype html><title>elsewhere</title>');
  });
  await new Promise<void>((resolve) => elsewhere.listen(0, '127.0.0.1', resolve));
  try {
    await page.goto(`http://127.0.0.1:${(elsewhere.address() as AddressInfo).port}/`);
    const target = `${baseURL!.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`;
    // Speaks Engine.IO/Socket.IO by hand: open, then connect to the main namespace ("40"), and report the answer.
    const answer = await page.evaluate(
      (url) =>
        new Promise<string>((resolve) => {
          const ws = new WebSocket(url);
          ws.onmessage = (message) => {
            const text = String(message.data);
            if (text.startsWith('0')) ws.send('40');
            else if (text.startsWith('4')) resolve(text);
          };
          ws.onclose = () => resolve('closed');
        }),
      target,
    );
    expect(answer).toMatch(/^44.*FORBIDDEN: pages on http:\/\/127\.0\.0\.1:\d+ may not open a socket/);
  } finally {
    await new Promise((resolve) => elsewhere.close(resolve));
  }
});

test('an API token made on the account page opens a socket, and revoking it there closes the socket', async ({ page, baseURL }) => {
  await page.goto('/account');
  await page.getByLabel('토큰 이름').fill('e2e bot');
  await page.getByRole('button', { name: '토큰 만들기' }).click();
  const token = (await page.getByTestId('new-token').textContent())!.trim();
  expect(token).toMatch(/^sise_/);

  const open = (): Socket => io(baseURL!, { transports: ['websocket'], reconnection: false, forceNew: true, auth: { token } });
  const bot = open();
  await new Promise<void>((resolve, reject) => {
    bot.once('connect', () => resolve());
    bot.once('connect_error', reject);
  });
  const ended = new Promise<string>((resolve) => bot.once('session_ended', ({ reason }: { reason: string }) => resolve(reason)));
  const closed = new Promise<void>((resolve) => bot.once('disconnect', () => resolve()));

  await page.getByRole('row', { name: /e2e bot/ }).getByRole('button', { name: '폐기' }).click();
  expect(await ended).toBe('signed out or token revoked');
  await closed;
  await expect(page.getByRole('row', { name: /e2e bot/ })).toHaveCount(0);

  const again = open();
  const refusal = await new Promise<string>((resolve) => again.once('connect_error', (error) => resolve(error.message)));
  again.close();
  expect(refusal).toMatch(/^UNAUTHENTICATED/);
  // The HTTP API refuses it too.
  const viaHttp = await page.request.get('/api/auth/me', { headers: { authorization: `Bearer ${token}` } });
  expect(await viaHttp.json()).toEqual({ user: null });
});

test('signing out ends the session', async ({ browser, baseURL }) => {
  const context = await browser.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  await signIn(page, ADMIN);
  await page.getByRole('button', { name: '로그아웃' }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.goto('/balances');
  await expect(page).toHaveURL(/\/login\?next=%2Fbalances/);
  await context.close();
});
