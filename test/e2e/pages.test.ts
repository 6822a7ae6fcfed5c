// The storefront's other promises: personalisation computed on the device and never sent, and the
// policy playground still served for privacy teams.
import { acceptAll, expect, openShop, readLocal, settled, test } from './support/shop.js';

test('shows recently viewed products and recommendations from local data only', async ({
  page,
  traffic,
}) => {
  await openShop(page, 'EU');
  await settled(page);
  await acceptAll(page, 'EU');
  await page.goto('/product/SG-201');
  await settled(page);
  await page.goto('/product/SG-301');
  await settled(page);

  await page.goto('/');
  await settled(page);

  const recent = page.getByTestId('recently-viewed');
  await expect(recent.locator('[data-sku]')).toHaveCount(2);
  await expect(recent.locator('[data-sku]').first()).toHaveAttribute('data-sku', 'SG-301');
  await expect(page.getByTestId('recommended').locator('[data-sku]').first()).toBeVisible();
  const local = await readLocal(page);
  expect(local.events.some((e) => e.purpose === 'personalization')).toBe(true);
  expect(local.outbox.some((e) => e.purpose === 'personalization')).toBe(false);
  expect(traffic.sentText()).not.toContain('"purpose":"personalization"');
});

test('keeps the policy playground at /playground', async ({ page, traffic }) => {
  await page.goto('/playground');

  await expect(page.getByRole('heading', { name: 'ポリシー・プレイグラウンド' })).toBeVisible();
  await expect(page.getByTestId('notice-mode')).toHaveText('opt-in');
  expect(traffic.outbound()).toEqual([]);
});
