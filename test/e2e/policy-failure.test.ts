// When the policy bundle cannot be used, ConsentGate fails closed: nothing is collected or sent, the
// banner still shows, and the site owner gets a clear error in the console and the `error` event.
// Only a verified bundle has a digest a consent receipt can cite, so only then is an answer stored.
import { createHash } from 'node:crypto';

import type { Page } from '@playwright/test';

import { COLLECTOR_ORIGIN, SHOP_ORIGIN } from './support/env.js';
import { banner, expect, JA, openShop, readLocal, settled, test } from './support/shop.js';

const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

/** A strict CSP for the storefront that does not allow compiling WebAssembly. */
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  `connect-src 'self' ${COLLECTOR_ORIGIN}`,
  "object-src 'none'",
  "base-uri 'none'",
].join('; ');

const CASES: readonly {
  readonly name: string;
  readonly code: string;
  /** Whether the bundle itself was verified (so its digest is known) before the failure. */
  readonly verified: boolean;
  readonly arrange: (page: Page) => Promise<unknown>;
}[] = [
  {
    name: 'missing',
    code: 'policy/fetch-failed',
    verified: false,
    arrange: (page) =>
      page.route('**/policy/manifest.json', (route) =>
        route.fulfill({ status: 404, body: 'Not found' }),
      ),
  },
  {
    name: 'corrupted',
    code: 'policy/integrity-mismatch',
    verified: false,
    arrange: (page) =>
      page.route('**/policy/policy.wasm', async (route) => {
        const response = await route.fetch();
        const body = await response.body();
        body[body.length >> 1] = (body[body.length >> 1] ?? 0) ^ 0xff;
        await route.fulfill({ response, body });
      }),
  },
  {
    // A complete, self-consistent bundle, but not the one the site pinned.
    name: 'digest-mismatched',
    code: 'policy/integrity-mismatch',
    verified: false,
    arrange: async (page) => {
      const fetchText = async (file: string) =>
        (await page.request.get(`${SHOP_ORIGIN}/policy/${file}`)).text();
      const data = JSON.parse(await fetchText('data.json')) as {
        consentgate: { catalog: { purposes: { marketing: { retention_days: number } } } };
      };
      data.consentgate.catalog.purposes.marketing.retention_days = 3650;
      const otherData = Buffer.from(`${JSON.stringify(data)}\n`);
      const manifest = JSON.parse(await fetchText('manifest.json')) as {
        digest: string;
        files: Record<string, { sha256: string; bytes: number }>;
      };
      manifest.files['data.json'] = { sha256: sha256(otherData), bytes: otherData.length };
      manifest.digest = sha256(
        `policy.wasm ${manifest.files['policy.wasm']?.sha256}\ndata.json ${sha256(otherData)}\n`,
      );
      await page.route('**/policy/data.json', (route) =>
        route.fulfill({ body: otherData, contentType: 'application/json' }),
      );
      await page.route('**/policy/manifest.json', (route) => route.fulfill({ json: manifest }));
    },
  },
  {
    name: 'blocked by CSP',
    code: 'policy/csp-blocked',
    verified: true,
    arrange: (page) =>
      page.route(
        (url) => url.origin === SHOP_ORIGIN,
        async (route) => {
          if (route.request().resourceType() !== 'document') return route.fallback();
          const response = await route.fetch();
          await route.fulfill({
            response,
            headers: { ...response.headers(), 'content-security-policy': CSP },
          });
        },
      ),
  },
];

for (const { name, code, verified, arrange } of CASES) {
  test(`fails closed when the policy bundle is ${name}`, async ({ page, traffic }) => {
    const consoleErrors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    await arrange(page);

    await openShop(page, 'EU');
    await expect(banner(page)).toBeVisible();
    await settled(page);

    // The banner still works: it records the answer against a verified bundle's digest; with
    // nothing verified it says the answer could not be saved, and closes unanswered on Escape.
    await banner(page).getByRole('button', { name: JA.acceptAll, exact: true }).click();
    if (!verified) {
      await expect(banner(page).getByRole('alert')).toBeVisible();
      await page.keyboard.press('Escape');
    }
    await expect(banner(page)).toBeHidden();
    expect((await readLocal(page)).consent).toHaveLength(verified ? 1 : 0);

    // The site owner is told, in the console and through the `error` event (the panel lists those).
    await expect.poll(() => consoleErrors.join('\n')).toContain(`ConsentGate [${code}]`);
    await page.getByRole('button', { name: 'このブラウザから出たもの' }).click();
    await expect(page.getByTestId('owner-errors')).toContainText(code);

    // And nothing is collected, stored or sent, even after a "yes".
    await page.goto('/product/SG-101');
    await settled(page);
    const result = await page.evaluate(() =>
      window.consentGate?.track('Product Viewed', { sku: 'SG-101', price: 3300 }),
    );
    expect(result?.stored).toBe(0);
    expect(traffic.outbound()).toEqual([]);
    const local = await readLocal(page);
    expect(local.events).toEqual([]);
    expect(local.outbox).toEqual([]);
    await expect(page.locator('script[type="text/plain"][data-cg-purpose]')).toHaveCount(2);
  });
}
