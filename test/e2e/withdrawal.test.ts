// Withdrawing a purpose in the privacy centre deletes its local records within a second, nothing
// of it is sent afterwards, and its third-party tag is no longer activated on the next page.
import { acceptAll, countPurpose, expect, JA, openShop, settled, test } from './support/shop.js';

test('withdrawing advertising deletes its data, stops sending it and stops the ads pixel', async ({
  page,
  traffic,
}) => {
  const adsCookie = async () =>
    (await page.context().cookies()).some((cookie) => cookie.name === '_ads_id');
  await openShop(page, 'EU');
  await settled(page);
  await acceptAll(page, 'EU');
  await page.goto('/product/SG-101');
  await settled(page);
  await expect.poll(() => countPurpose(page, 'marketing')).toBeGreaterThan(0);
  await expect.poll(adsCookie).toBe(true);
  await page.goto('/account');
  await settled(page);

  await page.getByTestId('open-privacy-centre').click();
  const centre = page.getByRole('dialog', { name: JA.myData });
  await centre.getByRole('button', { name: JA.withdrawMarketing }).click();

  await expect.poll(() => countPurpose(page, 'marketing'), { timeout: 1000 }).toBe(0);
  const since = traffic.mark();
  await expect.poll(adsCookie).toBe(false);

  await page.goto('/product/SG-102');
  await settled(page);
  // This page's own analytics arrives, so sending still works for what remains allowed...
  await expect
    .poll(() =>
      traffic
        .messages('collector', since)
        .some((m) => m.event === 'Product Viewed' && m.properties.sku === 'SG-102'),
    )
    .toBe(true);
  // ...and the chat (still allowed) was activated, so tags were decided on this page.
  await expect(
    page.locator('script[data-cg-activated][src="/vendors/chat-widget.js"]'),
  ).toHaveCount(1);
  expect(traffic.ads(since)).toEqual([]);
  expect(await countPurpose(page, 'marketing')).toBe(0);
  await expect(
    page.locator('script[type="text/plain"][data-src="/vendors/ads-pixel.js"]'),
  ).toHaveCount(1);
  expect(await adsCookie()).toBe(false);
});
