/**
 * The balances page against the real server with the simulated brokers, signed in as the admin who holds their
 * accounts: a paper limit buy that crosses the spread shows as open, then filled, and the holding and the cash
 * change without a reload; a resting buy far below the bid is cancelled and leaves the list.
 */
import type { Locator, Page } from '@playwright/test';
import { roundToKrxGrid } from '../lib/format/krx-tick-size';
import { expect, test } from './fixtures';

const KIS = 'kis:50012345-01';
const SIM_ACCOUNTS = [KIS, 'kiwoom:5012345678', 'kiwoom-bridge:8012345611', 'upbit:simupbit', 'bo:100700'];
const SAMSUNG = 'KRX:005930';
/** Ticks above the best ask, so the buy still crosses if the ask moves up before it arrives. */
const CROSSING_TICKS = 3;
/** Far below the bid (the simulated price will not get there during the test), inside KRX's −30 % limit. */
const RESTING_FRACTION_OF_BID = 0.9;

const section = (page: Page, accountId: string) => page.locator(`[data-testid="account-section"][data-account-id="${accountId}"]`);

async function numberAttr(locator: Locator, name: string): Promise<number> {
  return Number(await locator.getAttribute(name));
}

/** Every open-order id the page ever shows, however briefly: a crossing order is open only for a moment. */
async function recordOpenOrderIds(page: Page): Promise<void> {
  await page.evaluate(() => {
    const seen = new Set<string>();
    (window as unknown as { seenOpenOrders: Set<string> }).seenOpenOrders = seen;
    const note = () => document.querySelectorAll('[data-testid="open-order-row"]').forEach((row) => seen.add(row.getAttribute('data-order-id') ?? ''));
    new MutationObserver(note).observe(document.body, { childList: true, subtree: true });
    note();
  });
}

async function placeFromTicket(page: Page): Promise<string> {
  await page.getByTestId('ticket-review').click();
  await expect(page.getByTestId('ticket-confirm-panel')).toContainText('모의 주문');
  await page.getByTestId('ticket-confirm').click();
  const result = page.getByTestId('ticket-result');
  await expect(result).toContainText('주문 접수됨');
  return (/주문번호 (\S+)/.exec((await result.textContent()) ?? '') ?? [])[1] ?? '';
}

test('lists the simulator accounts, fills a crossing paper buy live, and cancels a resting order', async ({ page }) => {
  await page.goto('/balances');
  for (const id of SIM_ACCOUNTS) await expect(section(page, id)).toBeVisible();
  await expect(section(page, KIS).locator('h2')).toContainText('모의');

  const kis = section(page, KIS);
  const deposit = kis.getByTestId('cash-deposit');
  await expect(deposit).toHaveAttribute('data-value', /\d/);
  const depositBefore = await numberAttr(deposit, 'data-value');
  const holding = kis.locator(`[data-testid="holding-row"][data-symbol="${SAMSUNG}"]`);
  const qtyBefore = (await holding.count()) > 0 ? await numberAttr(holding, 'data-qty') : 0;

  await page.getByTestId('ticket-account').selectOption(KIS);
  await expect(page.getByTestId('paper-badge')).toHaveText('모의 주문');
  await expect(page.getByTestId('ticket-symbol')).toHaveAttribute('data-symbol', SAMSUNG);
  await page.getByTestId('ticket-buy').click();
  await page.getByTestId('ticket-limit').click();
  await page.getByTestId('ticket-qty').fill('1');
  const bestAsk = page.getByTestId('ticket-best-ask');
  await expect(bestAsk).toHaveAttribute('data-price', /\d/);
  await bestAsk.click();
  const ask = Number(await page.getByTestId('ticket-price').inputValue());
  expect(ask).toBeGreaterThan(0);
  for (let i = 0; i < CROSSING_TICKS; i++) await page.getByTestId('ticket-price-up').click();
  expect(Number(await page.getByTestId('ticket-price').inputValue())).toBeGreaterThan(ask);

  await recordOpenOrderIds(page);
  const crossing = await placeFromTicket(page);
  expect(crossing).not.toBe('');

  // Filled: its fill is listed, it is no longer open, and the holding and the cash moved, all without a reload.
  await expect(kis.locator(`[data-testid="fill-row"][data-order-id="${crossing}"]`)).toBeVisible();
  await expect(kis.locator(`[data-testid="open-order-row"][data-order-id="${crossing}"]`)).toHaveCount(0);
  await expect(holding).toHaveAttribute('data-qty', String(qtyBefore + 1));
  await expect.poll(() => numberAttr(deposit, 'data-value')).toBeLessThan(depositBefore);
  // …and it was shown as open before it filled.
  expect(await page.evaluate(() => [...(window as unknown as { seenOpenOrders: Set<string> }).seenOpenOrders])).toContain(crossing);
  await page.screenshot({ path: test.info().outputPath('balances-filled.png'), fullPage: true });

  // A resting buy far below the bid: it stays open until cancelled, then leaves the list.
  const bid = await numberAttr(page.getByTestId('ticket-best-bid'), 'data-price');
  await page.getByTestId('ticket-price').fill(String(roundToKrxGrid(bid * RESTING_FRACTION_OF_BID, 'down')));
  const resting = await placeFromTicket(page);
  const restingRow = kis.locator(`[data-testid="open-order-row"][data-order-id="${resting}"]`);
  await expect(restingRow).toBeVisible();
  await restingRow.getByTestId('cancel-order').click();
  await expect(restingRow).toHaveCount(0);
  await expect(kis.locator(`[data-testid="fill-row"][data-order-id="${resting}"]`)).toHaveCount(0);
});

test('snaps an off-grid price onto the tick grid before it can be sent', async ({ page }) => {
  await page.goto('/balances');
  await page.getByTestId('ticket-account').selectOption(KIS);
  await expect(page.getByTestId('ticket-symbol')).toHaveAttribute('data-symbol', SAMSUNG);
  const price = page.getByTestId('ticket-price');
  // 삼성전자 trades between 50,000 and 200,000 won, where the tick is 100 won.
  await price.fill('72350');
  await expect(page.getByTestId('ticket-review')).toBeDisabled();
  await price.blur();
  await expect(price).toHaveValue(/^(72300|72400)$/);
  await expect(page.getByTestId('ticket-review')).toBeEnabled();
});

test('modifies a resting order (정정) on a broker that can: one tick lower, under the new order number', async ({ page }) => {
  const KIWOOM = 'kiwoom:5012345678';
  await page.goto('/balances');
  await page.getByTestId('ticket-account').selectOption(KIWOOM);
  await expect(page.getByTestId('ticket-symbol')).toHaveAttribute('data-symbol', SAMSUNG);
  await page.getByTestId('ticket-buy').click();
  await page.getByTestId('ticket-limit').click();
  await page.getByTestId('ticket-qty').fill('2');
  const bidButton = page.getByTestId('ticket-best-bid');
  await expect(bidButton).toHaveAttribute('data-price', /\d/);
  const restingPrice = roundToKrxGrid((await numberAttr(bidButton, 'data-price')) * RESTING_FRACTION_OF_BID, 'down');
  await page.getByTestId('ticket-price').fill(String(restingPrice));
  const resting = await placeFromTicket(page);

  const kiwoom = section(page, KIWOOM);
  const row = kiwoom.locator(`[data-testid="open-order-row"][data-order-id="${resting}"]`);
  await expect(row).toBeVisible();
  await row.getByTestId('modify-order-open').click();
  const form = kiwoom.getByTestId('modify-order');
  await form.getByRole('button', { name: '한 호가 내림' }).click();
  const lower = Number(await form.getByLabel('정정 가격').inputValue());
  expect(lower).toBeLessThan(restingPrice);
  await form.getByRole('button', { name: '정정 확인' }).click();
  await expect(form.getByTestId('modify-summary')).toContainText('→');
  await form.getByRole('button', { name: '정정 전송' }).click();

  // The old order leaves the list; one order at the new price stands for it.
  await expect(row).toHaveCount(0);
  const modified = kiwoom.locator('[data-testid="open-order-row"]').filter({ hasText: lower.toLocaleString('ko-KR') });
  await expect(modified).toHaveCount(1);
  await modified.getByTestId('cancel-order').click();
  await expect(modified).toHaveCount(0);
});
