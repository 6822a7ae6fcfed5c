// The collector enforces the same policy: a tampered client cannot smuggle data past a receipt.
import { COLLECTOR_ORIGIN } from './support/env.js';
import {
  collected,
  expect,
  openShop,
  readLocal,
  rejectAll,
  settled,
  test,
} from './support/shop.js';

interface Receipt {
  readonly id: string;
  readonly policy_digest: string;
}

test('rejects a forged batch claiming consent its receipt does not show', async ({
  page,
  request,
}) => {
  await openShop(page, 'EU');
  await settled(page);
  await rejectAll(page, 'EU');
  const receipt = (await readLocal(page)).consent.at(-1) as unknown as Receipt;
  const forged = (messageId: string, receiptId: string) => ({
    type: 'track',
    event: 'Product Viewed',
    properties: { sku: 'SG-101', price: 3300, currency: 'JPY' },
    messageId,
    timestamp: new Date().toISOString(),
    anonymousId: 'forged-visitor',
    context: {
      consentgate: { purpose: 'analytics', policyDigest: receipt.policy_digest, receiptId },
    },
  });
  const body = {
    sentAt: new Date().toISOString(),
    receipt,
    batch: [forged('forged-declined', receipt.id), forged('forged-other-receipt', 'rcpt-other')],
  };

  // Sent from the page, as a tampered SDK would: same origin, same receipt.
  const answer = await page.evaluate(
    async ({ url, payload }) => {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'text/plain;charset=UTF-8' },
        body: JSON.stringify(payload),
      });
      return { status: response.status, json: (await response.json()) as unknown };
    },
    { url: `${COLLECTOR_ORIGIN}/v1/batch`, payload: body },
  );

  expect(answer.status).toBe(200);
  expect(answer.json).toMatchObject({
    accepted: 0,
    rejected: [
      {
        messageId: 'forged-declined',
        reasons: expect.arrayContaining(['egress-denied:consent-declined']) as unknown,
      },
      {
        messageId: 'forged-other-receipt',
        reasons: expect.arrayContaining(['receipt-mismatch']) as unknown,
      },
    ],
  });
  expect(await collected(request, 'forged-visitor')).toEqual([]);
});
