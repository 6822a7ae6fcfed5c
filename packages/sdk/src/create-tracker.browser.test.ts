// The tracker in real Chromium: the committed policy bundle, real IndexedDB, real HTTP to a fake
// collector that counts every request. Privacy claims are asserted as exact counts, zero included.
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';

import type { ConsentRecord } from '@consentgate/core';
import { loadPolicy } from '@consentgate/policy';
import type { Policy } from '@consentgate/policy';
import { openStore } from '@consentgate/store';
import type { Store } from '@consentgate/store';

import { FAKE_COLLECTOR } from '../../../test/support/fake-collector.js';
import type { FakeAnswer, FakeRequest } from '../../../test/support/fake-collector.js';
import { createTracker } from './create-tracker.js';
import type { Tracker, TrackerOptions } from './tracker.js';
import type { OutgoingMessage } from './sender.js';

const SALT = 'a-test-salt-of-some-length';
const CHECKOUT = {
  value: 4200,
  currency: 'JPY',
  item_count: 2,
  name: '山田 太郎',
  email: 'Taro@Example.jp',
  phone: '03-1234-5678',
  address: '東京都千代田区千代田1-1',
  postal_code: '100-0001',
  note: 'please ring twice',
};

interface Envelope {
  readonly batch: OutgoingMessage[];
  readonly sentAt: string;
  readonly receipt: ConsentRecord;
}

let policy: Promise<Policy> | undefined;
const cleanups: (() => void)[] = [];

afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

async function requestsOf(inbox: string): Promise<FakeRequest[]> {
  return (await fetch(`${FAKE_COLLECTOR}${inbox}/requests`).then((r) => r.json())) as FakeRequest[];
}

async function setup({ adsUrl, ...overrides }: Partial<TrackerOptions> & { adsUrl?: string } = {}) {
  const inbox = `t${Math.random().toString(36).slice(2)}`;
  policy ??= loadPolicy('/policies/dist/manifest.json');
  const opened = await openStore(`sdk-${inbox}`, { sweepIntervalMs: 0 });
  if (!opened.ok) throw opened.error;
  const store: Store = opened.value;
  const tracker = createTracker({
    policy: await policy,
    store,
    salt: SALT,
    jurisdiction: 'EU',
    destinations: {
      collector: {
        url: `${FAKE_COLLECTOR}${inbox}/v1/batch`,
        eraseUrl: `${FAKE_COLLECTOR}${inbox}/v1/erase`,
      },
      ...(adsUrl ? { ads: { url: adsUrl } } : {}),
    },
    flushIntervalMs: 0,
    activateTags: false,
    random: () => 0,
    ...overrides,
  });
  await tracker.ready;
  cleanups.push(() => {
    tracker.destroy();
    store.close();
  });
  const requests = () => requestsOf(inbox);
  const program = (answers: FakeAnswer[]) =>
    fetch(`${FAKE_COLLECTOR}${inbox}/program`, { method: 'POST', body: JSON.stringify(answers) });
  const messages = async () => (await requests()).flatMap((r) => (r.body as Envelope).batch);
  const stored = async () => {
    const listed = await store.events.list();
    if (!listed.ok) throw listed.error;
    return listed.value;
  };
  const erasures = async () =>
    (await fetch(`${FAKE_COLLECTOR}${inbox}/erasures`).then((r) => r.json())) as unknown[];
  return { tracker, store, requests, messages, program, stored, erasures, inbox };
}

async function browseAndCheckout(tracker: Tracker) {
  await tracker.page({ path: '/products/a1', title: 'Tea cup' });
  await tracker.track('Product Viewed', {
    sku: 'A1',
    name: 'Tea cup',
    price: 1200,
    currency: 'JPY',
  });
  await tracker.track('Product Added', { sku: 'A1', quantity: 2, price: 1200, currency: 'JPY' });
  await tracker.track('Checkout Started', CHECKOUT);
  await tracker.track('Order Completed', {
    order_id: 'o-1',
    revenue: 2400,
    currency: 'JPY',
    email: CHECKOUT.email,
  });
}

describe(createTracker, () => {
  for (const jurisdiction of ['EU', 'US-CA', 'JP', 'BR']) {
    it(`stores and sends nothing before the visitor answers (${jurisdiction})`, async () => {
      const { tracker, requests, stored, store } = await setup({ jurisdiction });

      await browseAndCheckout(tracker);
      await tracker.flush();

      expect(await stored()).toHaveLength(0);
      expect(await store.outbox.due()).toEqual({ ok: true, value: [] });
      expect(await requests()).toHaveLength(0);
    });
  }

  it('stores and sends nothing after reject-all', async () => {
    const { tracker, requests, stored } = await setup({ jurisdiction: 'US-CA' });

    await tracker.setConsent({}, { method: 'banner' });
    await browseAndCheckout(tracker);
    await tracker.flush();

    expect(await stored()).toHaveLength(0);
    expect(await requests()).toHaveLength(0);
  });

  it('sends analytics minimised exactly as the policy says, with the receipt that covers it', async () => {
    const { tracker, messages, requests } = await setup({ jurisdiction: 'JP' });
    const receipt = await tracker.setConsent({ analytics: true }, { method: 'banner' });

    await tracker.track('Checkout Started', CHECKOUT);
    await tracker.flush();

    const sent = await messages();
    expect(sent).toHaveLength(1);
    expect(sent[0]?.event).toBe('Checkout Started');
    expect(sent[0]?.properties).toEqual({
      value: 4200,
      currency: 'JPY',
      item_count: 2,
      address: '東京都',
      postal_code: '100',
    });
    expect(JSON.stringify(sent)).not.toContain('Example.jp');
    expect(JSON.stringify(sent)).not.toContain('03-1234');
    expect(sent[0]?.context.consentgate.purpose).toBe('analytics');
    expect(sent[0]?.anonymousId).toMatch(/^[0-9a-f]{32}$/);
    const [request] = await requests();
    expect(request?.contentType).toContain('text/plain');
    expect((request?.body as Envelope).receipt.id).toBe(receipt.ok ? receipt.value.id : '');
  });

  it('keeps marketing data on the device when only analytics is consented', async () => {
    const { tracker, stored, messages } = await setup({
      destinations: {
        collector: { url: `${FAKE_COLLECTOR}unused/v1/batch` },
      },
    });
    await tracker.setConsent({ analytics: true });

    await tracker.track('Order Completed', { order_id: 'o-1', revenue: 10, email: 'a@b.c' });

    expect((await stored()).map((r) => r.purpose)).toEqual(['analytics']);
    expect((await stored())[0]?.fields).toEqual({ order_id: 'o-1', revenue: 10 });
    expect(await messages()).toHaveLength(0);
  });

  it('deletes a withdrawn purpose at once and never sends it afterwards', async () => {
    const { tracker, stored, requests } = await setup();
    await tracker.setConsent({ analytics: true, personalization: true });
    await tracker.track('Product Viewed', { sku: 'A1' });
    expect((await stored()).map((r) => r.purpose).sort()).toEqual(['analytics', 'personalization']);

    await tracker.withdraw('analytics');
    await tracker.track('Product Viewed', { sku: 'A2' });
    await tracker.flush();

    expect((await stored()).map((r) => r.purpose)).toEqual(['personalization', 'personalization']);
    expect(await requests()).toHaveLength(0);
    expect(tracker.granted('analytics')).toBe(false);
  });

  it('aborts an in-flight send when its purpose is withdrawn and sends nothing of it afterwards', async () => {
    const { tracker, requests, program } = await setup();
    await tracker.setConsent({ analytics: true });
    await program([{ delayMs: 2_000 }]);
    await tracker.track('Product Viewed', { sku: 'A1' });

    const flushing = tracker.flush();
    await waitFor(async () => (await requests()).length === 1);
    await tracker.withdraw('analytics');
    await flushing;
    await tracker.track('Product Viewed', { sku: 'A2' });
    await tracker.flush();

    const all = await requests();
    expect(all).toHaveLength(1);
    expect(all[0]?.completed).toBe(false);
  });

  it('retries after a failure and delivers each messageId once', async () => {
    let now = Date.now();
    const { tracker, requests, program, store } = await setup({ now: () => now });
    await tracker.setConsent({ analytics: true });
    await program([{ status: 503, headers: { 'Retry-After': '1' } }]);
    await tracker.track('Product Viewed', { sku: 'A1' });
    await tracker.track('Product Viewed', { sku: 'A2' });

    const first = await tracker.flush();
    const early = await tracker.flush();
    now += 2_000;
    const second = await tracker.flush();

    expect(first).toMatchObject({ sent: 0, retried: 2 });
    expect(early.sent).toBe(0);
    expect(second.sent).toBe(2);
    const ids = (await requests()).map((r) => (r.body as Envelope).batch.map((m) => m.messageId));
    expect(ids).toHaveLength(2);
    expect(ids[0]).toEqual(ids[1]);
    expect((await store.outbox.due()).ok && (await store.outbox.due())).toMatchObject({
      value: [],
    });
  });

  it('attaches the visitor id to messages another tracker instance queued before a reload', async () => {
    const first = await setup({ jurisdiction: 'JP' });
    await first.tracker.setConsent({ analytics: true });
    await first.program([{ status: 503 }]);
    await first.tracker.track('Product Viewed', { sku: 'A1' });
    await first.tracker.flush();
    first.tracker.destroy();

    const reloaded = createTracker({
      policy: await loadPolicy('/policies/dist/manifest.json'),
      store: first.store,
      salt: SALT,
      jurisdiction: 'JP',
      destinations: { collector: { url: `${FAKE_COLLECTOR}${first.inbox}/v1/batch` } },
      flushIntervalMs: 0,
      activateTags: false,
      now: () => Date.now() + 3_600_000,
    });
    cleanups.push(() => reloaded.destroy());
    const report = await reloaded.flush();

    const sent = await first.messages();
    expect(report.sent).toBe(1);
    expect(sent).toHaveLength(2);
    expect(sent[1]?.messageId).toBe(sent[0]?.messageId);
    expect(sent[1]?.anonymousId).toMatch(/^[0-9a-f]{32}$/);
    expect(sent[1]?.anonymousId).toBe(sent[0]?.anonymousId);
  });

  it('does not retry a batch the collector refuses with 400', async () => {
    const { tracker, requests, program, store } = await setup();
    await tracker.setConsent({ analytics: true });
    await program([{ status: 400 }]);
    await tracker.track('Product Viewed', { sku: 'A1' });

    const report = await tracker.flush();
    await tracker.flush();

    expect(report.dropped).toBe(1);
    expect(await requests()).toHaveLength(1);
    const audit = await store.audit.list({ kind: 'blocked' });
    expect(audit.ok && audit.value.some((a) => a.reasons.includes('http-400'))).toBe(true);
  });

  it('keeps events while offline and delivers them once when back online', async () => {
    let online = true;
    const { tracker, messages, store } = await setup({
      fetch: (input, init) =>
        online ? fetch(input, init) : Promise.reject(new TypeError('Failed to fetch')),
      now: () => Date.now() + (online ? 3_600_000 : 0),
    });
    await tracker.setConsent({ analytics: true });
    online = false;
    await tracker.track('Product Viewed', { sku: 'A1' });

    const offline = await tracker.flush();
    online = true;
    const back = await tracker.flush();
    await tracker.flush();

    expect(offline.retried).toBe(1);
    expect(back.sent).toBe(1);
    expect((await messages()).map((m) => m.properties.sku)).toEqual(['A1']);
    expect(await store.outbox.due()).toEqual({ ok: true, value: [] });
  });

  it('lets only one tab send at a time', async () => {
    const a = await setup();
    const b = createTracker({
      policy: await loadPolicy('/policies/dist/manifest.json'),
      store: a.store,
      salt: SALT,
      jurisdiction: 'EU',
      destinations: { collector: { url: `${FAKE_COLLECTOR}unused/v1/batch` } },
      flushIntervalMs: 0,
      activateTags: false,
    });
    cleanups.push(() => b.destroy());
    await a.tracker.setConsent({ analytics: true });
    await a.program([{ delayMs: 300 }]);
    for (let i = 0; i < 5; i += 1) await a.tracker.track('Product Viewed', { sku: `A${i}` });

    const [first, second] = await Promise.all([a.tracker.flush(), b.flush()]);

    expect([first.ran, second.ran].sort()).toEqual([false, true]);
    expect(await a.messages()).toHaveLength(5);
  });

  it('deletes the cookies a purpose declared when it is withdrawn', async () => {
    document.cookie = '_ads_id=abc; path=/';
    document.cookie = '_keep=1; path=/';
    const { tracker } = await setup({ jurisdiction: 'US-CA', cookies: { marketing: ['_ads_id'] } });
    await tracker.setConsent({ analytics: true, marketing: true });

    await tracker.withdraw('marketing');

    expect(document.cookie).not.toContain('_ads_id');
    expect(document.cookie).toContain('_keep=1');
    document.cookie = '_keep=; Max-Age=0; path=/';
  });

  it('hears consent given in another tab', async () => {
    const first = await setup();
    const name = `sdk-shared-${Math.random().toString(36).slice(2)}`;
    const [a, b] = await Promise.all([openStore(name), openStore(name)]);
    if (!a.ok || !b.ok) throw new Error('store');
    const policyA = await loadPolicy('/policies/dist/manifest.json');
    const tabA = createTracker({
      policy: policyA,
      store: a.value,
      salt: SALT,
      jurisdiction: 'EU',
      flushIntervalMs: 0,
      activateTags: false,
    });
    const tabB = createTracker({
      policy: policyA,
      store: b.value,
      salt: SALT,
      jurisdiction: 'EU',
      flushIntervalMs: 0,
      activateTags: false,
    });
    cleanups.push(() => {
      tabA.destroy();
      tabB.destroy();
      a.value.close();
      b.value.close();
    });
    await Promise.all([tabA.ready, tabB.ready]);
    const heard = new Promise<unknown>((resolve) => tabB.on('consent:updated', resolve));

    await tabA.setConsent({ analytics: true });
    await heard;

    expect(tabB.granted('analytics')).toBe(true);
    expect(tabB.getConsent()?.id).toBe(tabA.getConsent()?.id);
    expect(first.tracker.granted('analytics')).toBe(false);
  });

  it('erases the collector copy and everything on the device', async () => {
    const { tracker, stored, erasures, messages, store } = await setup();
    await tracker.setConsent({ analytics: true });
    await tracker.track('Product Viewed', { sku: 'A1' });
    await tracker.flush();
    const [sent] = await messages();

    const result = await tracker.erase();

    expect(result).toEqual({
      ok: true,
      value: { remote: [{ destination: 'collector', ok: true, status: 200 }] },
    });
    expect(await erasures()).toEqual([
      { anonymousId: sent?.anonymousId, receiptIds: [sent?.context.consentgate.receiptId] },
    ]);
    expect(await stored()).toEqual([]);
    expect(await store.consent.history()).toEqual({ ok: true, value: [] });
    expect(tracker.getConsent()).toBeUndefined();
    expect(tracker.granted('analytics')).toBe(false);
  });

  it('never throws or rejects on hostile input', async () => {
    const { tracker, stored } = await setup();
    await tracker.setConsent({ analytics: true });
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const calls = [
      tracker.track(undefined as unknown as string),
      tracker.track('Product Viewed', cyclic),
      tracker.track(
        'Product Viewed',
        JSON.parse('{"__proto__":{"x":1},"sku":"A1"}') as Record<string, unknown>,
      ),
      tracker.track('x'.repeat(500)),
      tracker.track('Product Viewed', { sku: () => 1 }),
      tracker.identify(42 as unknown as string, 'traits' as unknown as Record<string, unknown>),
      tracker.setConsent(null as unknown as Record<string, boolean>),
    ];

    const results = await Promise.allSettled(calls);

    expect(results.every((r) => r.status === 'fulfilled')).toBe(true);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
    expect(await stored()).toEqual([]);
  });

  it('sends only fields the egress decision allowed, for purposes consented at send time', async () => {
    const events = {
      'Product Viewed': { sku: 'A1', name: 'Cup', price: 1200, currency: 'JPY', ip: '203.0.113.9' },
      'Checkout Started': CHECKOUT,
      'Page Engagement': { path: '/p', dwell_ms: 5000, scroll_depth: 40 },
      'Order Completed': { order_id: 'o', revenue: 1, email: 'a@b.c', postal_code: '100-0001' },
    } as const;
    const names = Object.keys(events) as (keyof typeof events)[];
    const action = fc.oneof(
      fc.record({ kind: fc.constant('track' as const), name: fc.constantFrom(...names) }),
      fc.record({
        kind: fc.constant('consent' as const),
        analytics: fc.boolean(),
        marketing: fc.boolean(),
      }),
      fc.record({ kind: fc.constant('flush' as const) }),
    );
    const loaded = await (policy ??= loadPolicy('/policies/dist/manifest.json'));
    let checked = 0;

    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('EU', 'US-CA', 'JP'),
        fc.array(action, { minLength: 3, maxLength: 12 }),
        async (jurisdiction, actions) => {
          const adsInbox = `ads${Math.random().toString(36).slice(2)}`;
          const session = await setup({
            jurisdiction,
            adsUrl: `${FAKE_COLLECTOR}${adsInbox}/v1/batch`,
          });
          for (const step of actions) {
            if (step.kind === 'track') await session.tracker.track(step.name, events[step.name]);
            else if (step.kind === 'consent')
              await session.tracker.setConsent({
                analytics: step.analytics,
                marketing: step.marketing,
              });
            else await session.tracker.flush();
          }
          await session.tracker.flush();
          const received = [
            ...(await session.requests()).map((r) => ({ destination: 'collector', r })),
            ...(await requestsOf(adsInbox)).map((r) => ({ destination: 'ads', r })),
          ];
          for (const { destination, r: request } of received) {
            const envelope = request.body as Envelope;
            for (const message of envelope.batch) {
              const { decision } = loaded.egress({
                now: Date.now(),
                jurisdiction,
                signals: envelope.receipt.signals,
                consent: {
                  revision: envelope.receipt.revision,
                  purposes: envelope.receipt.purposes,
                },
                destination,
                event: {
                  name: message.event,
                  purpose: message.context.consentgate.purpose,
                  keys: Object.keys(message.properties),
                },
              });
              expect(decision.allow).toBe(true);
              expect(
                Object.keys(message.properties).every((k) => decision.fields.includes(k)),
              ).toBe(true);
              expect(envelope.receipt.purposes[message.context.consentgate.purpose]).not.toBe(
                false,
              );
              checked += 1;
            }
          }
          for (const cleanup of cleanups.splice(0)) cleanup();
        },
      ),
      { numRuns: 12, seed: 20261127 },
    );
    // The property is only meaningful if sessions actually sent something.
    expect(checked).toBeGreaterThan(0);
  });
});

async function waitFor(condition: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i += 1) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('condition not met');
}
