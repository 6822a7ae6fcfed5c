// For each jurisdiction: nothing leaves and nothing is stored before the visitor answers, nor after
// "reject all"; after "accept all", events arrive minimised exactly as the policy's catalog says.
import {
  acceptAll,
  banner,
  browseAndCheckOut,
  collected,
  expect,
  openShop,
  readLocal,
  REGIONS,
  rejectAll,
  settled,
  test,
  VISITOR,
} from './support/shop.js';

/** An address no event declares, smuggled in as `ip`: it must be refused everywhere. */
const SMUGGLED_IP = '203.0.113.9';

/** The cart {@link browseAndCheckOut} fills: SG-101 (3,300 yen) and SG-201 (2,160 yen). */
const ORDER = { value: 5460, items: 2 };

for (const region of REGIONS) {
  test.describe(region, () => {
    test('sends and stores nothing before the visitor answers', async ({ page, traffic }) => {
      await openShop(page, region);
      await expect(banner(page)).toBeVisible();
      await settled(page);
      for (const path of ['/product/SG-101', '/cart', '/checkout', '/account']) {
        await page.goto(path);
        await expect(banner(page)).toBeVisible();
        await settled(page);
      }

      const results = await page.evaluate(
        async (visitor) => [
          await window.consentGate?.track('Product Added', {
            sku: 'SG-101',
            quantity: 1,
            price: 3300,
            currency: 'JPY',
          }),
          await window.consentGate?.track('Checkout Started', {
            value: 3300,
            currency: 'JPY',
            item_count: 1,
            email: visitor.email,
            postal_code: visitor.postalCode,
          }),
        ],
        VISITOR,
      );

      expect(results.map((result) => result?.stored)).toEqual([0, 0]);
      expect(traffic.outbound()).toEqual([]);
      const local = await readLocal(page);
      expect(local.events).toEqual([]);
      expect(local.outbox).toEqual([]);
      expect(local.consent).toEqual([]);
      await expect(page.locator('script[type="text/plain"][data-cg-purpose]')).toHaveCount(2);
    });

    test('sends and stores nothing through browsing and checkout after "reject all"', async ({
      page,
      traffic,
    }) => {
      await openShop(page, region);
      await settled(page);
      await rejectAll(page, region);

      await browseAndCheckOut(page);
      await page.goto('/account');
      await settled(page);
      const result = await page.evaluate(() =>
        window.consentGate?.track('Product Viewed', { sku: 'SG-102', price: 4400 }),
      );

      expect(result?.stored).toBe(0);
      expect(traffic.outbound()).toEqual([]);
      const local = await readLocal(page);
      expect(local.events).toEqual([]);
      expect(local.outbox).toEqual([]);
      expect(local.consent.at(-1)?.purposes).toEqual({
        analytics: false,
        personalization: false,
        marketing: false,
        functional: false,
      });
      await expect(page.locator('script[type="text/plain"][data-cg-purpose]')).toHaveCount(2);
    });

    test('sends events minimised as the policy says after "accept all"', async ({
      page,
      traffic,
      request,
    }) => {
      await openShop(page, region);
      await settled(page);
      await acceptAll(page, region);

      await browseAndCheckOut(page);
      await page.evaluate(
        (ip) => window.consentGate?.track('Product Viewed', { sku: 'SG-102', price: 4400, ip }),
        SMUGGLED_IP,
      );
      await expect
        .poll(() => traffic.messages('collector').some((m) => m.event === 'Order Completed'))
        .toBe(true);
      await expect
        .poll(() => traffic.messages('ads').some((m) => m.event === 'Order Completed'))
        .toBe(true);

      // The collector re-checked every event against the same policy and stored it.
      const anonymousId = traffic.messages('collector').find((m) => m.anonymousId)?.anonymousId;
      expect(anonymousId).toMatch(/^[0-9a-f]{32}$/);
      await expect
        .poll(async () => (await collected(request, anonymousId ?? '')).map((e) => e.name))
        .toEqual(expect.arrayContaining(['Checkout Started', 'Order Completed', 'Page Viewed']));
      const stored = await collected(request, anonymousId ?? '');
      expect(stored.every((e) => e.purpose === 'analytics')).toBe(true);
      expect(stored.find((e) => e.name === 'Checkout Started')?.properties).toEqual({
        value: ORDER.value,
        currency: 'JPY',
        item_count: ORDER.items,
        address: '東京都',
        postal_code: '100',
      });
      expect(stored.find((e) => e.name === 'Order Completed')?.properties).toEqual({
        order_id: expect.stringMatching(/^SG-/) as unknown,
        revenue: ORDER.value,
        currency: 'JPY',
        item_count: ORDER.items,
        postal_code: '100',
      });
      for (const event of stored) expect(Object.keys(event).join()).not.toMatch(/\bip/i);

      // The ads network gets purchase history and a salted hash of the email, nothing else.
      const adsCheckout = traffic.messages('ads').find((m) => m.event === 'Checkout Started');
      expect(adsCheckout?.context.consentgate.purpose).toBe('marketing');
      expect(adsCheckout?.properties).toEqual({
        value: ORDER.value,
        currency: 'JPY',
        item_count: ORDER.items,
        email: expect.stringMatching(/^[0-9a-f]{64}$/) as unknown,
      });

      // Nothing raw left this browser, and nothing of the local-only purposes.
      const sent = traffic.sentText();
      for (const raw of [
        VISITOR.name,
        VISITOR.email,
        VISITOR.email.toLowerCase(),
        VISITOR.phone,
        VISITOR.postalCode,
        '1000001',
        '千代田',
        VISITOR.note,
        SMUGGLED_IP,
      ]) {
        expect(sent).not.toContain(raw);
      }
      const purposes = new Set(
        [...traffic.messages('collector'), ...traffic.messages('ads')].map(
          (m) => m.context.consentgate.purpose,
        ),
      );
      expect([...purposes].sort()).toEqual(['analytics', 'marketing']);

      // What stays on the device is minimised the same way.
      const local = await readLocal(page);
      const localCheckout = local.events.find(
        (e) => e.name === 'Checkout Started' && e.purpose === 'analytics',
      );
      expect(localCheckout?.fields).toMatchObject({ postal_code: '100', address: '東京都' });
      expect(JSON.stringify(local.events)).not.toContain(VISITOR.phone);
    });
  });
}
