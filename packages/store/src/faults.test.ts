// Each IndexedDB failure the store must survive, injected into fake-indexeddb. The same faults are
// exercised against real Chromium in open-store.browser.test.ts where a browser can produce them.
import 'fake-indexeddb/auto';

import { IDBFactory, forceCloseDatabase } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { ErrorCode } from '@consentgate/core';
import type { Result } from '@consentgate/core';

import { openDatabase } from './idb-connection.js';
import { openStore } from './open-store.js';
import type { Store, StoreEvents, StoreOptions } from './store.js';
import { DB_VERSION } from './schema.js';
import { DAY, T0, createClock, eventInput, receiptInput } from './testing.js';

let stores: Store[];

beforeEach(() => {
  stores = [];
});

afterEach(() => {
  for (const store of stores) store.close();
  vi.restoreAllMocks();
  vi.useRealTimers();
});

function value<T>(result: Result<T>): T {
  if (!result.ok) throw result.error;
  return result.value;
}

async function open(options: StoreOptions): Promise<Store> {
  const store = value(
    await openStore('consentgate', { now: createClock().now, sweepIntervalMs: 0, ...options }),
  );
  stores.push(store);
  return store;
}

function record<Name extends keyof StoreEvents>(store: Store, name: Name): StoreEvents[Name][] {
  const seen: StoreEvents[Name][] = [];
  store.on(name, (...args) => seen.push(args));
  return seen;
}

/** A factory that records every connection it opens, so a test can break them. */
function trackedFactory(): { factory: IDBFactory; connections: IDBDatabase[] } {
  const factory = new IDBFactory();
  const connections: IDBDatabase[] = [];
  const original = factory.open.bind(factory);
  vi.spyOn(factory, 'open').mockImplementation((name, version) => {
    const request = original(name, version);
    request.addEventListener('success', () => connections.push(request.result));
    return request;
  });
  return { factory, connections };
}

/** An open request that never fires anything, as in some broken private modes. */
function pendingRequest(): IDBOpenDBRequest {
  return new EventTarget() as IDBOpenDBRequest;
}

describe('IndexedDB missing', () => {
  it('falls back to memory and says why', async () => {
    const store = await open({ indexedDB: null });

    expect(store.mode).toBe('memory');
    expect(store.fallback?.code).toBe(ErrorCode.StoreUnavailable);
    expect(value(await store.events.put([eventInput()])).stored).toHaveLength(1);
  });

  it('returns the error when the memory fallback is off', async () => {
    const result = await openStore('consentgate', { indexedDB: null, memoryFallback: false });

    expect(!result.ok && result.error.code).toBe(ErrorCode.StoreUnavailable);
  });

  it('falls back when open() throws', async () => {
    const factory = new IDBFactory();
    vi.spyOn(factory, 'open').mockImplementation(() => {
      throw new DOMException('denied', 'SecurityError');
    });

    const store = await open({ indexedDB: factory });

    expect(store.fallback?.code).toBe(ErrorCode.StoreUnavailable);
    expect(store.fallback?.cause).toBeInstanceOf(DOMException);
  });

  it('falls back when the database is newer than this code', async () => {
    const factory = new IDBFactory();
    const newer = await openDatabase({
      factory,
      name: 'consentgate',
      version: DB_VERSION + 1,
      openTimeoutMs: 1000,
      blockedTimeoutMs: 1000,
    });
    newer.close();

    const store = await open({ indexedDB: factory });

    expect(store.mode).toBe('memory');
    expect((store.fallback?.cause as DOMException).name).toBe('VersionError');
  });
});

describe('open() that never settles', () => {
  it('gives up after openTimeoutMs and works in memory', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const factory = new IDBFactory();
    vi.spyOn(factory, 'open').mockReturnValue(pendingRequest());

    const opening = openStore('consentgate', {
      indexedDB: factory,
      openTimeoutMs: 3000,
      sweepIntervalMs: 0,
    });
    await vi.advanceTimersByTimeAsync(3000);
    const store = value(await opening);
    stores.push(store);

    expect(store.mode).toBe('memory');
    expect(store.fallback?.code).toBe(ErrorCode.StoreTimeout);
  });

  it('closes a connection that arrives after it gave up', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const request = pendingRequest();
    const late = { close: vi.fn() };
    const factory = new IDBFactory();
    vi.spyOn(factory, 'open').mockReturnValue(request);
    const opening = openDatabase({
      factory,
      name: 'consentgate',
      version: DB_VERSION,
      openTimeoutMs: 100,
      blockedTimeoutMs: 100,
    });
    const outcome = opening.catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(100);

    Object.defineProperty(request, 'result', { value: late });
    request.dispatchEvent(new Event('success'));

    expect(await outcome).toMatchObject({ code: ErrorCode.StoreTimeout });
    expect(late.close).toHaveBeenCalledOnce();
  });
});

describe('blocked and versionchange across tabs', () => {
  it('times out an upgrade blocked by a tab that keeps the old version open', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const factory = new IDBFactory();
    // The old tab: it opened version 1 and ignores versionchange.
    const old = await openDatabase({
      factory,
      name: 'consentgate',
      version: 1,
      openTimeoutMs: 100,
      blockedTimeoutMs: 100,
    });

    const versionChange = new Promise((resolve) => {
      old.addEventListener('versionchange', resolve, { once: true });
    });

    const opening = openDatabase({
      factory,
      name: 'consentgate',
      version: 2,
      openTimeoutMs: 10_000,
      blockedTimeoutMs: 5000,
    }).catch((error: unknown) => error);
    await versionChange;
    // fake-indexeddb fires `blocked` a macrotask after `versionchange`; setImmediate is not faked.
    await new Promise((resolve) => setImmediate(resolve));
    await vi.advanceTimersByTimeAsync(4999);
    let settled = false;
    void opening.then(() => (settled = true));
    await vi.advanceTimersByTimeAsync(0);
    const stillWaiting = !settled;
    await vi.advanceTimersByTimeAsync(1);

    expect(stillWaiting).toBe(true);
    expect(await opening).toMatchObject({ code: ErrorCode.StoreBlocked });
    old.close();
  });

  it('closes its connection when another tab upgrades, then reports the newer database', async () => {
    const factory = new IDBFactory();
    const store = await open({ indexedDB: factory });
    const fallbacks = record(store, 'store:fallback');
    await store.events.put([eventInput()]);

    // The newer tab; with no patience for a blocked upgrade, it fails unless the store steps aside.
    const newer = await openDatabase({
      factory,
      name: 'consentgate',
      version: DB_VERSION + 1,
      openTimeoutMs: 1000,
      blockedTimeoutMs: 0,
    });
    const count = await store.events.count();

    expect(count.ok).toBe(true);
    expect(store.mode).toBe('memory');
    expect(fallbacks).toHaveLength(1);
    expect((fallbacks[0]?.[0].cause as DOMException).name).toBe('VersionError');
    newer.close();
  });

  it('reopens after another tab deleted the database', async () => {
    const factory = new IDBFactory();
    const store = await open({ indexedDB: factory });
    await store.events.put([eventInput({ id: 'before' })]);

    await new Promise<void>((resolve, reject) => {
      const request = factory.deleteDatabase('consentgate');
      request.onsuccess = () => resolve();
      request.onerror = () => reject(request.error ?? new Error('delete failed'));
      request.onblocked = () => reject(new Error('the store kept the database open'));
    });
    const put = await store.events.put([eventInput({ id: 'after' })]);

    expect(put.ok).toBe(true);
    expect(store.mode).toBe('indexeddb');
    expect(value(await store.events.list()).map((event) => event.id)).toEqual(['after']);
  });
});

describe('lost connection', () => {
  it('reopens when the browser closes the connection', async () => {
    const { factory, connections } = trackedFactory();
    const store = await open({ indexedDB: factory });
    await store.events.put([eventInput({ id: 'e1' })]);

    // fake-indexeddb types its argument as its own class; this is one of its connections.
    forceCloseDatabase(connections[0] as never);
    const listed = value(await store.events.list());

    expect(listed.map((event) => event.id)).toEqual(['e1']);
    expect(connections).toHaveLength(2);
  });

  it('retries an operation whose connection was closing, on a fresh connection', async () => {
    const { factory, connections } = trackedFactory();
    const store = await open({ indexedDB: factory, maxRetries: 2 });
    const transaction = vi.spyOn(IDBDatabase.prototype, 'transaction');
    transaction.mockImplementationOnce(() => {
      throw new DOMException('The database connection is closing.', 'InvalidStateError');
    });

    const put = await store.events.put([eventInput()]);

    expect(put.ok).toBe(true);
    expect(connections).toHaveLength(2);
  });

  it('gives up after maxRetries and returns store/connection-lost', async () => {
    const { factory, connections } = trackedFactory();
    const store = await open({ indexedDB: factory, maxRetries: 2 });
    const errors = record(store, 'error');
    vi.spyOn(IDBDatabase.prototype, 'transaction').mockImplementation(() => {
      throw new DOMException('The database connection is closing.', 'InvalidStateError');
    });

    const put = await store.events.put([eventInput()]);

    expect(!put.ok && put.error.code).toBe(ErrorCode.StoreConnectionLost);
    expect(connections).toHaveLength(3);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.[1]).toBe('events.put');
  });
});

describe('QuotaExceededError', () => {
  function failEventWritesOnce(): void {
    // eslint-disable-next-line @typescript-eslint/unbound-method -- re-applied to its receiver below
    const put = IDBObjectStore.prototype.put;
    let failed = false;
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (
      this: IDBObjectStore,
      ...args: Parameters<IDBObjectStore['put']>
    ) {
      if (this.name === 'events' && !failed) {
        failed = true;
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      }
      return put.apply(this, args);
    });
  }

  it('evicts the soonest-expiring records of the same purpose and writes again', async () => {
    const store = await open({ indexedDB: new IDBFactory() });
    const evicted = record(store, 'store:evicted');
    await store.consent.append(receiptInput());
    await store.events.put([
      ...Array.from({ length: 20 }, (_, i) => eventInput({ id: `a${i}`, expiresAt: T0 + DAY + i })),
      eventInput({ id: 'm', purpose: 'marketing', expiresAt: T0 + DAY }),
    ]);
    failEventWritesOnce();

    const put = await store.events.put([eventInput({ id: 'new' })]);

    expect(value(put).stored.map((event) => event.id)).toEqual(['new']);
    expect(evicted).toEqual([[{ purpose: 'analytics', count: 16 }]]);
    const left = value(await store.events.list({ purpose: 'analytics' }));
    expect(left.map((event) => event.id)).toEqual(['a16', 'a17', 'a18', 'a19', 'new']);
    expect(value(await store.events.count({ purpose: 'marketing' }))).toBe(1);
    expect(value(await store.consent.history())).toHaveLength(1);
    expect(value(await store.audit.list({ kind: 'evicted' }))).toMatchObject([
      { purpose: 'analytics', count: 16, reasons: ['quota-exceeded'] },
    ]);
  });

  it('returns store/quota-exceeded when the purpose has nothing to evict', async () => {
    const store = await open({ indexedDB: new IDBFactory() });
    await store.consent.append(receiptInput());
    failEventWritesOnce();

    const put = await store.events.put([eventInput()]);

    expect(!put.ok && put.error.code).toBe(ErrorCode.StoreQuotaExceeded);
    expect(!put.ok && (put.error.cause as DOMException).name).toBe('QuotaExceededError');
    expect(value(await store.consent.history())).toHaveLength(1);
    expect(value(await store.events.count())).toBe(0);
  });

  it('leaves nothing of a batch that failed halfway', async () => {
    const store = await open({ indexedDB: new IDBFactory() });
    // eslint-disable-next-line @typescript-eslint/unbound-method -- re-applied to its receiver below
    const put = IDBObjectStore.prototype.put;
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (
      this: IDBObjectStore,
      ...args: Parameters<IDBObjectStore['put']>
    ) {
      if ((args[0] as { id?: string }).id === 'third') {
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      }
      return put.apply(this, args);
    });

    const result = await store.events.put([
      eventInput({ id: 'first' }),
      eventInput({ id: 'second' }),
      eventInput({ id: 'third' }),
    ]);
    vi.restoreAllMocks();

    expect(result.ok).toBe(false);
    expect(value(await store.events.count())).toBe(0);
  });
});

describe('values that cannot be cloned', () => {
  it('are rejected before any transaction opens', async () => {
    const store = await open({ indexedDB: new IDBFactory() });
    const transaction = vi.spyOn(IDBDatabase.prototype, 'transaction');

    const put = await store.events.put([eventInput({ fields: { node: Symbol('x') } })]);
    const appended = await store.consent.append({
      ...receiptInput(),
      signals: { gpc: false, extra: () => 1 } as never,
    });

    expect(!put.ok && put.error.code).toBe(ErrorCode.StoreNotCloneable);
    expect(!appended.ok && appended.error.code).toBe(ErrorCode.StoreNotCloneable);
    expect(transaction).not.toHaveBeenCalled();
  });
});

describe('durability', () => {
  it('acknowledges writes only from strict transactions', async () => {
    const store = await open({ indexedDB: new IDBFactory() });
    const transaction = vi.spyOn(IDBDatabase.prototype, 'transaction');

    await store.consent.append(receiptInput());
    const { stored } = value(await store.events.put([eventInput()]));
    await store.outbox.enqueue([{ event: stored[0]!, destination: 'collector' }]);
    await store.audit.append([{ kind: 'allowed' }]);
    await store.purge('analytics');
    await store.eraseAll();

    const writes = transaction.mock.calls.filter(([, mode]) => mode === 'readwrite');
    expect(writes.length).toBeGreaterThanOrEqual(6);
    expect(writes.every(([, , options]) => options?.durability === 'strict')).toBe(true);
  });
});
