import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vitest/config';

import { consentgatePages } from './test/support/consentgate-pages.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './scripts/chromium.mjs';
import { fakeCollector } from './test/support/fake-collector.js';
import { policyCspPages } from './test/support/policy-csp-pages.js';
import { screenshotsRoot } from './test/support/screenshots-root.js';

/** Workspace packages that tests import by name; each resolves to its source, not `dist/`. */
const PACKAGES = ['core', 'policy', 'store', 'sdk', 'widget'];

const root = fileURLToPath(new URL('./', import.meta.url));

const alias = {
  ...Object.fromEntries(
    PACKAGES.filter((name) => existsSync(`${root}packages/${name}/src/index.ts`)).map((name) => [
      `@consentgate/${name}`,
      `${root}packages/${name}/src/index.ts`,
    ]),
  ),
  // The script-tag distribution is published unscoped.
  consentgate: `${root}packages/consentgate/src/index.ts`,
};

/** `.only` fails CI (STYLE §6); each project needs it, since projects do not inherit the root. */
const allowOnly = !process.env.CI;

export default defineConfig({
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'node',
          allowOnly,
          environment: 'node',
          include: [
            'packages/*/src/**/*.test.ts',
            'test/node/**/*.test.ts',
            'policies/**/*.test.ts',
          ],
          exclude: ['**/node_modules/**', '**/dist/**', '**/*.browser.test.ts'],
        },
      },
      {
        resolve: { alias },
        // policyCspPages: pages with a strict Content-Security-Policy for @consentgate/policy's tests.
        plugins: [policyCspPages(), fakeCollector(), consentgatePages()],
        // Pre-bundled up front so Vite does not reload the page mid-run when a test first imports them.
        optimizeDeps: { include: ['@open-policy-agent/opa-wasm', 'fast-check', 'idb'] },
        test: {
          name: 'browser',
          allowOnly,
          // Where screenshots go (test/support/screenshot-path.ts): ignored unless refreshing.
          provide: { screenshotsRoot: screenshotsRoot(root) },
          include: ['packages/*/src/**/*.browser.test.ts', 'test/integration/**/*.test.ts'],
          exclude: ['**/node_modules/**', '**/dist/**'],
          browser: {
            enabled: true,
            headless: true,
            provider: playwright({
              launchOptions: {
                executablePath: CHROMIUM_PATH,
                args: CHROMIUM_ARGS,
              },
            }),
            instances: [{ browser: 'chromium' }],
          },
        },
      },
    ],
  },
});
