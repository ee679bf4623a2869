import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    alias: { '@': fileURLToPath(new URL('.', import.meta.url)) },
  },
  test: {
    include: ['{lib,server,components,app,bench,scripts}/**/*.test.{ts,tsx}'],
    environment: 'node',
    // Integration tests start real servers on port 0; give slow CI machines room without hiding hangs.
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
