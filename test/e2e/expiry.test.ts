// Records expire with their purpose's retention: past 30 days, analytics and advertising records
// are gone from the device and from the visitor's export; personalisation (90 days) stays.
import { readFile } from 'node:fs/promises';

import { acceptAll, expect, JA, openShop, readLocal, settled, test } from './support/shop.js';

const DAY = 24 * 60 * 60 * 1000;

interface ExportDocument {
  readonly purposes: readonly { readonly purpose: string; readonly records: number }[];
}

test('deletes records once their retention has passed, and the export shows none', async ({
  page,
}) => {
  await page.clock.install();
  await openShop(page, 'EU');
  await settled(page);
  await acceptAll(page, 'EU');
  await page.goto('/product/SG-101');
  await settled(page);
  const purposes = async () =>
    [...new Set((await readLocal(page)).events.map((e) => e.purpose))].sort();
  await expect.poll(purposes).toEqual(['analytics', 'marketing', 'personalization']);

  await page.clock.fastForward(31 * DAY);

  // The sweeper's next run deletes the expired records from IndexedDB itself.
  await expect.poll(purposes).toEqual(['personalization']);
  // Opened on the same page: a new page load would record a fresh page view.
  await page.evaluate(() => window.consentGate?.showPrivacyCentre());
  const centre = page.getByRole('dialog', { name: JA.myData });
  const download = page.waitForEvent('download');
  await centre.getByRole('button', { name: JA.exportData }).click();
  const file = await (await download).path();
  const exported = JSON.parse(await readFile(file, 'utf8')) as ExportDocument;
  const records = (purpose: string) =>
    exported.purposes.find((p) => p.purpose === purpose)?.records ?? 0;
  expect(records('analytics')).toBe(0);
  expect(records('marketing')).toBe(0);
  expect(records('personalization')).toBeGreaterThan(0);
});
