import { expect, test } from './fixtures';

test('the watchlist shows live prices in Korean colours and finds names by search', async ({ page }, testInfo) => {
  await page.goto('/');
  const rows = page.getByTestId('watch-row');
  await expect(rows.first()).toBeVisible();
  await expect(page.locator('[data-symbol="KRX:005930"]')).toContainText('삼성전자');

  // Every default row gets a live price (until its first print, the previous close stands in, marked 전일).
  const prices = page.getByTestId('watch-price');
  await expect(prices.first()).toHaveAttribute('data-live', 'true', { timeout: 10_000 });
  await expect(prices.first()).not.toContainText('전일');

  // A rising rate is red and a falling one blue: the class follows the sign of the change.
  const rate = page.locator('[data-symbol="KRX:005930"] [data-testid="watch-rate"]');
  await expect(rate).not.toHaveText('—');
  const text = await rate.innerText();
  const cls = (await rate.getAttribute('class')) ?? '';
  if (text.startsWith('+')) expect(cls).toContain('rise');
  else if (text.startsWith('-')) expect(cls).toContain('fall');

  // Search by Korean name and add it.
  await page.getByRole('searchbox', { name: '종목 검색' }).fill('카카오게임즈');
  await page.getByTestId('search-results').getByRole('button', { name: /카카오게임즈/ }).click();
  const added = page.locator('[data-symbol="KRX:293490"]');
  await expect(added).toBeVisible();
  await expect(added.getByTestId('watch-price')).toHaveAttribute('data-live', 'true', { timeout: 15_000 });

  // The pick survives a reload.
  await page.reload();
  await expect(page.locator('[data-symbol="KRX:293490"]')).toBeVisible();
  await expect(page.getByTestId('watch-price').first()).toHaveAttribute('data-live', 'true', { timeout: 10_000 });

  await page.evaluate(() => document.fonts.ready);
  await page.screenshot({ path: testInfo.outputPath('watchlist.png'), fullPage: true });
});
