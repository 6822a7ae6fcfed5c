// "Delete everything" in the privacy centre: the device's data is gone and the collector deleted
// its copy for this visitor.
import { COLLECTOR_ORIGIN } from './support/env.js';
import {
  acceptAll,
  collected,
  expect,
  JA,
  openShop,
  readLocal,
  settled,
  test,
} from './support/shop.js';

test('erases the local data and the collector’s copy', async ({ page, traffic, request }) => {
  await openShop(page, 'EU');
  await settled(page);
  await acceptAll(page, 'EU');
  await page.goto('/product/SG-101');
  await settled(page);
  await expect
    .poll(() => traffic.messages('collector').find((m) => m.anonymousId)?.anonymousId ?? '')
    .not.toBe('');
  const anonymousId = traffic.messages('collector').find((m) => m.anonymousId)?.anonymousId ?? '';
  await expect.poll(async () => (await collected(request, anonymousId)).length).toBeGreaterThan(0);
  await page.goto('/account');
  await settled(page);

  await page.getByTestId('open-privacy-centre').click();
  const erased = page.waitForResponse(`${COLLECTOR_ORIGIN}/v1/erase`);
  await page
    .getByRole('dialog', { name: JA.myData })
    .getByRole('button', { name: JA.eraseAll })
    .click();

  expect((await erased).status()).toBe(200);
  await expect
    .poll(async () => {
      const local = await readLocal(page);
      return local.events.length + local.outbox.length + local.consent.length;
    })
    .toBe(0);
  expect(await collected(request, anonymousId)).toEqual([]);
});
