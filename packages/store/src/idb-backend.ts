import type { ConsentRecord } from '@consentgate/core';
import { unwrap } from 'idb';
import type { IDBPObjectStore, IDBPTransaction } from 'idb';

import { declinedPurposes } from './backend.js';
import type {
  AuditFor,
  Backend,
  DueRow,
  LatestReceipt,
  PurgeCounts,
  SweepBatch,
  SweepTargets,
} from './backend.js';
import { openConnection } from './idb-connection.js';
import type { ConnectionOptions } from './idb-connection.js';
import type { AuditEntry, OutboxEntry, OutboxRef } from './records.js';
import { fromOutboxRow, recordKey } from './schema.js';
import type { EventRow, RecordKey, StoreDatabase, StoreName, StoreSchema } from './schema.js';

/** How writes are committed: `strict` waits until the data is flushed to disk. */
const STRICT: IDBTransactionOptions = { durability: 'strict' };

/**
 * How the sweeper commits. Losing a sweep to a crash only brings back records that reads already
 * hide and the next sweep deletes, so it skips the flush; measured in Chromium this roughly halves
 * the time of a 100k sweep.
 */
const RELAXED: IDBTransactionOptions = { durability: 'relaxed' };

/** Options for {@link createIdbBackend}. */
export type IdbBackendOptions = ConnectionOptions;

const purposeRange = (purpose: string) => IDBKeyRange.bound([purpose], [purpose, []]);

/** Live records of a purpose: `[purpose, t, id]` with `t > now` (a string id sorts below `[]`). */
const liveRange = (purpose: string, now: number) =>
  IDBKeyRange.bound([purpose, now, []], [purpose, []], true);

/** Entries that have not expired, in an `expiresAt` index. */
const liveFrom = (now: number) => IDBKeyRange.lowerBound(now, true);

/** Audit entries (keyed `[expiresAt, id]`) that have not expired. */
const liveAudit = (now: number) => IDBKeyRange.lowerBound([now, []], true);

/**
 * Creates the IndexedDB backend and opens its first connection; rejects like `openDatabase`.
 * Each operation is one transaction, run on a connection that is reopened when it was lost.
 */
export async function createIdbBackend(options: IdbBackendOptions): Promise<Backend> {
  const { run, close } = await openConnection(options);
  /** Turns an operation on a connection into a backend method that runs it on this one. */
  const on =
    <A extends unknown[], R>(op: (db: StoreDatabase, ...args: A) => Promise<R>) =>
    (...args: A) =>
      run((db) => op(db, ...args));
  return {
    mode: 'indexeddb',
    consentLatest: on((db) => latestIn(observed(db.transaction('consent')).store)),
    consentAppend: on(consentAppend),
    consentAll: on((db) => db.getAll('consent')),
    eventsPut: on(eventsPut),
    eventsList: on((db, { now, purpose, limit }: Parameters<Backend['eventsList']>[0]) =>
      purpose === undefined
        ? db.getAllFromIndex('events', 'expiresAt', liveFrom(now), limit)
        : db.getAll('events', liveRange(purpose, now), limit),
    ),
    eventsCount: on((db, { now, purpose }: Parameters<Backend['eventsCount']>[0]) =>
      purpose === undefined
        ? db.countFromIndex('events', 'expiresAt', liveFrom(now))
        : db.count('events', liveRange(purpose, now)),
    ),
    evict: on(evict),
    outboxPut: on(outboxPut),
    outboxDue: on(outboxDue),
    outboxAttempt: on(outboxAttempt),
    outboxRemove: on(outboxRemove),
    auditPut: on(auditPut),
    auditList: on((db, now: number) => db.getAll('audit', liveAudit(now))),
    purge: on(async (db, purpose: string, auditFor: AuditFor) => {
      const tx = write(db, ['events', 'outbox', 'audit']);
      const counts = await purgeIn(tx, purpose, auditFor);
      await tx.done;
      return counts;
    }),
    eraseAll: on(eraseAll),
    sweepBatch: on(sweepBatch),
    snapshot: on(snapshot),
    loadKey: on(loadKey),
    close,
  };
}

function write<Names extends StoreName[]>(db: StoreDatabase, names: Names) {
  return observed(db.transaction(names, 'readwrite', STRICT));
}

/** Returns the latest receipt in `consent`, the consent object store of a transaction. */
async function latestIn<Names extends StoreName[], Mode extends IDBTransactionMode>(
  consent: IDBPObjectStore<StoreSchema, Names, 'consent', Mode>,
): Promise<LatestReceipt | undefined> {
  const cursor = await consent.openCursor(null, 'prev');
  return cursor ? { seq: cursor.primaryKey, record: cursor.value } : undefined;
}

async function consentAppend(
  db: StoreDatabase,
  expected: number | undefined,
  record: ConsentRecord,
  purge: readonly string[],
  auditFor: AuditFor,
): ReturnType<Backend['consentAppend']> {
  const tx = write(db, ['consent', 'events', 'outbox', 'audit']);
  const purged = new Map<string, PurgeCounts>();
  const current = await latestIn(tx.objectStore('consent'));
  let status: 'appended' | 'duplicate' | 'conflict' = 'appended';
  if (current?.record.id === record.id) status = 'duplicate';
  else if (current?.seq !== expected) status = 'conflict';
  else {
    unwrap(tx.objectStore('consent')).add(record);
    for (const purpose of purge) purged.set(purpose, await purgeIn(tx, purpose, auditFor));
  }
  await tx.done;
  return { status, purged };
}

async function eventsPut(db: StoreDatabase, rows: readonly EventRow[]): Promise<Set<string>> {
  const tx = write(db, ['consent', 'events']);
  // The latest receipt is read in the same transaction, so a withdrawal committed by another tab
  // a moment ago cannot be overtaken by a write decided before it. The writes are queued without
  // waiting for it (the common case declines nothing), and those of a declined purpose are
  // deleted again before the transaction can commit.
  const latest = tx.objectStore('consent').openCursor(null, 'prev');
  // Observed now: if a write throws below, the abort rejects it before it is awaited.
  latest.catch(ignore);
  // Raw requests: one promise per record would cost more than the write itself, and any failure
  // aborts the transaction, which `tx.done` reports.
  const events = unwrap(tx.objectStore('events'));
  abortOnThrow(tx, () => {
    for (const row of rows) events.put(row);
  });
  const declined = declinedPurposes((await latest)?.value);
  for (const row of rows) if (declined.has(row.purpose)) events.delete(recordKey(row));
  await tx.done;
  return declined;
}

async function evict(
  db: StoreDatabase,
  purpose: string,
  count: number,
  auditFor: AuditFor,
): Promise<number> {
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
}

async function outboxPut(
  db: StoreDatabase,
  entries: readonly OutboxEntry[],
  now: number,
): Promise<OutboxEntry[]> {
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
}

async function outboxDue(
  db: StoreDatabase,
  { now, limit, destination }: Parameters<Backend['outboxDue']>[0],
): Promise<DueRow[]> {
  const tx = observed(db.transaction(['outbox', 'events']));
  const entries: OutboxEntry[] = [];
  let cursor = await tx
    .objectStore('outbox')
    .index('nextAttemptAt')
    .openCursor(IDBKeyRange.upperBound(now));
  while (cursor && entries.length < limit) {
    const entry = cursor.value;
    if (entry.expiresAt > now && (destination === undefined || entry.destination === destination)) {
      entries.push(fromOutboxRow(entry));
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
}

async function outboxAttempt(
  db: StoreDatabase,
  ref: OutboxRef,
  nextAttemptAt: number,
): Promise<OutboxEntry | undefined> {
  const tx = observed(db.transaction('outbox', 'readwrite', STRICT));
  const row = await tx.store.get(recordKey(ref));
  const entry = row && fromOutboxRow(row);
  const next = entry && { ...entry, attempts: entry.attempts + 1, nextAttemptAt };
  if (next) unwrap(tx.store).put(next);
  await tx.done;
  return next;
}

async function outboxRemove(
  db: StoreDatabase,
  refs: readonly OutboxRef[],
  audit: readonly AuditEntry[],
): Promise<number> {
  const tx = write(db, ['outbox', 'audit']);
  const outbox = tx.objectStore('outbox');
  const counts = await Promise.all(refs.map((ref) => outbox.count(recordKey(ref))));
  for (const ref of refs) unwrap(outbox).delete(recordKey(ref));
  for (const entry of audit) unwrap(tx.objectStore('audit')).put(entry);
  await tx.done;
  return counts.reduce((sum, count) => sum + count, 0);
}

async function auditPut(db: StoreDatabase, entries: readonly AuditEntry[]): Promise<void> {
  const tx = observed(db.transaction('audit', 'readwrite', STRICT));
  abortOnThrow(tx, () => {
    for (const entry of entries) unwrap(tx.store).put(entry);
  });
  await tx.done;
}

async function eraseAll(db: StoreDatabase, receipt: AuditEntry): Promise<void> {
  const tx = write(db, ['consent', 'events', 'outbox', 'audit']);
  for (const store of ['consent', 'events', 'outbox', 'audit'] as const) {
    unwrap(tx.objectStore(store)).clear();
  }
  unwrap(tx.objectStore('audit')).put(receipt);
  await tx.done;
}

async function sweepBatch(
  db: StoreDatabase,
  now: number,
  limit: number,
  targets: SweepTargets,
  auditFor: AuditFor,
): Promise<SweepBatch> {
  const tx = observed(db.transaction(['events', 'outbox', 'audit'], 'readwrite', RELAXED));
  const expired = IDBKeyRange.upperBound(now);
  const none = Promise.resolve([]);
  // One walk of each expiresAt index per batch: the keys of the soonest-expired entries.
  const [eventKeys, outboxKeys, auditKeys] = await Promise.all([
    targets.events ? tx.objectStore('events').index('expiresAt').getAllKeys(expired, limit) : none,
    targets.outbox ? tx.objectStore('outbox').index('expiresAt').getAllKeys(expired, limit) : none,
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
}

async function snapshot(db: StoreDatabase, now: number): ReturnType<Backend['snapshot']> {
  const tx = observed(db.transaction(['consent', 'events', 'outbox', 'audit']));
  const [consent, events, outbox, audit] = await Promise.all([
    tx.objectStore('consent').getAll(),
    tx.objectStore('events').index('expiresAt').getAll(liveFrom(now)),
    tx.objectStore('outbox').index('expiresAt').getAll(liveFrom(now)),
    tx.objectStore('audit').getAll(liveAudit(now)),
  ]);
  await tx.done;
  return { consent, events, outbox: outbox.map(fromOutboxRow), audit };
}

async function loadKey(
  db: StoreDatabase,
  keyName: string,
  generate: () => Promise<CryptoKey>,
): Promise<CryptoKey> {
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
