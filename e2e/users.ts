/**
 * The people of the e2e run: the admin global-setup creates through SISE_ADMIN_EMAIL/SISE_ADMIN_PASSWORD, and
 * fresh users the admin adds through the API, as a team's admin would.
 */
import { randomUUID } from 'node:crypto';
import { request as playwrightRequest, type APIRequestContext, type Browser, type Page } from '@playwright/test';

export const ADMIN = { email: 'admin@sise.test', password: 'e2e-admin-password-1' } as const;

export interface Credentials {
  email: string;
  password: string;
}

export interface CreatedUser extends Credentials {
  id: string;
}

/** A signed-in API context for the admin, for setting things up the way the admin's browser would. */
export async function adminRequest(baseURL: string): Promise<APIRequestContext> {
  const context = await playwrightRequest.newContext({ baseURL });
  const response = await context.post('/api/auth/login', { data: ADMIN });
  if (!response.ok()) throw new Error(`admin sign-in failed: ${response.status()} ${await response.text()}`);
  return context;
}

/** A fresh non-admin user, made by the admin over the API. */
export async function createUser(baseURL: string, options: { role?: 'user' | 'admin' } = {}): Promise<CreatedUser> {
  const admin = await adminRequest(baseURL);
  try {
    const credentials = { email: `user-${randomUUID().slice(0, 8)}@sise.test`, password: `pw-${randomUUID()}` };
    const response = await admin.post('/api/users', { data: { ...credentials, role: options.role ?? 'user' } });
    if (!response.ok()) throw new Error(`creating a user failed: ${response.status()} ${await response.text()}`);
    const { user } = (await response.json()) as { user: { id: string } };
    return { ...credentials, id: user.id };
  } finally {
    await admin.dispose();
  }
}

/** Signs a page in through the real sign-in form. */
export async function signIn(page: Page, credentials: Credentials): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('이메일').fill(credentials.email);
  await page.getByLabel('비밀번호').fill(credentials.password);
  await page.getByRole('button', { name: '로그인' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

/** A page in a context of its own (its own cookies), signed in as that user. */
export async function signedInPage(browser: Browser, baseURL: string, credentials: Credentials): Promise<Page> {
  const context = await browser.newContext({ baseURL, locale: 'ko-KR', timezoneId: 'Asia/Seoul' });
  const api = await context.request.post('/api/auth/login', { data: credentials });
  if (!api.ok()) throw new Error(`sign-in failed for ${credentials.email}: ${api.status()}`);
  return context.newPage();
}
