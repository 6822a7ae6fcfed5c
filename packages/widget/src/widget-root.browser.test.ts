import axe from 'axe-core';
import { cdp, page } from 'vitest/browser';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import type { Notice } from '@consentgate/core';

import { screenshotPath } from '../../../test/support/screenshot-path.js';
import { dialog, mount, unmountAll } from './fixtures/harness.js';
import { createMemoryStorage } from './fixtures/memory-storage.js';
import { EU, JP, US_CA, US_CA_GPC } from './fixtures/notices.js';
import type { Locale } from './locale.js';
import type { WidgetView } from './widget.js';
import { WidgetRoot } from './widget-root.js';

/** WCAG 2.0–2.2 A and AA: what the issue asks for; axe's best practices are not requirements. */
const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

const NOW = Date.UTC(2026, 10, 27, 9);
const DAY = 86_400_000;

/** A host page behind the widget, so screenshots show the overlay on something. */
const pageContent = document.createElement('main');
pageContent.innerHTML =
  '<h1>Sakura Goods</h1><p>Handmade ceramics, shipped from Kyoto.</p><p>Free shipping over ¥5,000.</p>';

beforeAll(async () => {
  document.body.append(pageContent);
  // Stable pixels: no entry animation in screenshots (the motion itself is tested elsewhere).
  await cdp().send('Emulation.setEmulatedMedia', {
    features: [{ name: 'prefers-reduced-motion', value: 'reduce' }],
  });
  // Taller than the runner's window would be scaled down; the second layer scrolls inside.
  await page.viewport(720, 720);
});
afterAll(() => pageContent.remove());
afterEach(unmountAll);

/** Opens `view` for `notice` in `locale`; the privacy centre with some data in it. */
async function show(view: WidgetView, notice: Notice, locale: Locale) {
  const storage = createMemoryStorage();
  if (view === 'privacy-centre') {
    const first = await mount({ storage, notice, locale, now: () => NOW - DAY });
    await first.widget.setConsent({ analytics: true, personalization: true });
    first.widget.destroy();
    storage.items = [
      { purpose: 'analytics', name: 'Product Viewed', expiresAt: NOW + 29 * DAY },
      { purpose: 'personalization', name: 'Product Viewed', expiresAt: NOW + 89 * DAY },
    ];
    storage.auditItems = [
      { at: NOW - 60_000, kind: 'sent', event: 'Product Viewed', destination: 'collector' },
      {
        at: NOW,
        kind: 'blocked',
        event: 'Checkout Started',
        purpose: 'marketing',
        reasons: ['consent-declined'],
      },
    ];
  }
  const mounted = await mount({ storage, notice, locale, now: () => NOW });
  if (view === 'preferences') mounted.widget.showPreferences();
  if (view === 'privacy-centre') mounted.widget.showPrivacyCentre();
  await expect.poll(() => dialog(mounted.root)?.closest(`.cg-${view}`)).toBeTruthy();
  if (view === 'privacy-centre') {
    await expect.poll(() => mounted.root.querySelector('.cg-entry')).toBeTruthy();
  }
  return mounted;
}

const CASES: [name: string, view: WidgetView, notice: Notice][] = [
  ['banner-eu', 'banner', EU],
  ['banner-us-ca', 'banner', US_CA],
  ['banner-us-ca-gpc', 'banner', US_CA_GPC],
  ['banner-jp', 'banner', JP],
  ['preferences-eu', 'preferences', EU],
  ['preferences-us-ca-gpc', 'preferences', US_CA_GPC],
  ['privacy-centre-eu', 'privacy-centre', EU],
];

describe(WidgetRoot, () => {
  for (const locale of ['en', 'ja'] as const) {
    it.each(CASES)(`has no WCAG 2.2 AA violation in %s (${locale})`, async (name, view, notice) => {
      const { widget, root } = await show(view, notice, locale);

      const result = await axe.run(widget.host, { runOnly: { type: 'tag', values: WCAG } });
      await page.screenshot({
        path: screenshotPath(`packages/widget/docs/screenshots/${name}.${locale}.png`),
        element: root.querySelector('.cg-overlay') as HTMLElement,
      });

      expect(
        result.violations.map(({ id, nodes }) => [id, nodes.map((node) => node.html)]),
      ).toEqual([]);
      expect(result.passes.map(({ id }) => id)).toContain('color-contrast');
    });
  }
});
