import { ErrorCode } from '@consentgate/core';
import { unwrap, wrap } from 'idb';
import type { IDBPTransaction } from 'idb';

import { declinedPurposes } from './backend.js';
import type { AuditFor, Backend, DueRow, LatestReceipt, PurgeCounts } from './backend.js';
import type { OutboxEntry } from './records.js';
import { DB_VERSION, recordKey, upgrade } from './schema.js';
import type { RecordKey, StoreDatabase, StoreName, StoreSchema } from './schema.js';
import { storeError, toStoreError } from './store-error.js';

/** How writes are committed: `strict` waits until the data is flushed to disk. */
const STRICT: IDBTransactionOptions = { durability: 'strict' };

/**
 * How the sweeper commits. Losing a sweep to a crash only brings back records that reads already
 * hide and the next sweep deletes, so it skips the flush; measured in Chromium this roughly halves
 * the time of a 100k sweep.
 */
const RELAXED: IDBTransactionOptions = { durability: 'relaxed' };

/** Options for {@link openDatabase}. */
export interface OpenDatabaseOptions {
  readonly factory: IDBFactory;
  readonly name: string;
  /** The schema version to open. */
  readonly version: number;
  /** Give up when the open neither succeeds, fails nor reports `blocked` within this time. */
  readonly openTimeoutMs: number;
  /** Give up when the open is still blocked by another connection after this time. */
  readonly blockedTimeoutMs: number;
}

/**
 * Opens (and if needed upgrades) the database and returns the connection; rejects with a store
 * error: `store/unavailable` when IndexedDB refuses, `store/timeout` when the open never settles,
 * `store/blocked` when another tab holds an older version open for too long. A connection that
 * arrives after the caller gave up is closed at once, so it cannot block anyone.
 */
export function openDatabase(options: OpenDatabaseOptions): Promise<StoreDatabase> {
  const { factory, name, version, openTimeoutMs, blockedTimeoutMs } = options;
  return new Promise((resolve, reject) => {
    let request: IDBOpenDBRequest;
    try {
      request = factory.open(name, version);
    } catch (cause) {
      // Firefox and Safari throw from open() in some private or sandboxed contexts.
      reject(storeError(ErrorCode.StoreUnavailable, 'IndexedDB refused to open', cause));
      return;
    }
    let settled = false;
    let timer = setTimeout(() => {
      fail(storeError(ErrorCode.StoreTimeout, `IndexedDB did not open within ${openTimeoutMs} ms`));
    }, openTimeoutMs);
    function fail(error: Error): void {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(error);
    }
    request.addEventListener('blocked', () => {
      // Another connection holds an older version open. That is not a broken IndexedDB, so the
      // open timeout gives way to the (usually longer) blocked timeout.
      clearTimeout(timer);
      timer = setTimeout(() => {
        fail(
          storeError(
            ErrorCode.StoreBlocked,
            `the database upgrade was blocked by another tab for ${blockedTimeoutMs} ms`,
          ),
        );
      }, blockedTimeoutMs);
    });
    request.addEventListener('upgradeneeded', (event) => {
      const db = wrap(request.result) as StoreDatabase;
      const tx = wrap(request.transaction as IDBTransaction) as unknown as Parameters<
        typeof upgrade
      >[3];
      upgrade(db, event.oldVersion, event.newVersion ?? version, tx);
    });
    request.addEventListener('success', () => {
      const db = request.result;
      if (settled) {
        db.close();
        return;
      }
      settled = true;
      clearTimeout(timer);
      resolve(wrap(db) as StoreDatabase);
    });
    request.addEventListener('error', (event) => {
      // Handled here; without this Firefox also reports it as an uncaught error.
      event.preventDefault();
      fail(toStoreError(request.error));
    });
  });
}

/** Options for {@link createIdbBackend}. */
export interface IdbBackendOptions {
  readonly factory: IDBFactory;
  readonly name: string;
  readonly openTimeoutMs: number;
  readonly blockedTimeoutMs: number;
  /** Retries of an operation whose connection was lost (each retry reopens). */
  readonly maxRetries: number;
}

/** Failures to (re)open the database; after these the store may fall back to memory. */
const reopenFailures = new WeakSet<object>();

/** Returns whether `error` is a failure to open the database (rather than of one operation). */
export function isOpenFailure(error: unknown): boolean {
  return typeof error === 'object' && error !== null && reopenFailures.has(error);
}

const purposeRange = (purpose: string) => IDBKeyRange.bound([purpose], [purpose, []]);

/** Live records of a purpose: `[purpose, t, id]` with `t > now` (a string id sorts below `[]`). */
const liveRange = (purpose: string, now: number) =>
  IDBKeyRange.bound([purpose, now, []], [purpose, []], true);

/**
 * Creates the IndexedDB backend and opens its first connection; rejects like
 * {@link openDatabase}. Later operations reopen a connection that was lost (closed by the
 * browser, or closed here because another tab needed it), retrying up to `maxRetries` times.
 */
export async function createIdbBackend(options: IdbBackendOptions): Promise<Backend> {
  const { maxRetries } = options;
  let _db: StoreDatabase | undefined;
  let _opening: Promise<StoreDatabase> | undefined;
  let _closed = false;

  function drop(db: StoreDatabase): void {
    if (_db === db) _db = undefined;
  }

  function connect(): Promise<StoreDatabase> {
    if (_db) return Promise.resolve(_db);
    _opening ??= openDatabase({ ...options, version: DB_VERSION })
      .then((db) => {
        _opening = undefined;
        if (_closed) {
          db.close();
          throw storeError(ErrorCode.StoreConnectionLost, 'the store is closed');
        }
        // The browser closed the connection (storage cleared, backend crashed): reopen next time.
        db.addEventListener('close', () => drop(db));
        // Another tab wants to upgrade or delete the database: step aside rather than block it.
        db.addEventListener('versionchange', () => {
          db.close();
          drop(db);
        });
        _db = db;
        return db;
      })
      .catch((error: unknown) => {
        _opening = undefined;
        if (typeof error === 'object' && error !== null) reopenFailures.add(error);
        throw error;
      });
    return _opening;
  }

  /** Runs `op` on a connection, reopening and retrying when the connection was lost. */
  async function run<T>(op: (db: StoreDatabase) => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      if (_closed) throw storeError(ErrorCode.StoreConnectionLost, 'the store is closed');
      const db = await connect();
      try {
        return await op(db);
      } catch (cause) {
        const error = toStoreError(cause);
        if (error.code !== ErrorCode.StoreConnectionLost || attempt >= maxRetries) throw error;
        drop(db);
      }
    }
  }

  function write<Names extends StoreName[]>(db: StoreDatabase, names: Names) {
    return observed(db.transaction(names, 'readwrite', STRICT));
  }

  await connect();

  return {
    mode: 'indexeddb',
    consentLatest: () =>
      run(async (db) => {
        const cursor = await observed(db.transaction('consent')).store.openCursor(null, 'prev');
        return cursor ? { seq: cursor.primaryKey, record: cursor.value } : undefined;
      }),
    consentAppend: (expected, record, purge, auditFor) =>
      run(async (db) => {
        const tx = write(db, ['consent', 'events', 'outbox', 'audit']);
        const purged = new Map<string, PurgeCounts>();
        const cursor = await tx.objectStore('consent').openCursor(null, 'prev');
        const current: LatestReceipt | undefined = cursor
          ? { seq: cursor.primaryKey, record: cursor.value }
          : undefined;
        let status: 'appended' | 'duplicate' | 'conflict' = 'appended';
        if (current?.record.id === record.id) status = 'duplicate';
        else if (current?.seq !== expected) status = 'conflict';
        else {
          unwrap(tx.objectStore('consent')).add(record);
          for (const purpose of purge) purged.set(purpose, await purgeIn(tx, purpose, auditFor));
        }
        await tx.done;
        return { status, purged };
      }),
    consentAll: () => run((db) => db.getAll('consent')),
    eventsPut: (rows) =>
      run(async (db) => {
        const tx = write(db, ['consent', 'events']);
        // The latest receipt is read in the same transaction, so a withdrawal committed by
        // another tab a moment ago cannot be overtaken by a write decided before it. The writes
        // are queued without waiting for it (the common case declines nothing), and those of a
        // declined purpose are deleted again before the transaction can commit.
        const latest = tx.objectStore('consent').openCursor(null, 'prev');
        // Observed now: if a write throws below, the abort rejects it before it is awaited.
        latest.catch(ignore);
        // Raw requests: one promise per record would cost more than the write itself, and any
        // failure aborts the transaction, which `tx.done` reports.
        const events = unwrap(tx.objectStore('events'));
        abortOnThrow(tx, () => {
          for (const row of rows) events.put(row);
        });
        const declined = declinedPurposes((await latest)?.value);
        for (const row of rows) if (declined.has(row.purpose)) events.delete(recordKey(row));
        await tx.done;
        return declined;
      }),
    eventsList: ({ now, purpose, limit }) =>
      run((db) =>
        purpose === undefined
          ? db.getAllFromIndex('events', 'expiresAt', IDBKeyRange.lowerBound(now, true), limit)
          : db.getAll('events', liveRange(purpose, now), limit),
      ),
    eventsCount: ({ now, purpose }) =>
      run((db) =>
        purpose === undefined
          ? db.countFromIndex('events', 'expiresAt', IDBKeyRange.lowerBound(now, true))
          : db.count('events', liveRange(purpose, now)),
      ),
    evict: (purpose, count, auditFor) =>
      run(async (db) => {
        const tx = write(db, ['events', 'outbox', 'audit']);
        const keys = await tx.objectStore('events').getAllKeys(purposeRange(purpose), count);
        const last = keys.at(-1);
        if (last) {
          tx.objectStore('events')
            .delete(IDBKeyRange.bound([purpose], last))
            .catch(ignore);
          const ids = new Set(keys.map((key) => key[2]));
          const range = IDBKeyRange.bound([purpose], [purpose, last[1], []]);
          let cursor = await tx.objectStore('outbox').openCursor(range);
          while (cursor) {
            if (ids.has(cursor.value.eventId)) cursor.delete().catch(ignore);
            cursor = await cursor.continue();
          }
          unwrap(tx.objectStore('audit')).put(auditFor(purpose, keys.length));
        }
        await tx.done;
        return keys.length;
      }),
    outboxPut: (entries, now) =>
      run(async (db) => {
        const tx = write(db, ['events', 'outbox']);
        const events = tx.objectStore('events');
        const found = await Promise.all(
          entries.map((entry) =>
            entry.expiresAt > now
              ? events.getKey([entry.purpose, entry.expiresAt, entry.eventId])
              : Promise.resolve(undefined),
          ),
        );
        const written = entries.filter((_entry, i) => found[i] !== undefined);
        const outbox = unwrap(tx.objectStore('outbox'));
        abortOnThrow(tx, () => {
          for (const entry of written) outbox.put(entry);
        });
        await tx.done;
        return written;
      }),
    outboxDue: ({ now, limit, destination }) =>
      run(async (db) => {
        const tx = observed(db.transaction(['outbox', 'events']));
        const entries: OutboxEntry[] = [];
        let cursor = await tx
          .objectStore('outbox')
          .index('nextAttemptAt')
          .openCursor(IDBKeyRange.upperBound(now));
        while (cursor && entries.length < limit) {
          const entry = cursor.value;
          if (
            entry.expiresAt > now &&
            (destination === undefined || entry.destination === destination)
          ) {
            entries.push(entry);
          }
          cursor = await cursor.continue();
        }
        const events = tx.objectStore('events');
        const rows = await Promise.all(
          entries.map((entry) => events.get([entry.purpose, entry.expiresAt, entry.eventId])),
        );
        await tx.done;
        const due: DueRow[] = [];
        entries.forEach((entry, i) => {
          const event = rows[i];
          if (event) due.push({ entry, event });
        });
        return due;
      }),
    outboxAttempt: (ref, nextAttemptAt) =>
      run(async (db) => {
        const tx = observed(db.transaction('outbox', 'readwrite', STRICT));
        const entry = await tx.store.get(recordKey(ref));
        const next = entry && { ...entry, attempts: entry.attempts + 1, nextAttemptAt };
        if (next) unwrap(tx.store).put(next);
        await tx.done;
        return next;
      }),
    outboxRemove: (refs, audit) =>
      run(async (db) => {
        const tx = write(db, ['outbox', 'audit']);
        const outbox = tx.objectStore('outbox');
        const counts = await Promise.all(refs.map((ref) => outbox.count(recordKey(ref))));
        for (const ref of refs) unwrap(outbox).delete(recordKey(ref));
        for (const entry of audit) unwrap(tx.objectStore('audit')).put(entry);
        await tx.done;
        return counts.reduce((sum, count) => sum + count, 0);
      }),
    auditPut: (entries) =>
      run(async (db) => {
        const tx = observed(db.transaction('audit', 'readwrite', STRICT));
        abortOnThrow(tx, () => {
          for (const entry of entries) unwrap(tx.store).put(entry);
        });
        await tx.done;
      }),
    auditList: (now) => run((db) => db.getAll('audit', IDBKeyRange.lowerBound([now, []], true))),
    purge: (purpose, auditFor) =>
      run(async (db) => {
        const tx = write(db, ['events', 'outbox', 'audit']);
        const counts = await purgeIn(tx, purpose, auditFor);
        await tx.done;
        return counts;
      }),
    eraseAll: (receipt) =>
      run(async (db) => {
        const tx = write(db, ['consent', 'events', 'outbox', 'audit']);
        for (const store of ['consent', 'events', 'outbox', 'audit'] as const) {
          unwrap(tx.objectStore(store)).clear();
        }
        unwrap(tx.objectStore('audit')).put(receipt);
        await tx.done;
      }),
    sweepBatch: (now, limit, targets, auditFor) =>
      run(async (db) => {
        const tx = observed(db.transaction(['events', 'outbox', 'audit'], 'readwrite', RELAXED));
        const expired = IDBKeyRange.upperBound(now);
        const none = Promise.resolve([]);
        // One walk of each expiresAt index per batch: the keys of the soonest-expired entries.
        const [eventKeys, outboxKeys, auditKeys] = await Promise.all([
          targets.events
            ? tx.objectStore('events').index('expiresAt').getAllKeys(expired, limit)
            : none,
          targets.outbox
            ? tx.objectStore('outbox').index('expiresAt').getAllKeys(expired, limit)
            : none,
          targets.audit
            ? tx.objectStore('audit').getAllKeys(IDBKeyRange.upperBound([now, []]), limit)
            : none,
        ]);
        const counts = deleteRuns(unwrap(tx.objectStore('events')), eventKeys);
        deleteRuns(unwrap(tx.objectStore('outbox')), outboxKeys);
        const lastAudit = auditKeys.at(-1);
        if (lastAudit) unwrap(tx.objectStore('audit')).delete(IDBKeyRange.upperBound(lastAudit));
        for (const [purpose, count] of counts) {
          unwrap(tx.objectStore('audit')).put(auditFor(purpose, count));
        }
        await tx.done;
        return { expired: counts, outbox: outboxKeys.length, audit: auditKeys.length };
      }),
    snapshot: (now) =>
      run(async (db) => {
        const tx = observed(db.transaction(['consent', 'events', 'outbox', 'audit']));
        const [consent, events, outbox, audit] = await Promise.all([
          tx.objectStore('consent').getAll(),
          tx.objectStore('events').index('expiresAt').getAll(IDBKeyRange.lowerBound(now, true)),
          tx.objectStore('outbox').index('expiresAt').getAll(IDBKeyRange.lowerBound(now, true)),
          tx.objectStore('audit').getAll(IDBKeyRange.lowerBound([now, []], true)),
        ]);
        await tx.done;
        return { consent, events, outbox, audit };
      }),
    loadKey: (keyName, generate) =>
      run(async (db) => {
        const existing = await db.get('keys', keyName);
        if (existing) return existing;
        // Generated outside the transaction: awaiting WebCrypto inside it would let it commit.
        const generated = await generate();
        const tx = observed(db.transaction('keys', 'readwrite', STRICT));
        // Another tab may have stored a key meanwhile; theirs wins, or its data would be unreadable.
        const stored = await tx.store.get(keyName);
        if (!stored) unwrap(tx.store).add(generated, keyName);
        await tx.done;
        return stored ?? generated;
      }),
    close() {
      _closed = true;
      _db?.close();
      _db = undefined;
    },
  };
}

/**
 * Deletes the records whose keys are listed, given in `expiresAt` index order, with one range
 * delete per purpose, and returns how many went per purpose.
 *
 * Within a purpose, every key below the batch's last one expires no later and so precedes it in
 * the index: it is in the batch too. `[purpose]` sorts below every `[purpose, …]` key.
 */
function deleteRuns(store: IDBObjectStore, keys: readonly RecordKey[]): Map<string, number> {
  const last = new Map<string, RecordKey>();
  const counts = new Map<string, number>();
  for (const key of keys) {
    last.set(key[0], key);
    counts.set(key[0], (counts.get(key[0]) ?? 0) + 1);
  }
  for (const [purpose, key] of last) store.delete(IDBKeyRange.bound([purpose], key));
  return counts;
}

/**
 * Deletes a purpose's records and outbox entries within `tx`, writes `auditFor` when anything
 * went, and returns the counts. Two range deletes, whatever the number of records.
 */
async function purgeIn(
  tx: IDBPTransaction<StoreSchema, ('events' | 'outbox' | 'audit' | 'consent')[], 'readwrite'>,
  purpose: string,
  auditFor: AuditFor,
): Promise<PurgeCounts> {
  const range = purposeRange(purpose);
  const [events, outbox] = await Promise.all([
    tx.objectStore('events').count(range),
    tx.objectStore('outbox').count(range),
  ]);
  unwrap(tx.objectStore('events')).delete(range);
  unwrap(tx.objectStore('outbox')).delete(range);
  if (events + outbox > 0) unwrap(tx.objectStore('audit')).put(auditFor(purpose, events));
  return { events, outbox };
}

/**
 * Marks a transaction's `done` promise as observed and returns the transaction. A transaction that
 * aborts before the code reaches `await tx.done` (a request failed first) would otherwise leave an
 * unhandled rejection on the host page; awaiting `tx.done` still reports the failure.
 */
function observed<T extends { readonly done: Promise<void> }>(tx: T): T {
  tx.done.catch(ignore);
  return tx;
}

/**
 * Runs `issue`, which queues requests on `tx`, and aborts `tx` if it throws: a request that
 * throws synchronously (a `DataCloneError`, an invalid key) must not let the requests queued
 * before it commit as half a batch.
 */
function abortOnThrow(tx: { abort(): void }, issue: () => void): void {
  try {
    issue();
  } catch (error) {
    try {
      tx.abort();
    } catch {
      // Already finished or aborted: nothing was committed by this call.
    }
    throw error;
  }
}

function ignore(): void {
  // The transaction reports the failure through `tx.done`.
}
