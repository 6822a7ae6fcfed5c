// processBatch against the committed policy bundle and a fake store that records every call.
import { readFileSync } from 'node:fs';

import { beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { err, ErrorCode, ConsentGateError, saltedHash } from '@consentgate/core';
import type { CollectDecision, ConsentRecord } from '@consentgate/core';
import { loadPolicy } from '@consentgate/policy';
import type { Policy, PolicyManifest } from '@consentgate/policy';
import type { StoredEvent } from '@consentgate/store';

import { processBatch } from './process-batch.js';
import type { ProcessBatchOptions, TrackedEvent } from './process-batch.js';
import { createFakeStore, receipt, REVISION, SALT, T0 } from './testing.js';
import type { FakeStore } from './testing.js';
import type { BlockedEvent } from './tracker.js';

const dist = new URL('../../../policies/dist/', import.meta.url);

const CHECKOUT: TrackedEvent = {
  type: 'track',
  name: 'Checkout Started',
  at: T0,
  properties: {
    value: 4200,
    currency: 'JPY',
    item_count: 2,
    email: ' Taro@Example.jp',
    phone: '03-1234-5678',
    address: '東京都千代田区千代田1-1',
    postal_code: '100-0001',
  },
};

let policy: Policy;
let fake: FakeStore;
let consent: ConsentRecord | undefined;
let sink: {
  stored: StoredEvent[];
  blocked: [BlockedEvent, readonly string[]][];
  errors: string[];
  queued: number;
  order: string[];
};

beforeAll(async () => {
  policy = await loadPolicy({
    manifest: JSON.parse(readFileSync(new URL('manifest.json', dist), 'utf8')) as PolicyManifest,
    wasm: new Uint8Array(readFileSync(new URL('policy.wasm', dist))),
    data: new Uint8Array(readFileSync(new URL('data.json', dist))),
  });
});

beforeEach(() => {
  fake = createFakeStore();
  consent = undefined;
  sink = { stored: [], blocked: [], errors: [], queued: 0, order: [] };
});

function process(items: readonly TrackedEvent[], overrides: Partial<ProcessBatchOptions> = {}) {
  return processBatch(items, {
    policy,
    store: fake.store,
    consent: { revision: REVISION, receipt: () => consent },
    jurisdiction: 'EU',
    signals: () => ({ gpc: false }),
    now: () => T0,
    salt: SALT,
    destinations: ['collector', 'ads'],
    sink: {
      stored: (record) => {
        sink.order.push('stored');
        sink.stored.push(record);
      },
      blocked: (event, reasons) => {
        sink.order.push(`blocked after ${fake.calls.join(',')}`);
        sink.blocked.push([event, reasons]);
      },
      error: (error: ConsentGateError) => sink.errors.push(error.code),
      queued: () => (sink.queued += 1),
    },
    ...overrides,
  });
}

/** `policy` with every collect record's `anonymous_id` forced to `value`. */
function withAnonymousId(value: boolean): Policy {
  return {
    ...policy,
    egress: (input) => policy.egress(input),
    collect: (input) => {
      const answer = policy.collect(input);
      const records = Object.fromEntries(
        Object.entries(answer.decision.records).map(([k, r]) => [k, { ...r, anonymous_id: value }]),
      );
      const decision: CollectDecision = { ...answer.decision, records };
      return { ...answer, decision };
    },
  };
}

describe(processBatch, () => {
  it('stores one record per allowed purpose and reports the purposes the policy stopped', async () => {
    consent = receipt({ analytics: true, marketing: false });

    const [result] = await process([CHECKOUT]);

    expect(result).toEqual({ stored: 1, reasons: ['marketing:consent-declined'] });
    expect(fake.events.map((e) => e.purpose)).toEqual(['analytics']);
    expect(sink.stored.map((e) => e.purpose)).toEqual(['analytics']);
    expect(sink.blocked).toEqual([
      [
        { name: 'Checkout Started', messageId: fake.events[0]?.messageId, purpose: 'marketing' },
        ['consent-declined'],
      ],
    ]);
    expect(fake.audits).toEqual([
      expect.objectContaining({ kind: 'blocked', purpose: 'marketing' }),
      expect.objectContaining({
        kind: 'allowed',
        purpose: 'analytics',
        eventId: fake.events[0]?.id,
        reasons: expect.arrayContaining([
          'email:field-not-needed',
          'phone:field-not-needed',
        ]) as unknown,
        policyDigest: policy.digest,
      }),
    ]);
  });

  it('minimises each record as the policy says, hashing with the salt', async () => {
    consent = receipt({ analytics: true, marketing: true });

    await process([CHECKOUT]);

    const byPurpose = Object.fromEntries(fake.events.map((e) => [e.purpose, { ...e.fields }]));
    expect(byPurpose.analytics).toEqual({
      value: 4200,
      currency: 'JPY',
      item_count: 2,
      address: '東京都',
      postal_code: '100',
    });
    expect(byPurpose.marketing).toEqual({
      value: 4200,
      currency: 'JPY',
      item_count: 2,
      email: await saltedHash(SALT, 'taro@example.jp'),
    });
  });

  it('stores and queues nothing without consent', async () => {
    const results = await process([CHECKOUT]);

    expect(results).toEqual([
      {
        stored: 0,
        reasons: ['analytics:consent-required', 'marketing:consent-required'],
      },
    ]);
    expect(fake.events).toEqual([]);
    expect(fake.outbox).toEqual([]);
    expect(fake.calls).toEqual(['audit.append']);
    expect(fake.audits).toMatchObject([{ kind: 'blocked', event: 'Checkout Started' }]);
  });

  it('counts a receipt for another notice revision as no consent', async () => {
    consent = { ...receipt({ analytics: true, marketing: true }), revision: 'rev-0' };

    const [result] = await process([CHECKOUT]);

    expect(result?.stored).toBe(0);
    expect(fake.events).toEqual([]);
    expect(fake.outbox).toEqual([]);
  });

  it('stores and queues nothing the policy denies', async () => {
    consent = receipt({ analytics: true, marketing: true, personalization: true });

    const results = await process([
      { type: 'identify', name: 'Identify', at: T0, properties: { userId: 'u-1' } },
    ]);

    expect(results).toEqual([{ stored: 0, reasons: ['unknown-event'] }]);
    expect(fake.events).toEqual([]);
    expect(fake.outbox).toEqual([]);
    expect(sink.blocked).toEqual([
      [{ name: 'Identify', messageId: expect.any(String) as string }, ['unknown-event']],
    ]);
  });

  it('announces a refusal only once its audit entry is written', async () => {
    await process([CHECKOUT]);

    expect(sink.order).toEqual(['blocked after audit.append']);
  });

  it('writes a whole batch in three store calls', async () => {
    consent = receipt({ analytics: true, marketing: true });
    const items = Array.from({ length: 20 }, (_, i) => ({
      ...CHECKOUT,
      properties: { ...CHECKOUT.properties, value: i },
    }));

    const results = await process(items);

    expect(fake.calls).toEqual(['events.put', 'audit.append', 'outbox.enqueue']);
    expect(results.every((r) => r.stored === 2)).toBe(true);
    expect(fake.events).toHaveLength(40);
    expect(sink.queued).toBe(1);
  });

  it('queues each record only for the destinations egress allows, with its collect decision on the visitor id', async () => {
    consent = receipt({ analytics: true, marketing: true });

    await process([CHECKOUT]);

    const purposeOf = (eventId: string) => fake.events.find((e) => e.id === eventId)?.purpose;
    expect(
      fake.outbox.map((e) => [purposeOf(e.eventId), e.destination, e.attachAnonymousId]),
    ).toEqual([
      ['analytics', 'collector', true],
      ['marketing', 'ads', true],
    ]);
  });

  it('records that a purpose may not carry the visitor id when its collect decision says so', async () => {
    consent = receipt({ analytics: true, marketing: true });

    await process([CHECKOUT], { policy: withAnonymousId(false) });

    expect(fake.outbox.map((e) => e.attachAnonymousId)).toEqual([false, false]);
  });

  it('stores nothing under a policy without a verified digest, and cites none', async () => {
    consent = receipt({ analytics: true, marketing: true });

    const [result] = await process([CHECKOUT], {
      policy: { ...withAnonymousId(true), digest: null },
    });

    expect(result).toEqual({ stored: 0, reasons: ['policy-unavailable'] });
    expect(fake.events).toEqual([]);
    expect(fake.outbox).toEqual([]);
    expect(fake.audits).toEqual([
      { kind: 'blocked', event: 'Checkout Started', reasons: ['policy-unavailable'] },
    ]);
  });

  it('refuses the planned records with the store error when the write fails', async () => {
    consent = receipt({ analytics: true, marketing: true });
    const failure = new ConsentGateError(ErrorCode.StoreQuotaExceeded, 'full');
    const store = {
      ...fake.store,
      events: { ...fake.store.events, put: () => Promise.resolve(err(failure)) },
    };

    const [result] = await process([CHECKOUT], { store });

    expect(result).toEqual({ stored: 0, reasons: [ErrorCode.StoreQuotaExceeded] });
    expect(sink.errors).toEqual([ErrorCode.StoreQuotaExceeded]);
    expect(fake.outbox).toEqual([]);
  });
});
