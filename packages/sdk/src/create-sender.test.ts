// The sender against the committed policy bundle, a fake store and a fake fetch that counts every
// request. Privacy claims are exact counts, zero included.
import { readFileSync } from 'node:fs';

import { beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { anonymousId, ErrorCode, MAX_BATCH_BYTES } from '@consentgate/core';
import type { ConsentGateError, ConsentRecord, WireBatch } from '@consentgate/core';
import { loadPolicy } from '@consentgate/policy';
import type { Policy, PolicyManifest } from '@consentgate/policy';
import type { DueMessage } from '@consentgate/store';

import { createSender } from './create-sender.js';
import type { SenderOptions, SentMessage } from './sender.js';
import { createFakeStore, receipt, REVISION, SALT, T0 } from './testing.js';
import type { FakeStore } from './testing.js';

const dist = new URL('../../../policies/dist/', import.meta.url);
const COLLECTOR = 'https://collect.shop.example/v1/batch';
const ADS = 'https://ads.example/v1/batch';

let policy: Policy;

beforeAll(async () => {
  policy = await loadPolicy({
    manifest: JSON.parse(readFileSync(new URL('manifest.json', dist), 'utf8')) as PolicyManifest,
    wasm: new Uint8Array(readFileSync(new URL('policy.wasm', dist))),
    data: new Uint8Array(readFileSync(new URL('data.json', dist))),
  });
});

interface Request {
  readonly url: string;
  readonly body: WireBatch;
  readonly bytes: number;
}

let fake: FakeStore;
let clock: number;
let consent: ConsentRecord | undefined;
let online: boolean;
let answers: (Response | Error)[];
let requests: Request[];
let sink: { sent: SentMessage[]; blocked: [DueMessage, readonly string[]][]; errors: string[] };

beforeEach(() => {
  clock = T0;
  fake = createFakeStore(() => clock);
  consent = receipt({ analytics: true, marketing: true });
  fake.receipts.push(consent);
  online = true;
  answers = [];
  requests = [];
  sink = { sent: [], blocked: [], errors: [] };
});

function sender(overrides: Partial<SenderOptions> = {}) {
  return createSender({
    policy,
    store: fake.store,
    consent: { revision: REVISION, reload: () => Promise.resolve(consent) },
    salt: SALT,
    jurisdiction: 'EU',
    signals: () => ({ gpc: false }),
    destinations: { collector: { url: COLLECTOR }, ads: { url: ADS } },
    fetch: (input, init) => {
      const text = typeof init?.body === 'string' ? init.body : '';
      requests.push({
        url: input instanceof Request ? input.url : input.toString(),
        body: JSON.parse(text) as WireBatch,
        bytes: new TextEncoder().encode(text).length,
      });
      const next = answers.shift() ?? Response.json({ accepted: 1 });
      return next instanceof Error ? Promise.reject(next) : Promise.resolve(next);
    },
    now: () => clock,
    random: () => 0.5,
    maxAttempts: 5,
    batchLimit: 200,
    lockName: 'consentgate:sender:test',
    isHidden: () => false,
    isOnline: () => online,
    library: { name: '@consentgate/sdk', version: '0.0.0' },
    sink: {
      sent: (message) => sink.sent.push(message),
      blocked: (message, reasons) => sink.blocked.push([message, reasons]),
      error: (error: ConsentGateError) => sink.errors.push(error.code),
    },
    ...overrides,
  });
}

describe(createSender, () => {
  it('sends nothing when there is no consent', async () => {
    consent = undefined;
    fake.seed({});

    const report = await sender().flush();

    expect(requests).toHaveLength(0);
    expect(report).toEqual({ ran: true, sent: 0, blocked: 1, retried: 0, dropped: 0 });
    expect(fake.outbox).toEqual([]);
    expect(fake.audits).toMatchObject([{ kind: 'blocked', reasons: ['consent-required'] }]);
  });

  it('sends nothing of a purpose after it is withdrawn', async () => {
    const send = sender();
    fake.seed({});
    await send.flush();
    expect(requests).toHaveLength(1);

    consent = receipt({ analytics: false, marketing: true }, 'receipt-2');
    fake.seed({});
    const report = await send.flush();

    expect(requests).toHaveLength(1);
    expect(report.blocked).toBe(1);
    expect(sink.blocked[0]?.[1]).not.toHaveLength(0);
    expect(fake.outbox).toEqual([]);
  });

  it('sends nothing the egress decision denies', async () => {
    // The catalog sends analytics to the first-party collector only.
    fake.seed({}, { destination: 'ads' });

    const report = await sender().flush();

    expect(requests).toHaveLength(0);
    expect(report.blocked).toBe(1);
    expect(sink.blocked.map(([, reasons]) => reasons)).toEqual([['purpose-not-for-destination']]);
    expect(fake.audits).toMatchObject([
      { kind: 'blocked', destination: 'ads', reasons: ['purpose-not-for-destination'] },
    ]);
  });

  it('posts a due message once, with only the allowed fields, the receipt and the id it may carry', async () => {
    const fields = { value: 4200, currency: 'JPY', postal_code: '100', email: 'e0f1…' };
    const withId = fake.seed({ fields }, { attachAnonymousId: true });
    const withoutId = fake.seed({ fields }, { attachAnonymousId: false });
    const send = sender();

    const report = await send.flush();
    await send.flush();

    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request?.url).toBe(COLLECTOR);
    expect(request?.body.receipt).toEqual(consent);
    const [first, second] = request?.body.batch ?? [];
    expect(first?.messageId).toBe(withId.entry.messageId);
    expect(first?.properties).toEqual({ value: 4200, currency: 'JPY', postal_code: '100' });
    expect(first?.anonymousId).toBe(await anonymousId(SALT, 'receipt-1'));
    expect(first?.context.consentgate).toEqual({
      purpose: 'analytics',
      policyDigest: withId.event.policyDigest,
      receiptId: 'receipt-1',
    });
    expect(second?.messageId).toBe(withoutId.entry.messageId);
    expect(second).not.toHaveProperty('anonymousId');
    expect(report).toEqual({ ran: true, sent: 2, blocked: 0, retried: 0, dropped: 0 });
    expect(sink.sent.map((m) => m.fields)).toEqual([
      ['currency', 'postal_code', 'value'],
      ['currency', 'postal_code', 'value'],
    ]);
    expect(fake.outbox).toEqual([]);
  });

  it('splits what is due into batches of at most 64 KiB', async () => {
    for (let i = 0; i < 5; i += 1) fake.seed({ fields: { currency: 'x'.repeat(20_000) } });

    const report = await sender().flush();

    expect(requests.length).toBeGreaterThan(1);
    expect(requests.every((r) => r.bytes <= MAX_BATCH_BYTES)).toBe(true);
    expect(requests.flatMap((r) => r.body.batch)).toHaveLength(5);
    expect(report.sent).toBe(5);
  });

  it('retries a 5xx answer later with backoff', async () => {
    const { entry } = fake.seed({});
    answers.push(new Response(null, { status: 503 }));
    const send = sender();

    const first = await send.flush();
    const early = await send.flush();

    expect(first).toMatchObject({ sent: 0, retried: 1, dropped: 0 });
    expect(early.sent).toBe(0);
    expect(requests).toHaveLength(1);
    // random() = 0.5 of a 1 s first backoff.
    expect(fake.outbox).toMatchObject([{ id: entry.id, attempts: 1, nextAttemptAt: T0 + 500 }]);
    expect(sink.errors).toEqual([ErrorCode.TransportHttpError]);

    clock += 500;
    const later = await send.flush();

    expect(later.sent).toBe(1);
    expect(requests.map((r) => r.body.batch[0]?.messageId)).toEqual([
      entry.messageId,
      entry.messageId,
    ]);
  });

  it('drops and audits a batch refused with a 4xx other than 408 and 429', async () => {
    fake.seed({});
    answers.push(new Response(null, { status: 400 }));
    const send = sender();

    const report = await send.flush();
    await send.flush();

    expect(report).toMatchObject({ sent: 0, retried: 0, dropped: 1 });
    expect(requests).toHaveLength(1);
    expect(fake.outbox).toEqual([]);
    expect(fake.audits).toMatchObject([{ kind: 'blocked', reasons: ['http-400'] }]);
  });

  it.each([408, 429])('retries a batch answered with %i', async (status) => {
    fake.seed({});
    answers.push(new Response(null, { status }));

    const report = await sender().flush();

    expect(report).toMatchObject({ retried: 1, dropped: 0 });
    expect(fake.outbox).toMatchObject([{ attempts: 1 }]);
  });

  it('sends nothing while offline and reports it once', async () => {
    online = false;
    fake.seed({});
    const send = sender();

    const first = await send.flush();
    await send.flush();

    expect(first.ran).toBe(false);
    expect(requests).toHaveLength(0);
    expect(sink.errors).toEqual([ErrorCode.TransportOffline]);
    expect(fake.outbox).toHaveLength(1);
  });

  it('drops and audits the messages a collector lists as rejected', async () => {
    const refused = fake.seed({});
    const accepted = fake.seed({});
    answers.push(
      Response.json({
        accepted: 1,
        rejected: [{ messageId: refused.entry.messageId, reasons: ['consent-declined'] }],
      }),
    );

    const report = await sender().flush();

    expect(report).toMatchObject({ sent: 1, blocked: 1 });
    expect(sink.sent.map((m) => m.messageId)).toEqual([accepted.entry.messageId]);
    expect(fake.outbox).toEqual([]);
    expect(fake.audits).toEqual([
      expect.objectContaining({ kind: 'sent', eventId: accepted.event.id }),
      expect.objectContaining({
        kind: 'blocked',
        eventId: refused.event.id,
        reasons: ['collector:consent-declined'],
        policyDigest: policy.digest,
      }),
    ]);
  });
});
