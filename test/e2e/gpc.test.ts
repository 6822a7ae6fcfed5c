// California with Global Privacy Control: the notice says GPC was honoured and marketing never runs.
import {
  acceptAll,
  banner,
  browseAndCheckOut,
  countPurpose,
  expect,
  JA,
  openShop,
  readLocal,
  settled,
  test,
} from './support/shop.js';

test('honours GPC in California: marketing never runs, and the notice says so', async ({
  page,
  traffic,
}) => {
  await page.addInitScript(() =>
    Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true }),
  );

  await openShop(page, 'US-CA');
  await expect(banner(page)).toContainText(JA.gpcHonoured);
  await settled(page);
  await acceptAll(page, 'US-CA');
  await browseAndCheckOut(page);

  // Analytics still flows (the visitor did not opt out of it), so the pipeline is alive.
  await expect
    .poll(() => traffic.messages('collector').some((m) => m.event === 'Order Completed'))
    .toBe(true);
  expect(traffic.ads()).toEqual([]);
  expect(
    traffic.messages('collector').every((m) => m.context.consentgate.purpose === 'analytics'),
  ).toBe(true);
  expect(await countPurpose(page, 'marketing')).toBe(0);
  const receipt = (await readLocal(page)).consent.at(-1) as unknown as {
    purposes: Record<string, boolean>;
    signals: { gpc: boolean };
  };
  expect(receipt.purposes.marketing).toBe(false);
  expect(receipt.signals.gpc).toBe(true);
  await expect(
    page.locator('script[type="text/plain"][data-src="/vendors/ads-pixel.js"]'),
  ).toHaveCount(1);
  expect((await page.context().cookies()).map((c) => c.name)).not.toContain('_ads_id');
});
