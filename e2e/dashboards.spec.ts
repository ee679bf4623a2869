/**
 * Team dashboards in real browsers, two (or three) users at once: live edits reach a viewer without a reload, the
 * viewer's controls are disabled and a forged socket edit is refused, an outsider gets 403 on the URL, and of two
 * editors moving the same widget on the same version one wins and the other is told and shown the winner's layout.
 */
import { randomUUID } from 'node:crypto';
import type { Page, WebSocketRoute } from '@playwright/test';
import { io, type Socket } from 'socket.io-client';
import type { DashboardDocument, DashEditAck, TeamSummary } from '../lib/contracts/dashboards';
import type { ClientToServerEvents, ServerToClientEvents } from '../lib/contracts/socket-events';
import { expect, test } from './fixtures';

/** The Done-when: a viewer sees an editor's widget within 2 s, without reloading. */
const LIVE_EDIT_LIMIT_MS = 2_000;

async function api<T>(page: Page, method: 'GET' | 'POST' | 'PUT', url: string, data?: unknown): Promise<T> {
  const response = await page.request.fetch(url, { method, ...(data === undefined ? {} : { data }) });
  if (!response.ok()) throw new Error(`${method} ${url}: ${response.status()} ${await response.text()}`);
  return (await response.json()) as T;
}

/** A team owned by `owner` with `members` joined through invite links (the first through the join page itself). */
async function teamWith(owner: Page, members: Array<{ page: Page; role: 'editor' | 'viewer' }>): Promise<TeamSummary> {
  const { team } = await api<{ team: TeamSummary }>(owner, 'POST', '/api/teams', { name: `e2e 팀 ${Date.now()}` });
  for (const member of members) {
    const { invite } = await api<{ invite: { path: string } }>(owner, 'POST', `/api/teams/${team.id}/invites`, { role: member.role });
    await member.page.goto(invite.path);
    await expect(member.page.getByText(team.name)).toBeVisible();
    await member.page.getByRole('button', { name: '팀 참여' }).click();
    await member.page.waitForURL('**/teams');
  }
  return team;
}

/** Widget `i`'s place on the grid as the page shows it: "x,y,w,h". */
const placement = (page: Page, widgetId: string) => page.locator(`[data-widget-id="${widgetId}"]`).getAttribute('data-layout');

/** Drags a widget by its header, `dx` pixels to the right. */
async function dragRight(page: Page, widgetId: string, dx: number): Promise<void> {
  const handle = page.locator(`[data-widget-id="${widgetId}"] .widget-handle`);
  const box = (await handle.boundingBox())!;
  const startX = box.x + 40;
  const y = box.y + box.height / 2;
  await page.mouse.move(startX, y);
  await page.mouse.down();
  // Several steps: the grid starts a drag only after a few pixels of movement, as a hand would make.
  await page.mouse.move(startX + dx / 2, y, { steps: 8 });
  await page.mouse.move(startX + dx, y, { steps: 8 });
  await page.mouse.up();
}

test('an editor’s new chart appears for a viewer live; the viewer cannot edit; an outsider gets 403', async ({ createUser, signedInPage, baseURL }) => {
  const [editorUser, viewerUser, outsiderUser] = await Promise.all([createUser(), createUser(), createUser()]);
  const editor = await signedInPage(editorUser);
  const viewer = await signedInPage(viewerUser);
  const outsider = await signedInPage(outsiderUser);
  const team = await teamWith(editor, [{ page: viewer, role: 'viewer' }]);

  // The editor makes a dashboard on the list page and shares it with the team for editing.
  await editor.goto('/dashboards');
  await editor.getByLabel('새 대시보드 이름').fill('장중 모니터');
  await editor.getByRole('button', { name: '만들기' }).click();
  await editor.waitForURL(/\/dashboards\/[0-9a-f-]{36}$/);
  const dashboardUrl = editor.url();
  const dashboardId = dashboardUrl.split('/').pop()!;
  await api(editor, 'PUT', `/api/dashboards/${dashboardId}/shares`, { teamId: team.id, role: 'editor' });

  // The viewer (a team viewer: the lesser of the share and the team role) watches it, read-only.
  await viewer.goto(dashboardUrl);
  await expect(viewer.getByTestId('dashboard-role')).toHaveText('보기 전용');
  await expect(viewer.getByRole('button', { name: '위젯 추가' })).toBeDisabled();
  await expect(viewer.getByRole('button', { name: '이름 변경' })).toBeDisabled();
  await expect(editor.getByTestId('dashboard-role')).toHaveText('소유자');

  await editor.getByRole('button', { name: '위젯 추가' }).click();
  await editor.getByLabel('종류').selectOption('chart');
  await editor.getByLabel('종목', { exact: true }).fill('KRX:005930');
  await editor.getByLabel('주기').selectOption('1m');
  await editor.screenshot({ path: 'test-results/dashboards-add-widget.png' });
  await editor.getByRole('button', { name: '추가', exact: true }).click();
  await expect(editor.locator('[data-kind="chart"]')).toBeVisible();
  await expect(viewer.locator('[data-kind="chart"]')).toBeVisible({ timeout: LIVE_EDIT_LIMIT_MS });
  await expect(viewer.getByTestId('chart-widget')).toBeVisible();

  // The viewer's widget controls are disabled and the grid shows no resize handles.
  await expect(viewer.locator('[data-kind="chart"]').getByRole('button', { name: /설정$/ })).toBeDisabled();
  await expect(viewer.locator('[data-kind="chart"]').getByRole('button', { name: /삭제$/ })).toBeDisabled();
  // The grid keeps a hidden handle for a static item; what counts is that none is shown to the viewer.
  await expect(viewer.locator('.react-resizable-handle:visible')).toHaveCount(0);
  await expect(editor.locator('.react-resizable-handle:visible')).not.toHaveCount(0);

  // A forged edit straight over the socket, with the viewer's own session: the server refuses it.
  const cookie = (await viewer.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(baseURL!, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    extraHeaders: { cookie, origin: new URL(baseURL!).origin },
  });
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    const { dashboard } = await api<{ dashboard: DashboardDocument }>(viewer, 'GET', `/api/dashboards/${dashboardId}`);
    const chartId = dashboard.widgets[0]!.id;
    const ack: DashEditAck = await socket.timeout(10_000).emitWithAck('dash:edit', {
      dashboardId,
      edit: { type: 'removeWidget', baseVersion: dashboard.version, widgetId: chartId },
    });
    expect(ack).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const after = await api<{ dashboard: DashboardDocument }>(editor, 'GET', `/api/dashboards/${dashboardId}`);
    expect(after.dashboard.version).toBe(dashboard.version);
    await expect(viewer.locator('[data-kind="chart"]')).toBeVisible();
  } finally {
    socket.disconnect();
  }

  // Someone outside the team: the dashboard URL answers 403 with a clear page.
  const response = await outsider.goto(dashboardUrl);
  expect(response?.status()).toBe(403);
  await expect(outsider.getByRole('heading', { name: '권한이 없습니다' })).toBeVisible();
  expect((await outsider.request.get(`/api/dashboards/${dashboardId}`)).status()).toBe(403);
  await outsider.screenshot({ path: 'test-results/dashboards-forbidden.png' });
  await viewer.screenshot({ path: 'test-results/dashboards-viewer.png', fullPage: true });
});

test('of two editors moving the same widget on one version, one wins and the other is told and shown its layout', async ({ createUser, signedInPage }) => {
  const [firstUser, secondUser] = await Promise.all([createUser(), createUser()]);
  const first = await signedInPage(firstUser);
  const second = await signedInPage(secondUser);
  const team = await teamWith(first, [{ page: second, role: 'editor' }]);
  const { dashboard } = await api<{ dashboard: DashboardDocument }>(first, 'POST', '/api/dashboards', {
    name: '동시 편집',
    widgets: [{ id: 'watch-1', kind: 'watchlist', config: { symbols: ['KRX:005930', 'KRX:000660'] } }],
    layout: [{ i: 'watch-1', x: 0, y: 0, w: 4, h: 6 }],
  });
  await api(first, 'PUT', `/api/dashboards/${dashboard.id}/shares`, { teamId: team.id, role: 'editor' });

  // The second editor's connection is slow: while `holding`, dashboard broadcasts to it wait in `held`, so it
  // keeps editing on the version it has, exactly as over a congested link.
  let holding = false;
  const held: Array<{ route: WebSocketRoute; message: string | Buffer }> = [];
  await second.routeWebSocket(/\/socket\.io\//, (route) => {
    const server = route.connectToServer();
    route.onMessage((message) => server.send(message));
    server.onMessage((message) => {
      if (holding && typeof message === 'string' && message.includes('"dash:update"')) held.push({ route, message });
      else route.send(message);
    });
  });

  await first.goto(`/dashboards/${dashboard.id}`);
  await second.goto(`/dashboards/${dashboard.id}`);
  for (const page of [first, second]) {
    await expect(page.getByTestId('dashboard')).toHaveAttribute('data-version', '1');
    await expect(page.locator('.live-dot.on')).toBeVisible();
  }

  holding = true;
  const column = (await first.getByTestId('dashboard-grid').boundingBox())!.width / 12;
  await dragRight(first, 'watch-1', column * 2.2);
  await expect(first.getByTestId('dashboard')).toHaveAttribute('data-version', '2');
  const winner = await placement(first, 'watch-1');
  expect(winner).toMatch(/^2,0,4,6$/);
  await expect.poll(() => held.length).toBeGreaterThan(0);
  await expect(second.getByTestId('dashboard')).toHaveAttribute('data-version', '1');

  // The second editor moves the same widget elsewhere, on version 1: refused, told, and shown version 2.
  await dragRight(second, 'watch-1', column * 8.2);
  await expect(second.getByTestId('dashboard-notice')).toContainText('다른 사용자가 먼저 수정했습니다');
  await expect(second.getByTestId('dashboard')).toHaveAttribute('data-version', '2');
  expect(await placement(second, 'watch-1')).toBe(winner);
  await second.screenshot({ path: 'test-results/dashboards-stale-edit.png', fullPage: true });

  holding = false;
  for (const { route, message } of held.splice(0)) route.send(message);
  const stored = await api<{ dashboard: DashboardDocument }>(second, 'GET', `/api/dashboards/${dashboard.id}`);
  expect(stored.dashboard).toMatchObject({ version: 2, layout: [{ i: 'watch-1', x: 2, y: 0, w: 4, h: 6 }] });
  await expect(first.getByTestId('dashboard-notice')).toHaveCount(0);
});

test('an account widget shows the balance to those allowed to see the account and "접근 권한 없음" to a teammate who is not', async ({ page, createUser, signedInPage }) => {
  // The admin (the `page` fixture) owns the simulated brokers' accounts; the teammate owns none.
  const teammate = await signedInPage(await createUser());
  const team = await teamWith(page, [{ page: teammate, role: 'viewer' }]);
  const { dashboard } = await api<{ dashboard: DashboardDocument }>(page, 'POST', '/api/dashboards', {
    name: '계좌와 시세',
    widgets: [
      { id: 'bal', kind: 'balances', config: { accountId: 'kis:50012345-01' } },
      { id: 'chart', kind: 'chart', config: { symbol: 'KRX:005930', interval: '1m' } },
      { id: 'hoga', kind: 'hoga', config: { symbol: 'KRX:005930' } },
      { id: 'tape', kind: 'tape', config: { symbol: 'KRX:005930' } },
      { id: 'watch', kind: 'watchlist', config: { symbols: ['KRX:005930', 'KRX:000660', 'UPBIT:KRW-BTC'] } },
      { id: 'cond', kind: 'condition', config: { conditionKey: 'kiwoom:1' } },
    ],
    layout: [
      { i: 'bal', x: 0, y: 0, w: 4, h: 8 },
      { i: 'watch', x: 4, y: 0, w: 4, h: 8 },
      { i: 'cond', x: 8, y: 0, w: 4, h: 8 },
      { i: 'chart', x: 0, y: 8, w: 6, h: 12 },
      { i: 'hoga', x: 6, y: 8, w: 3, h: 12 },
      { i: 'tape', x: 9, y: 8, w: 3, h: 12 },
    ],
  });
  await api(page, 'PUT', `/api/dashboards/${dashboard.id}/shares`, { teamId: team.id, role: 'viewer' });

  // The team page shows the admin as owner and the teammate who joined by link as a viewer.
  await page.goto('/teams');
  const teamPanel = page.locator(`[data-team-id="${team.id}"]`);
  await expect(teamPanel.getByTestId('team-member')).toHaveCount(2);
  await expect(teamPanel.getByTestId('team-member').nth(1).getByRole('combobox')).toHaveValue('viewer');
  await teamPanel.getByRole('button', { name: '초대 링크 만들기' }).click();
  await expect(teamPanel.getByTestId('invite-link')).toHaveValue(/\/teams\/join\/[A-Za-z0-9_-]{43}$/);
  await page.screenshot({ path: 'test-results/dashboards-teams.png', fullPage: true });

  await page.goto(`/dashboards/${dashboard.id}`);
  await expect(page.getByTestId('balances-widget')).toContainText('예수금');
  await expect(page.getByTestId('hoga-widget')).toBeVisible();
  await page.getByRole('button', { name: '공유', exact: true }).click();
  await expect(page.getByRole('region', { name: '공유' })).toContainText(team.name);
  await page.screenshot({ path: 'test-results/dashboards-owner.png', fullPage: true });

  await teammate.goto(`/dashboards/${dashboard.id}`);
  await expect(teammate.getByTestId('balances-denied')).toContainText('접근 권한 없음');
  await expect(teammate.getByTestId('balances-widget')).toHaveCount(0);
  await expect(teammate.locator('[data-widget-id="bal"]')).not.toContainText('예수금');
  await teammate.screenshot({ path: 'test-results/dashboards-teammate.png', fullPage: true });
});

test('the list creates, duplicates and imports; an import with anything beyond widgets and layout is refused', async ({ page }) => {
  // The admin's list outlives a test (one server per run): a name of this run's own keeps rows apart.
  const name = `목록 ${randomUUID().slice(0, 8)}`;
  await page.goto('/dashboards');
  await page.getByLabel('새 대시보드 이름').fill(name);
  await page.getByRole('button', { name: '만들기' }).click();
  await page.waitForURL(/\/dashboards\/[0-9a-f-]{36}$/);
  const id = page.url().split('/').pop()!;
  const exported = await (await page.request.get(`/api/dashboards/${id}/export`)).json();
  expect(exported).toEqual({ format: 'sise.dashboard', version: 1, name, widgets: [], layout: [] });

  await page.goto('/dashboards');
  const row = page.getByTestId('dashboard-row').filter({ hasText: name }).first();
  await row.getByRole('button', { name: '복제' }).click();
  await expect(page.getByTestId('dashboard-row').filter({ hasText: `${name} 사본` })).toHaveCount(1);

  await page.getByLabel('대시보드 JSON 가져오기').setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify({ ...exported, apiKey: 'x' })) });
  await expect(page.getByTestId('list-error')).toContainText('가져오기 실패');
  await page.getByLabel('대시보드 JSON 가져오기').setInputFiles({ name: 'ok.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify({ ...exported, name: `${name} 가져옴` })) });
  await page.waitForURL(/\/dashboards\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId('dashboard-name')).toHaveText(`${name} 가져옴`);
  await page.goto('/dashboards');
  await page.screenshot({ path: 'test-results/dashboards-list.png', fullPage: true });
});
