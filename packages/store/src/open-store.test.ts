import 'fake-indexeddb/auto';

import { IDBFactory } from 'fake-indexeddb';
import { openDB } from 'idb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { ErrorCode, isConsentGateError, sha256Hex } from '@consentgate/core';
import type { Result } from '@consentgate/core';

import type { StoreMode } from './backend.js';
import { canonicalJson } from './canonical-json.js';
import { DB_VERSION } from './schema.js';
import type { StoreSchema } from './schema.js';
import { openStore } from './open-store.js';
import type { Store, StoreEvents, StoreOptions } from './store.js';
import { DAY, DIGEST, T0, createClock, eventInput, receiptInput } from './testing.js';
import type { TestClock } from './testing.js';

const MODES: readonly StoreMode[] = ['indexeddb', 'memory'];

let clock: TestClock;
let stores: Store[];

beforeEach(() => {
  clock = createClock();
  stores = [];
});

afterEach(() => {
  for (const store of stores) store.close();
});

function value<T>(result: Result<T>): T {
  if (!result.ok) throw result.error;
  return result.value;
}

async function open(mode: StoreMode, options: StoreOptions = {}): Promise<Store> {
  const store = value(
    await openStore('consentgate', {
      indexedDB: mode === 'indexeddb' ? new IDBFactory() : null,
      now: clock.now,
      sweepIntervalMs: 0,
      ...options,
    }),
  );
  stores.push(store);
  return store;
}

/** Collects what a store emits under `name`. */
function record<Name extends keyof StoreEvents>(store: Store, name: Name): StoreEvents[Name][] {
  const seen: StoreEvents[Name][] = [];
  store.on(name, (...args) => seen.push(args));
  return seen;
}

/** Returns what `fn` throws, or `undefined` when it returns. */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe(openStore, () => {
  it('opens IndexedDB when it is available', async () => {
    const store = await open('indexeddb');

    expect(store.mode).toBe('indexeddb');
    expect(store.fallback).toBeUndefined();
  });

  it('throws on a missing name or an invalid option', () => {
    expect(() => openStore('')).toThrow(/name/);
    expect(() => openStore('x', { sweepBatchSize: 0 })).toThrow(/sweepBatchSize/);
    expect(() => openStore('x', { now: 5 as unknown as () => number })).toThrow(/now/);
    expect(() => openStore('x', { encryptCategories: 'user' as unknown as string[] })).toThrow(
      /encryptCategories/,
    );
  });

  it('throws sdk/invalid-options for an invalid option', () => {
    const error = thrown(() => openStore('x', { maxRetries: -1 }));

    expect(isConsentGateError(error) && error.code).toBe(ErrorCode.SdkInvalidOptions);
  });

  it('reads an outbox entry stored before attachAnonymousId existed as not allowed', async () => {
    const factory = new IDBFactory();
    const store = await open('indexeddb', { indexedDB: factory });
    const { stored } = value(await store.events.put([eventInput({ id: 'e1' })]));
    const [entry] = value(
      await store.outbox.enqueue([
        { event: stored[0]!, destination: 'collector', attachAnonymousId: true }, // stored above
      ]),
    );
    globalThis.indexedDB = factory;
    const db = await openDB<StoreSchema>('consentgate', DB_VERSION);
    const key: [string, number, string] = [entry!.purpose, entry!.expiresAt, entry!.id]; // enqueued above
    const { attachAnonymousId, ...legacy } = (await db.get('outbox', key))!; // enqueued above
    await db.put('outbox', legacy);
    const rewritten = await db.get('outbox', key);
    db.close();

    const due = value(await store.outbox.due());
    const attempted = value(await store.outbox.markAttempt(entry!, T0));

    expect(attachAnonymousId).toBe(true);
    expect(rewritten).not.toHaveProperty('attachAnonymousId');
    expect(due.map((message) => message.entry.attachAnonymousId)).toEqual([false]);
    expect(attempted?.attachAnonymousId).toBe(false);
  });

  it('keeps one chain when two stores on one database append at once', async () => {
    const factory = new IDBFactory();
    const [left, right] = await Promise.all([
      open('indexeddb', { indexedDB: factory }),
      open('indexeddb', { indexedDB: factory }),
    ]);

    // No Web Locks in Node: only the compare-and-swap keeps these two from forking the chain.
    const results = await Promise.all(
      [1, 2, 3].flatMap((n) => [
        left.consent.append({ ...receiptInput(), given_at: n }),
        right.consent.append({ ...receiptInput(), given_at: -n }),
      ]),
    );

    expect(results.every((result) => result.ok)).toBe(true);
    expect(value(await left.consent.verifyChain())).toEqual({ intact: true, length: 6 });
  });

  it('detects a receipt rewritten behind its back', async () => {
    const factory = new IDBFactory();
    const store = await open('indexeddb', { indexedDB: factory });
    await store.consent.append(receiptInput());
    await store.consent.append(receiptInput({ marketing: false }));
    await store.consent.append(receiptInput());
    globalThis.indexedDB = factory;
    const db = await openDB<StoreSchema>('consentgate', DB_VERSION);
    const first = await db.get('consent', 1);
    await db.put('consent', { ...first!, purposes: { analytics: true } }, 1); // appended above

    const report = value(await store.consent.verifyChain());
    db.close();

    expect(report).toEqual({ intact: false, length: 3, brokenAt: 1 });
  });

  describe.each(MODES)('in %s mode', (mode) => {
    describe('consent', () => {
      it('returns no receipt before the visitor answered', async () => {
        const store = await open(mode);

        const latest = value(await store.consent.latest());

        expect(latest).toBeUndefined();
      });

      it('chains each receipt to the SHA-256 of the previous one', async () => {
        const store = await open(mode);

        const first = value(await store.consent.append(receiptInput()));
        const second = value(await store.consent.append(receiptInput({ marketing: false })));

        expect(first.previous).toBeNull();
        expect(second.previous).toBe(await sha256Hex(canonicalJson(first)));
        expect(value(await store.consent.history())).toEqual([first, second]);
        expect(value(await store.consent.latest())).toEqual(second);
        expect(value(await store.consent.verifyChain())).toEqual({ intact: true, length: 2 });
      });

      it('keeps one chain when appends race', async () => {
        const store = await open(mode);

        const results = await Promise.all(
          [1, 2, 3, 4, 5].map((n) => store.consent.append({ ...receiptInput(), given_at: n })),
        );

        expect(results.every((result) => result.ok)).toBe(true);
        expect(value(await store.consent.verifyChain())).toEqual({ intact: true, length: 5 });
      });

      it('appends a retried receipt only once', async () => {
        const store = await open(mode);
        const input = { ...receiptInput(), id: 'receipt-1' };

        await store.consent.append(input);
        const retried = value(await store.consent.append(input));

        expect(retried.id).toBe('receipt-1');
        expect(value(await store.consent.history())).toHaveLength(1);
      });

      it('deletes the records of a declined purpose in the same call', async () => {
        const store = await open(mode);
        const purged = record(store, 'store:purged');
        await store.consent.append(receiptInput());
        const { stored } = value(
          await store.events.put([eventInput(), eventInput({ purpose: 'marketing' })]),
        );
        await store.outbox.enqueue(stored.map((event) => ({ event, destination: 'collector' })));

        await store.consent.append(receiptInput({ marketing: false }));

        expect(value(await store.events.list()).map((event) => event.purpose)).toEqual([
          'analytics',
        ]);
        expect(value(await store.outbox.due()).map(({ entry }) => entry.purpose)).toEqual([
          'analytics',
        ]);
        expect(purged).toEqual([[{ purpose: 'marketing', events: 1, outbox: 1 }]]);
        expect(value(await store.audit.list({ kind: 'purged' }))).toMatchObject([
          { purpose: 'marketing', count: 1, reasons: ['consent-withdrawn'], policyDigest: DIGEST },
        ]);
      });

      it('emits consent:appended after the receipt is stored', async () => {
        const store = await open(mode);
        const appended = record(store, 'consent:appended');

        const receipt = value(await store.consent.append(receiptInput()));

        expect(appended).toEqual([[receipt]]);
      });
    });

    describe('events', () => {
      it('stores records and reads them back with ids and timestamps', async () => {
        const store = await open(mode);

        const { stored, skipped } = value(await store.events.put([eventInput({ id: 'e1' })]));

        expect(skipped).toEqual([]);
        expect(stored).toEqual([{ ...eventInput({ id: 'e1' }), createdAt: T0 }]);
        expect(value(await store.events.list())).toEqual(stored);
        expect(value(await store.events.count())).toBe(1);
      });

      it('never returns an expired record, even before the sweep', async () => {
        const store = await open(mode);
        await store.events.put([
          eventInput({ id: 'soon', expiresAt: T0 + DAY }),
          eventInput({ id: 'later', expiresAt: T0 + 2 * DAY }),
        ]);

        clock.advance(DAY);

        expect(value(await store.events.list()).map((event) => event.id)).toEqual(['later']);
        expect(value(await store.events.list({ purpose: 'analytics' }))).toHaveLength(1);
        expect(value(await store.events.count())).toBe(1);
        expect(value(await store.events.count({ purpose: 'analytics' }))).toBe(1);
      });

      it('lists one purpose soonest-expiring first, up to a limit', async () => {
        const store = await open(mode);
        await store.events.put([
          eventInput({ id: 'c', expiresAt: T0 + 3 * DAY }),
          eventInput({ id: 'a', expiresAt: T0 + DAY }),
          eventInput({ id: 'm', purpose: 'marketing' }),
          eventInput({ id: 'b', expiresAt: T0 + 2 * DAY }),
        ]);

        const listed = value(await store.events.list({ purpose: 'analytics', limit: 2 }));

        expect(listed.map((event) => event.id)).toEqual(['a', 'b']);
      });

      it('replaces a record written again with the same id', async () => {
        const store = await open(mode);

        await store.events.put([eventInput({ id: 'e1' })]);
        await store.events.put([eventInput({ id: 'e1', fields: { sku: 'SKU-2' } })]);

        expect(value(await store.events.list())).toMatchObject([{ fields: { sku: 'SKU-2' } }]);
      });

      it('skips records that have already expired', async () => {
        const store = await open(mode);

        const report = value(await store.events.put([eventInput({ id: 'old', expiresAt: T0 })]));

        expect(report).toEqual({
          stored: [],
          skipped: [{ id: 'old', purpose: 'analytics', reason: 'expired' }],
        });
      });

      it('skips records of a purpose the latest receipt declines', async () => {
        const store = await open(mode);
        await store.consent.append(receiptInput({ marketing: false }));

        const report = value(
          await store.events.put([
            eventInput({ id: 'a' }),
            eventInput({ id: 'm', purpose: 'marketing' }),
          ]),
        );

        expect(report.stored.map((event) => event.id)).toEqual(['a']);
        expect(report.skipped).toEqual([
          { id: 'm', purpose: 'marketing', reason: 'consent-declined' },
        ]);
        expect(value(await store.events.count())).toBe(1);
      });

      it('rejects a value that cannot be cloned, naming the field, and stores nothing', async () => {
        const store = await open(mode);
        const errors = record(store, 'error');

        const result = await store.events.put([
          eventInput({ id: 'fine' }),
          eventInput({ fields: { sku: 'x', callback: () => 1 } }),
        ]);

        expect(result.ok).toBe(false);
        expect(!result.ok && result.error.code).toBe(ErrorCode.StoreNotCloneable);
        expect(!result.ok && result.error.message).toMatch(/record 1 .*"fields.callback"/);
        expect(errors).toHaveLength(1);
        expect(value(await store.events.count())).toBe(0);
      });

      it('throws on a malformed record', async () => {
        const store = await open(mode);

        expect(() => store.events.put([eventInput({ expiresAt: Number.NaN })])).toThrow(
          /expiresAt/,
        );
        expect(() =>
          store.events.put([{ ...eventInput(), purpose: 1 as unknown as string }]),
        ).toThrow(/purpose/);
      });

      it('throws store/invalid-record for a malformed record', async () => {
        const store = await open(mode);

        const error = thrown(() => store.events.put([eventInput({ expiresAt: Number.NaN })]));

        expect(isConsentGateError(error) && error.code).toBe(ErrorCode.StoreInvalidRecord);
        expect(value(await store.events.count())).toBe(0);
      });

      it('keeps what was stored when the caller mutates its object later', async () => {
        const store = await open(mode);
        const fields: Record<string, unknown> = { sku: 'SKU-1' };

        await store.events.put([eventInput({ fields })]);
        fields.sku = 'changed';

        expect(value(await store.events.list())).toMatchObject([{ fields: { sku: 'SKU-1' } }]);
      });
    });

    describe('outbox', () => {
      it('returns due entries with their records, per destination and time', async () => {
        const store = await open(mode);
        const { stored } = value(await store.events.put([eventInput({ id: 'e1' })]));
        const event = stored[0]!; // put returned the one record it stored
        await store.outbox.enqueue([
          { event, destination: 'collector', messageId: 'm-1' },
          { event, destination: 'ads', nextAttemptAt: T0 + 1000 },
        ]);

        const due = value(await store.outbox.due());
        const later = value(await store.outbox.due({ now: T0 + 1000, destination: 'ads' }));

        expect(due).toMatchObject([
          { entry: { destination: 'collector', messageId: 'm-1', attempts: 0 }, event },
        ]);
        expect(later.map(({ entry }) => entry.destination)).toEqual(['ads']);
      });

      it('keeps whether each entry may carry the anonymous id, defaulting to no', async () => {
        const store = await open(mode);
        const { stored } = value(await store.events.put([eventInput({ id: 'e1' })]));
        const event = stored[0]!; // put returned the one record it stored

        const enqueued = value(
          await store.outbox.enqueue([
            { event, destination: 'collector', attachAnonymousId: true },
            { event, destination: 'ads' },
            { event, destination: 'cdp', attachAnonymousId: false },
          ]),
        );
        const due = value(await store.outbox.due());
        const collector = due.find((message) => message.entry.destination === 'collector');
        const attempted = value(await store.outbox.markAttempt(collector!.entry, T0)); // due above

        const allowed = (entries: readonly { destination: string; attachAnonymousId: boolean }[]) =>
          Object.fromEntries(entries.map((e) => [e.destination, e.attachAnonymousId]));
        expect(allowed(enqueued)).toEqual({ collector: true, ads: false, cdp: false });
        expect(allowed(due.map((message) => message.entry))).toEqual({
          collector: true,
          ads: false,
          cdp: false,
        });
        expect(attempted).toMatchObject({ attempts: 1, attachAnonymousId: true });
      });

      it('throws store/invalid-record for an attachAnonymousId that is not a boolean', async () => {
        const store = await open(mode);
        const { stored } = value(await store.events.put([eventInput()]));

        const error = thrown(
          () =>
            void store.outbox.enqueue([
              {
                event: stored[0]!, // put returned the one record it stored
                destination: 'collector',
                attachAnonymousId: 'yes' as unknown as boolean,
              },
            ]),
        );

        expect(isConsentGateError(error) && error.code).toBe(ErrorCode.StoreInvalidRecord);
        expect(value(await store.outbox.due())).toEqual([]);
      });

      it('skips entries whose record is gone', async () => {
        const store = await open(mode);

        const enqueued = value(
          await store.outbox.enqueue([
            {
              event: { id: 'missing', purpose: 'analytics', expiresAt: T0 + DAY },
              destination: 'collector',
            },
          ]),
        );

        expect(enqueued).toEqual([]);
      });

      it('counts attempts and postpones the entry', async () => {
        const store = await open(mode);
        const { stored } = value(await store.events.put([eventInput()]));
        const [entry] = value(
          await store.outbox.enqueue([{ event: stored[0]!, destination: 'collector' }]),
        );

        const next = value(await store.outbox.markAttempt(entry!, T0 + 5000));

        expect(next).toMatchObject({ attempts: 1, nextAttemptAt: T0 + 5000 });
        expect(value(await store.outbox.due())).toEqual([]);
        expect(value(await store.outbox.due({ now: T0 + 5000 }))).toHaveLength(1);
      });

      it('removes delivered entries and audits where the record went', async () => {
        const store = await open(mode);
        const { stored } = value(await store.events.put([eventInput({ id: 'e1' })]));
        const entries = value(
          await store.outbox.enqueue([{ event: stored[0]!, destination: 'collector' }]),
        );

        const removed = value(await store.outbox.complete(entries, { policyDigest: DIGEST }));

        expect(removed).toBe(1);
        expect(value(await store.outbox.due())).toEqual([]);
        expect(value(await store.audit.list({ kind: 'sent' }))).toMatchObject([
          { eventId: 'e1', destination: 'collector', purpose: 'analytics', policyDigest: DIGEST },
        ]);
      });

      it('removes entries without auditing them', async () => {
        const store = await open(mode);
        const { stored } = value(await store.events.put([eventInput()]));
        const entries = value(
          await store.outbox.enqueue([{ event: stored[0]!, destination: 'collector' }]),
        );

        const removed = value(await store.outbox.remove(entries));

        expect(removed).toBe(1);
        expect(value(await store.audit.list())).toEqual([]);
      });

      it('expires entries with their record', async () => {
        const store = await open(mode);
        const { stored } = value(await store.events.put([eventInput({ expiresAt: T0 + DAY })]));
        await store.outbox.enqueue([{ event: stored[0]!, destination: 'collector' }]);
        clock.advance(DAY);

        const dueBeforeSweep = value(await store.outbox.due());
        const report = value(await store.sweep());

        expect(dueBeforeSweep).toEqual([]);
        expect(report.outbox).toBe(1);
      });
    });

    describe('audit', () => {
      it('lists entries newest first, filtered by kind and purpose', async () => {
        const store = await open(mode);
        await store.audit.append([
          { kind: 'allowed', event: 'Product Viewed', purpose: 'analytics', at: T0 - 2 },
          {
            kind: 'blocked',
            event: 'Signed Up',
            reasons: ['marketing:consent-required'],
            at: T0 - 1,
          },
          { kind: 'allowed', event: 'Signed Up', purpose: 'marketing' },
        ]);

        const all = value(await store.audit.list());
        const allowedAnalytics = value(
          await store.audit.list({ kind: 'allowed', purpose: 'analytics' }),
        );

        expect(all.map((entry) => entry.event)).toEqual([
          'Signed Up',
          'Signed Up',
          'Product Viewed',
        ]);
        expect(all[1]).toMatchObject({ kind: 'blocked', reasons: ['marketing:consent-required'] });
        expect(allowedAnalytics).toHaveLength(1);
      });

      it('forgets entries after the audit retention', async () => {
        const store = await open(mode, { auditRetentionMs: DAY });
        await store.audit.append([{ kind: 'allowed', event: 'Product Viewed' }]);

        clock.advance(DAY);

        expect(value(await store.audit.list())).toEqual([]);
        expect(value(await store.sweep()).audit).toBe(1);
      });
    });

    describe('purge', () => {
      it('deletes one purpose’s records and outbox entries, and audits it', async () => {
        const store = await open(mode);
        const purged = record(store, 'store:purged');
        const { stored } = value(
          await store.events.put([
            eventInput({ id: 'a' }),
            eventInput({ id: 'm1', purpose: 'marketing' }),
            eventInput({ id: 'm2', purpose: 'marketing', expiresAt: T0 + DAY }),
          ]),
        );
        await store.outbox.enqueue(stored.map((event) => ({ event, destination: 'collector' })));

        const report = value(await store.purge('marketing', { policyDigest: DIGEST }));

        expect(report).toEqual({ purpose: 'marketing', events: 2, outbox: 2 });
        expect(purged).toEqual([[report]]);
        expect(value(await store.events.list()).map((event) => event.id)).toEqual(['a']);
        expect(value(await store.outbox.due())).toHaveLength(1);
        expect(value(await store.audit.list())).toMatchObject([
          { kind: 'purged', purpose: 'marketing', count: 2, reasons: ['consent-withdrawn'] },
        ]);
      });

      it('audits nothing when the purpose had no records', async () => {
        const store = await open(mode);

        const report = value(await store.purge('marketing'));

        expect(report).toEqual({ purpose: 'marketing', events: 0, outbox: 0 });
        expect(value(await store.audit.list())).toEqual([]);
      });
    });

    describe('eraseAll', () => {
      it('deletes everything and keeps only the erasure receipt', async () => {
        const store = await open(mode);
        const erased = record(store, 'store:erased');
        await store.consent.append(receiptInput());
        const { stored } = value(await store.events.put([eventInput()]));
        await store.outbox.enqueue([{ event: stored[0]!, destination: 'collector' }]);
        await store.audit.append([{ kind: 'allowed', event: 'Product Viewed' }]);

        const receipt = value(await store.eraseAll());
        clock.advance(10_000 * DAY);

        expect(receipt).toMatchObject({ kind: 'erased', at: T0, reasons: ['visitor-request'] });
        expect(erased).toEqual([[receipt]]);
        expect(value(await store.consent.history())).toEqual([]);
        expect(value(await store.events.count())).toBe(0);
        expect(value(await store.outbox.due())).toEqual([]);
        expect(value(await store.audit.list())).toEqual([receipt]);
      });
    });

    describe('export', () => {
      it('says what is kept, why, until when, and where it went', async () => {
        const store = await open(mode);
        await store.consent.append(receiptInput({ marketing: false }));
        const { stored } = value(
          await store.events.put([
            eventInput({ id: 'e1', categories: { sku: 'system.operations' } }),
            eventInput({ id: 'e2', expiresAt: T0 + DAY }),
          ]),
        );
        const entries = value(
          await store.outbox.enqueue([
            { event: stored[0]!, destination: 'collector' },
            { event: stored[1]!, destination: 'collector' },
          ]),
        );
        await store.outbox.complete([entries[0]!]);
        await store.outbox.markAttempt(entries[1]!, T0 + 60_000);

        const document = value(await store.export());

        expect(document).toMatchObject({
          format: 'consentgate-export/1',
          exportedAt: '2025-11-24T00:00:00.000Z',
          storage: mode,
          consent: { current: { choices: { analytics: 'granted', marketing: 'declined' } } },
          purposes: [
            {
              purpose: 'analytics',
              records: 2,
              keptUntil: '2025-12-24T00:00:00.000Z',
              events: [
                {
                  id: 'e2',
                  keptUntil: '2025-11-25T00:00:00.000Z',
                  sentTo: [],
                  waitingFor: [
                    {
                      destination: 'collector',
                      attempts: 1,
                      notBefore: '2025-11-24T00:01:00.000Z',
                    },
                  ],
                },
                {
                  id: 'e1',
                  name: 'Product Viewed',
                  collectedAt: '2025-11-24T00:00:00.000Z',
                  data: { sku: 'SKU-1', price: 1200 },
                  categories: { sku: 'system.operations' },
                  sentTo: [{ destination: 'collector', at: '2025-11-24T00:00:00.000Z' }],
                  waitingFor: [],
                },
              ],
            },
          ],
          audit: [{ kind: 'sent', destination: 'collector', purpose: 'analytics' }],
        });
        expect(JSON.parse(JSON.stringify(document))).toEqual(document);
      });
    });

    describe('sweep', () => {
      it('deletes expired records in bounded batches and audits one count per purpose', async () => {
        const store = await open(mode, { sweepBatchSize: 10 });
        const expired = record(store, 'record:expired');
        await store.events.put(
          Array.from({ length: 25 }, (_, i) =>
            eventInput({ id: `a${i}`, expiresAt: T0 + DAY + i }),
          ),
        );
        await store.events.put([
          eventInput({ id: 'm', purpose: 'marketing', expiresAt: T0 + DAY }),
          eventInput({ id: 'kept', expiresAt: T0 + 2 * DAY }),
        ]);
        clock.advance(DAY + 100);

        const report = value(await store.sweep());

        expect(report.expired).toEqual(
          expect.arrayContaining([
            { purpose: 'analytics', count: 25 },
            { purpose: 'marketing', count: 1 },
          ]),
        );
        expect(report.batches).toBeGreaterThanOrEqual(3);
        expect(expired).toHaveLength(2);
        expect(value(await store.events.list()).map((event) => event.id)).toEqual(['kept']);
        expect(
          value(await store.audit.list({ kind: 'expired', purpose: 'analytics' })),
        ).toMatchObject([{ count: 25, reasons: ['retention-elapsed'] }]);
      });

      it('runs at open', async () => {
        const factory = mode === 'indexeddb' ? new IDBFactory() : null;
        const first = await open(mode, { indexedDB: factory });
        await first.events.put([eventInput({ expiresAt: T0 + DAY })]);
        first.close();
        clock.advance(DAY);
        // Memory mode has nothing to reopen; its records went with the closed store.
        if (mode === 'memory') return;

        const store = await open(mode, { indexedDB: factory });
        const report = value(await store.sweep());

        // Sweeps run one after the other, so this one found what the sweep at open had left.
        expect(report.expired).toEqual([]);
        expect(value(await store.audit.list({ kind: 'expired' }))).toMatchObject([{ count: 1 }]);
      });

      it('runs on its timer', async () => {
        vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
        try {
          const store = await open(mode, { sweepIntervalMs: 60_000 });
          await store.sweep();
          await store.events.put([eventInput({ expiresAt: T0 + DAY })]);
          clock.advance(DAY);

          vi.advanceTimersByTime(60_000);
          const report = value(await store.sweep());

          expect(report.expired).toEqual([]);
          expect(value(await store.audit.list({ kind: 'expired' }))).toMatchObject([{ count: 1 }]);
        } finally {
          vi.useRealTimers();
        }
      });
    });

    describe('encryption at rest', () => {
      it('reads encrypted fields back in the clear', async () => {
        const store = await open(mode, { encryptCategories: ['user.contact'] });

        await store.events.put([
          eventInput({
            id: 'e1',
            fields: { email: 'a@example.com', sku: 'SKU-1' },
            categories: { email: 'user.contact.email', sku: 'system.operations' },
          }),
        ]);

        expect(value(await store.events.list())).toMatchObject([
          { fields: { email: 'a@example.com', sku: 'SKU-1' } },
        ]);
        expect(value(await store.export()).purposes[0]?.events[0]?.data).toEqual({
          sku: 'SKU-1',
          email: 'a@example.com',
        });
      });
    });

    it('returns store/connection-lost after close', async () => {
      const store = await open(mode);

      store.close();
      const result = await store.events.count();

      expect(!result.ok && result.error.code).toBe(ErrorCode.StoreConnectionLost);
    });

    it('reports a listener that throws as an sdk/callback-failed error and keeps going', async () => {
      const store = await open(mode);
      const errors = record(store, 'error');
      const appended = record(store, 'consent:appended');
      const bug = new Error('listener bug');
      store.on('consent:appended', () => {
        throw bug;
      });

      const result = await store.consent.append(receiptInput());

      expect(result.ok).toBe(true);
      expect(appended).toHaveLength(1);
      expect(errors).toHaveLength(1);
      const [error, source] = errors[0] ?? [];
      expect(isConsentGateError(error)).toBe(true);
      expect(error?.code).toBe(ErrorCode.SdkCallbackFailed);
      expect(error?.cause).toBe(bug);
      expect(source).toBe('consent:appended');
    });
  });
});
