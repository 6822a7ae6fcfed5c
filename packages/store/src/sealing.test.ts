import 'fake-indexeddb/auto';

import { IDBFactory } from 'fake-indexeddb';
import { openDB } from 'idb';
import { afterEach, describe, expect, it } from 'vitest';

import { ErrorCode } from '@consentgate/core';
import type { Result } from '@consentgate/core';

import { openStore } from './open-store.js';
import type { Store, StoreOptions } from './store.js';
import { DB_VERSION } from './schema.js';
import type { EventRow, StoreSchema } from './schema.js';
import { createSealer, generateKey, inCategories } from './sealing.js';
import { createClock, eventInput } from './testing.js';

const stores: Store[] = [];

afterEach(() => {
  for (const store of stores.splice(0)) store.close();
});

function value<T>(result: Result<T>): T {
  if (!result.ok) throw result.error;
  return result.value;
}

async function open(factory: IDBFactory, options: StoreOptions = {}): Promise<Store> {
  const store = value(
    await openStore('consentgate', {
      indexedDB: factory,
      now: createClock().now,
      sweepIntervalMs: 0,
      encryptCategories: ['user.contact'],
      ...options,
    }),
  );
  stores.push(store);
  return store;
}

const contact = eventInput({
  id: 'e1',
  fields: { email: 'a@example.com', sku: 'SKU-1' },
  categories: { email: 'user.contact.email', sku: 'system.operations' },
});

async function rawRows(factory: IDBFactory): Promise<EventRow[]> {
  globalThis.indexedDB = factory;
  const db = await openDB<StoreSchema>('consentgate', DB_VERSION);
  const rows = await db.getAll('events');
  db.close();
  return rows;
}

describe(inCategories, () => {
  it('selects a label and everything below it', () => {
    expect(inCategories('user.contact', ['user.contact'])).toBe(true);
    expect(inCategories('user.contact.email', ['user.contact'])).toBe(true);
    expect(inCategories('user.contacts', ['user.contact'])).toBe(false);
    expect(inCategories('user', ['user.contact'])).toBe(false);
  });
});

describe(createSealer, () => {
  it('leaves rows without selected categories untouched', async () => {
    const sealer = createSealer(['user.contact'], generateKey);
    const row = { ...eventInput({ id: 'e1' }), id: 'e1', createdAt: 0 };

    const sealed = await sealer.seal(row);

    expect(sealed).toBe(row);
  });

  it('fails to open sealed fields moved to another record', async () => {
    const key = generateKey();
    const sealer = createSealer(['user.contact'], () => key);
    const row: EventRow = { ...contact, id: 'e1', createdAt: 0 };
    const sealed = await sealer.seal(row);

    const moved = await sealer.open({ ...sealed, id: 'e2' });

    expect(moved).toEqual({ event: { ...row, id: 'e2', fields: { sku: 'SKU-1' } }, failed: true });
  });
});

describe('encryption at rest', () => {
  it('stores selected fields only as AES-GCM ciphertext', async () => {
    const factory = new IDBFactory();
    const store = await open(factory);

    await store.events.put([contact]);
    const [row] = await rawRows(factory);

    expect(row?.fields).toEqual({ sku: 'SKU-1' });
    expect(row?.sealed?.iv).toBeInstanceOf(Uint8Array);
    expect(row?.sealed?.iv.byteLength).toBe(12);
    expect(JSON.stringify(row)).not.toContain('example.com');
    expect(new TextDecoder().decode(row?.sealed?.data)).not.toContain('example.com');
  });

  it('keeps a non-extractable key in the keys store', async () => {
    const factory = new IDBFactory();
    const store = await open(factory);
    await store.events.put([contact]);

    globalThis.indexedDB = factory;
    const db = await openDB<StoreSchema>('consentgate', DB_VERSION);
    const key = await db.get('keys', 'events');
    db.close();

    expect(key?.extractable).toBe(false);
    expect(key?.algorithm).toMatchObject({ name: 'AES-GCM', length: 256 });
    expect(key?.usages.sort()).toEqual(['decrypt', 'encrypt']);
  });

  it('lets another store on the same database read the fields, sharing one key', async () => {
    const factory = new IDBFactory();
    const [first, second] = await Promise.all([open(factory), open(factory)]);

    await Promise.all([first.events.put([contact]), second.events.put([{ ...contact, id: 'e2' }])]);
    const read = value(await second.events.list());
    const again = value(await (await open(factory)).events.list());

    expect(read.map((event) => event.fields.email)).toEqual(['a@example.com', 'a@example.com']);
    expect(again).toEqual(read);
  });

  it('decrypts for a store that no longer selects the category', async () => {
    const factory = new IDBFactory();
    const store = await open(factory);
    await store.events.put([contact]);
    store.close();

    const reopened = await open(factory, { encryptCategories: [] });

    expect(value(await reopened.events.list())).toMatchObject([
      { fields: { email: 'a@example.com' } },
    ]);
  });

  it('rejects an encrypted value JSON cannot carry', async () => {
    const store = await open(new IDBFactory());

    const put = await store.events.put([{ ...contact, fields: { email: 10n } }]);

    expect(!put.ok && put.error.code).toBe(ErrorCode.StoreNotCloneable);
  });
});
