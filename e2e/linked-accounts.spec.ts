/**
 * A user links their own broker account on /account: the simulated Kiwoom has issued demo keys to a second
 * customer (server/brokers/kiwoom/simulator.ts, README "demo credentials"). A wrong secret is refused with the
 * broker's words and nothing is linked; the right one links the account, which then shows on that user's
 * /balances and on nobody else's. Unlinking takes it away again.
 */
import { SIM_ISSUED_CREDENTIALS as KIWOOM_DEMO } from '../server/brokers/kiwoom/simulator';
import { expect, test } from './fixtures';

const ACCOUNT_ID = `kiwoom:${KIWOOM_DEMO.accountNo}`;
const LABEL = '내 키움 데모';

test('a user links demo Kiwoom keys: the wrong secret is refused, the right one shows the account on their balances only', async ({ page, createUser, signedInPage }) => {
  const user = await createUser();
  const mine = await signedInPage(user);
  await mine.goto('/account');
  const section = mine.locator('section.linked-accounts');
  await expect(section.getByRole('heading', { name: '내 증권 계좌 연결' })).toBeVisible();
  await expect(section.getByText('연결한 계좌가 없습니다.')).toBeVisible();
  await section.getByRole('tab', { name: '키움증권' }).click();

  const form = section.getByRole('form', { name: '키움증권 연결' });
  const appKey = form.getByLabel('App Key');
  const secretKey = form.getByLabel('Secret Key');
  // Keys are typed into password inputs: never shown on screen.
  await expect(appKey).toHaveAttribute('type', 'password');
  await expect(secretKey).toHaveAttribute('type', 'password');

  await appKey.fill(KIWOOM_DEMO.appKey);
  await secretKey.fill(`${KIWOOM_DEMO.secretKey}-wrong`);
  await form.getByLabel('이름 (선택)').fill(LABEL);
  await form.getByRole('button', { name: '연결' }).click();
  await expect(section.getByRole('alert')).toContainText('App Key와 Secret Key 검증에 실패했습니다');
  await expect(section.getByRole('alert')).toContainText('8001');
  await expect(section.getByText('연결한 계좌가 없습니다.')).toBeVisible();
  await section.screenshot({ path: test.info().outputPath('account-refused.png') });

  await secretKey.fill(KIWOOM_DEMO.secretKey);
  await form.getByRole('button', { name: '연결' }).click();
  await expect(section.getByRole('status')).toContainText(`연결했습니다: ${ACCOUNT_ID}`);
  // The secrets are cleared from the form once the server has them.
  await expect(secretKey).toHaveValue('');
  const row = section.getByTestId('linked-account');
  await expect(row).toHaveCount(1);
  await expect(row).toContainText(ACCOUNT_ID);
  await expect(row).toContainText(LABEL);
  await expect(row).toContainText(`${KIWOOM_DEMO.appKey.slice(0, 4)}…`);
  await expect(row).toContainText('연결됨');
  await mine.screenshot({ path: test.info().outputPath('account-linked.png'), fullPage: true });

  await mine.goto('/balances');
  const account = mine.locator(`[data-testid="account-section"][data-account-id="${ACCOUNT_ID}"]`);
  await expect(account).toBeVisible();
  await expect(account.locator('h2')).toContainText(LABEL);
  await expect(account.getByTestId('cash-deposit')).not.toHaveText('');
  await mine.screenshot({ path: test.info().outputPath('balances-linked.png'), fullPage: true });

  // The admin holds every environment account, but not this user's.
  await page.goto('/balances');
  await expect(page.locator('[data-testid="account-section"]').first()).toBeVisible();
  await expect(page.locator(`[data-testid="account-section"][data-account-id="${ACCOUNT_ID}"]`)).toHaveCount(0);

  await mine.goto('/account');
  await section.getByTestId('linked-account').getByRole('button', { name: '연결 해제' }).click();
  await expect(section.getByText('연결한 계좌가 없습니다.')).toBeVisible();
  await mine.goto('/balances');
  await expect(mine.locator(`[data-testid="account-section"][data-account-id="${ACCOUNT_ID}"]`)).toHaveCount(0);
});
