import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { defineConfig } from '@playwright/test';

import {
  CHROMIUM_ARGS,
  CHROMIUM_PATH,
  COLLECTOR_ORIGIN,
  SHOP_ORIGIN,
  SHOP_PORT,
} from './support/env.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
/** The storefront built for the suite, outside the checkout so `demo/dist` stays untouched. */
const outDir = join(tmpdir(), 'consentgate-e2e-shop');
const vite = `node node_modules/vite/bin/vite.js`;

/**
 * End-to-end privacy tests: the built storefront (`vite build` + `vite preview`) and the real
 * collector (in-memory PGlite) on ports of their own, driven in Debian's chromium.
 */
export default defineConfig({
  testDir: '.',
  testMatch: '**/*.test.ts',
  outputDir: join(root, 'test-results/e2e'),
  forbidOnly: !!process.env.CI,
  fullyParallel: true,
  workers: 2,
  retries: 0,
  timeout: 45_000,
  expect: { timeout: 10_000 },
  // No pixel assertions (`toHaveScreenshot`): the README's screenshots are written by
  // screenshots.test.ts, into test-results/ unless `npm run screenshots` refreshes them. A test
  // run writes nothing into the checkout outside ignored folders.
  updateSnapshots: 'none',
  reporter: process.env.CI ? [['list'], ['github']] : [['list']],
  use: {
    baseURL: `${SHOP_ORIGIN}/`,
    viewport: { width: 1000, height: 700 },
    locale: 'ja-JP',
    timezoneId: 'Asia/Tokyo',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: CHROMIUM_PATH,
      args: CHROMIUM_ARGS,
    },
  },
  projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
  webServer: [
    {
      command: 'node --import tsx test/e2e/support/collector.ts',
      cwd: root,
      url: `${COLLECTOR_ORIGIN}/healthz`,
      env: { E2E_COLLECTOR_PORT: new URL(COLLECTOR_ORIGIN).port, E2E_SHOP_ORIGIN: SHOP_ORIGIN },
      reuseExistingServer: !process.env.CI,
      timeout: 60_000,
    },
    {
      command:
        `${vite} build -c demo/vite.config.ts --outDir ${outDir} --emptyOutDir --logLevel warn && ` +
        `${vite} preview -c demo/vite.config.ts --outDir ${outDir} --host 127.0.0.1 --port ${SHOP_PORT} --strictPort`,
      cwd: root,
      url: `${SHOP_ORIGIN}/`,
      env: { VITE_COLLECTOR_URL: `${COLLECTOR_ORIGIN}/v1/batch` },
      reuseExistingServer: !process.env.CI,
      timeout: 120_000,
    },
  ],
});
