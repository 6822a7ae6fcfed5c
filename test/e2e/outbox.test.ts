// Events waiting in the outbox when the page goes away are delivered by the next page load, once,
// under the messageId they were given when tracked.
import type { Route } from '@playwright/test';

import { COLLECTOR_ORIGIN } from './support/env.js';
import {
  acceptAll,
  collected,
  expect,
  openShop,
  readLocal,
  settled,
  test,
} from './support/shop.js';

test('delivers the outbox after a reload, once, with the same messageIds', async ({
  page,
  traffic,
  request,
}) => {
  await openShop(page, 'EU');
  await settled(page);
  await acceptAll(page, 'EU');
  // The collector "hangs": batches leave but never get an answer, until the reload.
  const held: Route[] = [];
  let hanging = true;
  await page.route(`${COLLECTOR_ORIGIN}/v1/batch`, (route) =>
    hanging ? void held.push(route) : route.continue(),
  );
  await page.goto('/product/SG-101');
  await settled(page);
  await expect.poll(() => held.length).toBeGreaterThan(0);
  const waiting = (await readLocal(page)).outbox
    .filter((entry) => entry.destination === 'collector')
    .map((entry) => entry.messageId)
    .sort();
  expect(waiting.length).toBeGreaterThan(0);
  const anonymousId = traffic.messages('collector').find((m) => m.anonymousId)?.anonymousId ?? '';

  // The reload cancels the unanswered request; the next page load finds the outbox.
  hanging = false;
  const since = traffic.mark();
  await page.reload();
  await settled(page);

  await expect
    .poll(async () => (await collected(request, anonymousId)).map((e) => e.messageId))
    .toEqual(expect.arrayContaining(waiting));
  const stored = (await collected(request, anonymousId)).map((e) => e.messageId);
  for (const messageId of waiting) {
    expect(stored.filter((id) => id === messageId)).toHaveLength(1);
    expect(
      traffic.messages('collector', since).filter((m) => m.messageId === messageId),
    ).toHaveLength(1);
  }
  await expect
    .poll(async () =>
      (await readLocal(page)).outbox.filter((entry) => waiting.includes(entry.messageId)),
    )
    .toEqual([]);
});
