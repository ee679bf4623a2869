import type { Browser, Page } from '@playwright/test';
// Every test records its traffic for the run's secret scan (an auto fixture).
import { test as base } from './traffic-recorder';
import { ADMIN, createUser, signedInPage, type CreatedUser, type Credentials } from './users';

export { ADMIN, signIn, type CreatedUser, type Credentials } from './users';

interface SiseFixtures {
  /** A fresh non-admin user made by the admin. */
  createUser: (options?: { role?: 'user' | 'admin' }) => Promise<CreatedUser>;
  /** A page in a context of its own, signed in as the given user (closed after the test). */
  signedInPage: (credentials: Credentials) => Promise<Page>;
}

/**
 * Every spec talks to the server global-setup started (its URL is only known at run time), and its `page` is
 * signed in as the admin, who owns the simulated brokers' accounts. Specs about signing in use `browser`
 * contexts of their own.
 */
export const test = base.extend<SiseFixtures>({
  baseURL: async ({}, use) => {
    const url = process.env.SISE_E2E_URL;
    if (!url) throw new Error('SISE_E2E_URL is not set: run the specs through `npx playwright test`');
    await use(url);
  },
  storageState: async ({}, use) => {
    const state = process.env.SISE_E2E_ADMIN_STATE;
    if (!state) throw new Error('SISE_E2E_ADMIN_STATE is not set: global-setup signs the admin in');
    await use(state);
  },
  createUser: async ({ baseURL }, use) => {
    await use((options) => createUser(baseURL!, options));
  },
  signedInPage: async ({ browser, baseURL }, use) => {
    const pages: Page[] = [];
    await use(async (credentials) => {
      const page = await signedInPage(browser as Browser, baseURL!, credentials);
      pages.push(page);
      return page;
    });
    for (const page of pages) await page.context().close();
  },
});

export { ADMIN as E2E_ADMIN };
export { expect } from '@playwright/test';
