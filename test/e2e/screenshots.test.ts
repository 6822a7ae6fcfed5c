// The README's screenshots of the storefront: banner, preferences, privacy centre and the "What
// left this browser" panel, in Japanese and English (docs/screenshots/, 1000×700 PNG). A test run
// writes them under the ignored test-results/screenshots/; `npm run screenshots` refreshes the
// committed ones, so the README shows what the current build renders. They are pictures for
// people, not pixel assertions (font hinting differs between machines): `git diff` is the review.
import { fileURLToPath } from 'node:url';

import type { Page } from '@playwright/test';

import { screenshotsRoot } from '../support/screenshots-root.js';
import { expect, settled, test } from './support/shop.js';

/** The clock starts here, so dates in the screenshots do not change from run to run. */
const NOW = new Date('2026-11-27T10:00:00+09:00');

const TEXT = {
  ja: {
    banner: 'プライバシーの選択',
    customise: 'カスタマイズ',
    preferences: 'プライバシー設定',
    acceptAll: 'すべて同意する',
    myData: 'マイデータ',
    reopen: 'プライバシー設定',
    panel: 'このブラウザから出たもの',
  },
  en: {
    banner: 'Your privacy choices',
    customise: 'Customise',
    preferences: 'Privacy preferences',
    acceptAll: 'Accept all',
    myData: 'My data',
    reopen: 'Privacy preferences',
    panel: 'What left this browser',
  },
} as const;

const root = fileURLToPath(new URL('../../', import.meta.url));
const screenshots = `${screenshotsRoot(root)}docs/screenshots/`;

const shoot = (page: Page, name: string, locale: string) =>
  page.screenshot({
    path: `${screenshots}storefront-${name}-${locale}.png`,
    animations: 'disabled',
  });

for (const locale of ['ja', 'en'] as const) {
  test(`captures the storefront's privacy views in ${locale}`, async ({ page }) => {
    const t = TEXT[locale];
    await page.clock.install({ time: NOW });
    await page.goto(`/?region=JP&lang=${locale}`);
    await settled(page);

    const banner = page.getByRole('dialog', { name: t.banner });
    await expect(banner).toBeVisible();
    await shoot(page, 'banner', locale);

    await banner.getByRole('button', { name: t.customise }).click();
    const preferences = page.getByRole('dialog', { name: t.preferences });
    await expect(preferences).toBeVisible();
    await shoot(page, 'preferences', locale);

    await preferences.getByRole('button', { name: t.acceptAll, exact: true }).click();
    await expect(preferences).toBeHidden();
    await page.goto('/product/SG-301');
    await settled(page);
    await page.getByRole('button', { name: t.panel }).click();
    await expect(
      page.getByTestId('outbound-request').filter({ hasText: 'Product Viewed' }).first(),
    ).toBeVisible();
    await shoot(page, 'what-left', locale);
    await page.getByRole('button', { name: t.panel }).click();

    // Reopened from the widget's floating button: preferences, then "My data".
    await page.getByRole('button', { name: t.reopen, exact: true }).click();
    await page
      .getByRole('dialog', { name: t.preferences })
      .getByRole('button', { name: t.myData })
      .click();
    const centre = page.getByRole('dialog', { name: t.myData });
    await expect(centre.getByText('Product Viewed').first()).toBeVisible();
    await shoot(page, 'privacy-centre', locale);
  });
}
