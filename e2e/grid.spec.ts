import { expect, test } from './fixtures';

const TWELVE = [
  'KRX:005930', 'KRX:000660', 'KRX:035420', 'KRX:005380', 'KRX:035720', 'KRX:373220',
  'UPBIT:KRW-BTC', 'UPBIT:KRW-ETH', 'UPBIT:KRW-XRP', 'UPBIT:KRW-SOL', 'KRX:068270', 'KRX:105560',
];

test('the grid shows twelve symbols at once, each with a live price and a mini book', async ({ page }, testInfo) => {
  await page.goto(`/grid?s=${TWELVE.join(',')}`);
  const cards = page.getByTestId('grid-card');
  await expect(cards).toHaveCount(12);
  for (const symbol of TWELVE) {
    const card = page.locator(`[data-testid="grid-card"][data-symbol="${symbol}"]`);
    await expect(card.getByTestId('grid-price')).not.toHaveText(/^—/, { timeout: 15_000 });
    await expect(card.getByTestId('hoga-ask')).toHaveCount(5);
    await expect(card.getByTestId('hoga-bid')).toHaveCount(5);
  }
  // A thirteenth cannot be added: the search gives way to the limit.
  await expect(page.getByText('최대 12종목')).toBeVisible();

  // Removing a card frees a place, and the URL keeps the grid shareable.
  await cards.first().getByRole('button', { name: /빼기/ }).click();
  await expect(cards).toHaveCount(11);
  await expect(page).toHaveURL(/s=KRX%3A000660|s=KRX:000660/);

  await page.evaluate(() => document.fonts.ready);
  await page.screenshot({ path: testInfo.outputPath('grid.png') });
});
