import { expect, test } from './fixtures';

const parsePrice = (text: string) => Number(text.replace(/,/g, ''));

test('the chart page shows a moving price, live candles, a full 10-level book and a growing tape', async ({ page }, testInfo) => {
  await page.goto('/charts/KRX:005930');
  await expect(page.getByRole('heading', { name: '삼성전자' })).toBeVisible();
  await expect(page.getByTestId('symbol-feed')).toContainText('실시간');

  const price = page.getByTestId('last-price');
  await expect(price).not.toHaveText('—', { timeout: 10_000 });

  // The displayed price changes at least 3 times within 10 s.
  const seen: string[] = [await price.innerText()];
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline && seen.length < 4) {
    const text = await price.innerText();
    if (text !== seen.at(-1)) seen.push(text);
    await page.waitForTimeout(50);
  }
  expect(seen.length - 1, `price texts seen: ${seen.join(' → ')}`).toBeGreaterThanOrEqual(3);

  // Candles render and the last candle's close follows the ticks.
  const chart = page.getByTestId('candle-chart');
  await expect(chart).toHaveAttribute('data-interval', '1m');
  await expect.poll(async () => Number(await chart.getAttribute('data-candles'))).toBeGreaterThan(0);
  await expect
    .poll(async () => {
      const [close, last] = [await chart.getAttribute('data-last-close'), await price.innerText()];
      return Number(close) === parsePrice(last);
    }, { timeout: 10_000 })
    .toBe(true);
  await expect(chart.locator('.recharts-bar-rectangle').first()).toBeVisible();

  // Switching to 5m re-aggregates: a new interval, still candles, the same last close.
  await page.getByRole('tab', { name: '5분', exact: true }).click();
  await expect(chart).toHaveAttribute('data-interval', '5m');
  await expect.poll(async () => Number(await chart.getAttribute('data-candles'))).toBeGreaterThan(0);
  await expect
    .poll(async () => Number(await chart.getAttribute('data-last-close')) === parsePrice(await price.innerText()), { timeout: 10_000 })
    .toBe(true);

  // The book: 10 levels each side, best ask above best bid.
  await expect(page.getByTestId('hoga-ask')).toHaveCount(10);
  await expect(page.getByTestId('hoga-bid')).toHaveCount(10);
  const bestAsk = parsePrice(await page.locator('[data-testid="hoga-ask"].best .p').innerText());
  const bestBid = parsePrice(await page.locator('[data-testid="hoga-bid"].best .p').innerText());
  expect(bestAsk).toBeGreaterThan(bestBid);

  // The tape grows.
  const tapeRows = page.getByTestId('tape-row');
  const before = await tapeRows.count();
  await expect.poll(() => tapeRows.count(), { timeout: 10_000 }).toBeGreaterThan(Math.min(before, 49));

  await page.evaluate(() => document.fonts.ready);
  const shot = await page.screenshot({ path: testInfo.outputPath('chart-KRX-005930.png'), fullPage: true });
  await testInfo.attach('chart KRX:005930', { body: shot, contentType: 'image/png' });
});

test('an unknown symbol gets a not-found page, not a blank chart', async ({ page }) => {
  const response = await page.goto('/charts/KRX:999999');
  expect(response?.status()).toBe(404);
  await expect(page.getByText('찾을 수 없습니다')).toBeVisible();
});
