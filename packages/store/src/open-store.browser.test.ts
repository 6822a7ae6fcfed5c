// The store against Chromium's own IndexedDB: key ordering of the compound keys, range deletes,
// CryptoKey cloning, connections closed by the browser or by another tab, and blocked upgrades.
import { openDB } from 'idb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cdp } from 'vitest/browser';

import { ErrorCode } from '@consentgate/core';
import type { Result } from '@consentgate/core';

import { openDatabase } from './idb-connection.js';
import { openStore } from './open-store.js';
import type { Store, StoreEvents, StoreOptions } from './store.js';
import { DB_VERSION } from './schema.js';
import type { StoreSchema } from './schema.js';
import { DAY, T0, createClock, eventInput, receiptInput, uniqueName } from './testing.js';
import type { TestClock } from './testing.js';

let clock: TestClock;
let name: string;
let stores: Store[];

beforeEach(() => {
  clock = createClock();
  name = uniqueName('cg-browser');
  stores = [];
});

afterEach(async () => {
  for (const store of stores) store.close();
  await new Promise<void>((resolve) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = request.onerror = request.onblocked = () => resolve();
  });
});

function value<T>(result: Result<T>): T {
  if (!result.ok) throw result.error;
  return result.value;
}

async function open(options: StoreOptions = {}): Promise<Store> {
  const store = value(await openStore(name, { now: clock.now, sweepIntervalMs: 0, ...options }));
  stores.push(store);
  return store;
}

function record<Name extends keyof StoreEvents>(store: Store, event: Name): StoreEvents[Name][] {
  const seen: StoreEvents[Name][] = [];
  store.on(event, (...args) => seen.push(args));
  return seen;
}

describe(openStore, () => {
  it('opens the real IndexedDB of Chromium', async () => {
    const store = await open();

    expect(navigator.userAgent).toMatch(/Chrome/);
    expect(store.mode).toBe('indexeddb');
  });

  it('hides expired records and deletes them by key range', async () => {
    const store = await open({ sweepBatchSize: 50 });
    await store.events.put(
      Array.from({ length: 120 }, (_, i) =>
        eventInput({
          id: `e${i}`,
          purpose: i % 3 === 0 ? 'marketing' : 'analytics',
          expiresAt: T0 + DAY + (i % 40),
        }),
      ),
    );
    await store.events.put([eventInput({ id: 'kept', expiresAt: T0 + 2 * DAY })]);
    clock.advance(DAY + 20);

    const visible = value(await store.events.count());
    const report = value(await store.sweep());

    // i % 40 ≤ 20 has expired: 21 of every 40.
    expect(visible).toBe(120 - 63 + 1);
    expect(report.expired).toEqual(
      expect.arrayContaining([
        { purpose: 'analytics', count: 42 },
        { purpose: 'marketing', count: 21 },
      ]),
    );
    expect(report.batches).toBe(2);
    expect(value(await store.events.count())).toBe(visible);
    expect(value(await store.events.list({ purpose: 'analytics' }))[0]?.expiresAt).toBe(
      T0 + DAY + 21,
    );
  });

  it('purges a purpose with thousands of records in one transaction', async () => {
    const store = await open();
    await store.events.put(
      Array.from({ length: 3000 }, (_, i) =>
        eventInput({ id: `e${i}`, purpose: i % 2 ? 'analytics' : 'marketing' }),
      ),
    );

    const report = value(await store.purge('marketing'));

    expect(report).toEqual({ purpose: 'marketing', events: 1500, outbox: 0 });
    expect(value(await store.events.count())).toBe(1500);
  });

  it('keeps the events key as a non-extractable CryptoKey and no plaintext on disk', async () => {
    const store = await open({ encryptCategories: ['user.contact'] });
    await store.events.put([
      eventInput({
        id: 'e1',
        fields: { email: 'a@example.com', sku: 'SKU-1' },
        categories: { email: 'user.contact.email' },
      }),
    ]);

    const db = await openDB<StoreSchema>(name, DB_VERSION);
    const [key, rows] = await Promise.all([db.get('keys', 'events'), db.getAll('events')]);
    db.close();

    expect(key).toBeInstanceOf(CryptoKey);
    expect(key?.extractable).toBe(false);
    expect(rows[0]?.fields).toEqual({ sku: 'SKU-1' });
    expect(JSON.stringify(rows)).not.toContain('example.com');
    expect(value(await store.events.list())[0]?.fields).toEqual({
      sku: 'SKU-1',
      email: 'a@example.com',
    });
  });

  it('sweeps when the page becomes visible', async () => {
    const store = await open();
    await store.sweep();
    await store.events.put([eventInput({ expiresAt: T0 + DAY })]);
    clock.advance(DAY);

    document.dispatchEvent(new Event('visibilitychange'));
    const report = value(await store.sweep());

    expect(document.visibilityState).toBe('visible');
    expect(report.expired).toEqual([]);
    expect(value(await store.audit.list({ kind: 'expired' }))).toMatchObject([{ count: 1 }]);
  });

  it('writes nothing to localStorage, cookies or IndexedDB in memory mode', async () => {
    // Spies, not before/after counts: other test files share this origin's storage.
    const setItem = vi.spyOn(Storage.prototype, 'setItem');
    const setCookie = vi.spyOn(Document.prototype, 'cookie', 'set');
    const openDatabaseSpy = vi.spyOn(IDBFactory.prototype, 'open');

    const store = await open({ indexedDB: null });
    await store.consent.append(receiptInput());
    await store.events.put([eventInput()]);
    await store.audit.append([{ kind: 'allowed' }]);
    const databases = await indexedDB.databases();

    expect(store.mode).toBe('memory');
    expect(store.fallback?.code).toBe(ErrorCode.StoreUnavailable);
    expect(setItem).not.toHaveBeenCalled();
    expect(setCookie).not.toHaveBeenCalled();
    expect(openDatabaseSpy).not.toHaveBeenCalled();
    expect(databases.map((database) => database.name)).not.toContain(name);
    vi.restoreAllMocks();
  });

  describe('across tabs', () => {
    it('steps aside for another tab’s upgrade instead of blocking it', async () => {
      const store = await open();
      const fallbacks = record(store, 'store:fallback');
      await store.events.put([eventInput()]);

      const newer = await openDatabase({
        factory: indexedDB,
        name,
        version: DB_VERSION + 1,
        openTimeoutMs: 10_000,
        blockedTimeoutMs: 0,
      });
      const count = await store.events.count();
      newer.close();

      expect(count.ok).toBe(true);
      expect(store.mode).toBe('memory');
      expect(fallbacks.map(([error]) => (error.cause as DOMException).name)).toEqual([
        'VersionError',
      ]);
    });

    it('gives up on an upgrade that another tab keeps blocked', async () => {
      const old = await openDB(name, 1);

      const outcome = await openDatabase({
        factory: indexedDB,
        name,
        version: 2,
        openTimeoutMs: 60_000,
        blockedTimeoutMs: 100,
      }).catch((error: unknown) => error);
      old.close();

      expect(outcome).toMatchObject({ code: ErrorCode.StoreBlocked });
    });

    it('lets another tab delete the database, then starts a fresh one', async () => {
      const store = await open();
      await store.events.put([eventInput({ id: 'before' })]);

      await new Promise<void>((resolve, reject) => {
        const request = indexedDB.deleteDatabase(name);
        request.onsuccess = () => resolve();
        request.onblocked = () => reject(new Error('the store kept the database open'));
      });
      const put = await store.events.put([eventInput({ id: 'after' })]);

      expect(put.ok).toBe(true);
      expect(value(await store.events.list()).map((event) => event.id)).toEqual(['after']);
    });
  });

  it('reopens after Chromium force-closes the connection', async () => {
    const store = await open();
    await store.events.put([eventInput({ id: 'before' })]);
    const closed = new Promise<void>((resolve) => {
      void openDB(name, DB_VERSION, { terminated: resolve });
    });

    // What DevTools' "Delete database" does: the browser closes every connection to this one
    // database (a `close` event, not `versionchange`), leaving other tests' databases alone.
    await cdp().send('IndexedDB.deleteDatabase', {
      securityOrigin: location.origin,
      databaseName: name,
    });
    await closed;
    const put = await store.events.put([eventInput({ id: 'after' })]);

    expect(put.ok).toBe(true);
    expect(store.mode).toBe('indexeddb');
    expect(value(await store.events.list()).map((event) => event.id)).toEqual(['after']);
  });
});
