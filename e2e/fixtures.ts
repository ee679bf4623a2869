import { test as base } from '@playwright/test';

/** Every spec talks to the server global-setup started; its URL is only known at run time. */
export const test = base.extend({
  baseURL: async ({}, use) => {
    const url = process.env.SISE_E2E_URL;
    if (!url) throw new Error('SISE_E2E_URL is not set: run the specs through `npx playwright test`');
    await use(url);
  },
});

export { expect } from '@playwright/test';
