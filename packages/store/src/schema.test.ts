import 'fake-indexeddb/auto';

import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';

import { openDatabase } from './idb-connection.js';
import { DB_VERSION, MIGRATIONS, upgrade } from './schema.js';

describe(upgrade, () => {
  it('creates every object store with its key path and indexes', async () => {
    const db = await openDatabase({
      factory: new IDBFactory(),
      name: 'schema',
      version: DB_VERSION,
      openTimeoutMs: 1000,
      blockedTimeoutMs: 1000,
    });

    const tx = db.transaction(['consent', 'events', 'outbox', 'audit', 'keys']);
    const shape = Object.fromEntries(
      [...db.objectStoreNames].map((name) => {
        const store = tx.objectStore(name);
        const indexes = [...store.indexNames].map((index) => [index, store.index(index).keyPath]);
        return [name, { keyPath: store.keyPath, autoIncrement: store.autoIncrement, indexes }];
      }),
    );
    db.close();

    expect(DB_VERSION).toBe(MIGRATIONS.length);
    expect(shape).toEqual({
      audit: { keyPath: ['expiresAt', 'id'], autoIncrement: false, indexes: [] },
      consent: { keyPath: null, autoIncrement: true, indexes: [] },
      events: {
        keyPath: ['purpose', 'expiresAt', 'id'],
        autoIncrement: false,
        indexes: [['expiresAt', 'expiresAt']],
      },
      keys: { keyPath: null, autoIncrement: false, indexes: [] },
      outbox: {
        keyPath: ['purpose', 'expiresAt', 'id'],
        autoIncrement: false,
        indexes: [
          ['expiresAt', 'expiresAt'],
          ['nextAttemptAt', 'nextAttemptAt'],
        ],
      },
    });
  });
});
