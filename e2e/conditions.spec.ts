import { expect, test } from './fixtures';

test('condition search: list, run once, go live, see a symbol enter, stop', async ({ page }, testInfo) => {
  test.setTimeout(90_000);
  await page.goto('/conditions');
  // The simulated Kiwoom login's account is the one with condition search.
  await expect(page.getByTestId('account-picker')).toHaveValue(/^kiwoom:/, { timeout: 15_000 });
  const conditions = page.getByTestId('condition');
  await expect(conditions.filter({ hasText: '거래량급증' })).toBeVisible({ timeout: 15_000 });
  for (const name of ['상승추세', '신고가돌파', '골든크로스', '급등주']) await expect(conditions.filter({ hasText: name })).toBeVisible();

  await conditions.filter({ hasText: '거래량급증' }).click();
  // The simulated market needs a little trading before a volume surge shows; run again until it has hits.
  const hits = page.getByTestId('hit-row');
  await expect(async () => {
    await page.getByRole('button', { name: '한 번 실행' }).click();
    await expect(hits.first()).toBeVisible({ timeout: 3_000 });
  }).toPass({ timeout: 45_000 });

  await page.getByRole('button', { name: '실시간 감시' }).click();
  await expect(page.getByTestId('live-badge')).toBeVisible();
  const events = page.getByTestId('event');
  await expect(events.filter({ hasText: '편입' }).first()).toBeVisible({ timeout: 30_000 });
  await page.screenshot({ path: testInfo.outputPath('conditions-live.png'), fullPage: true });

  await page.getByRole('button', { name: '중지' }).click();
  await expect(page.getByTestId('live-badge')).toHaveCount(0);
  const after = await events.count();
  await page.waitForTimeout(5_000);
  expect(await events.count()).toBe(after);
});
