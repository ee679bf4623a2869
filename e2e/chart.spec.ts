import { expect, test } from './fixtures';

test('the chart page shows a moving price and a full 10-level book', async ({ page }, testInfo) => {
  await page.goto('/charts/KRX:005930');
  await expect(page.getByRole('heading', { name: '삼성전자' })).toBeVisible();

  const price = page.getByTestId('last-price');
  await expect(price).not.toHaveText('—', { timeout: 10_000 });

  // Count how often the displayed price changes within 10 s.
  const seen: string[] = [await price.innerText()];
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline && seen.length < 4) {
    const text = await price.innerText();
    if (text !== seen.at(-1)) seen.push(text);
    await page.waitForTimeout(50);
  }
  expect(seen.length - 1, `price texts seen: ${seen.join(' → ')}`).toBeGreaterThanOrEqual(3);

  await expect(page.getByTestId('hoga-ask')).toHaveCount(10);
  await expect(page.getByTestId('hoga-bid')).toHaveCount(10);
  await expect(page.getByTestId('price-chart').locator('.recharts-line-curve')).toBeVisible();

  await page.evaluate(() => document.fonts.ready);
  const shot = await page.screenshot({ path: testInfo.outputPath('chart-KRX-005930.png'), fullPage: true });
  await testInfo.attach('chart KRX:005930', { body: shot, contentType: 'image/png' });
});

test('an unknown symbol gets a not-found page, not a blank chart', async ({ page }) => {
  const response = await page.goto('/charts/KRX:999999');
  expect(response?.status()).toBe(404);
  await expect(page.getByText('찾을 수 없습니다')).toBeVisible();
});
