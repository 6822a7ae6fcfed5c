import type { ConsentRecord } from '@consentgate/core';
import type { DBSchema, IDBPDatabase, IDBPTransaction, StoreNames } from 'idb';

import type { AuditEntry, OutboxEntry, StoredEvent } from './records.js';

/**
 * Primary key of events and outbox entries: `[purpose, expiresAt, id]`.
 *
 * Ordering records by purpose, then expiry, lets a withdrawal delete a purpose and the sweeper
 * delete an expired run with one `delete(IDBKeyRange)` each. Chromium deletes a key range about 40
 * times faster than the same records one key at a time (10k records: 28 ms against 1 s).
 */
export type RecordKey = [purpose: string, expiresAt: number, id: string];

/** Primary key of audit entries: `[expiresAt, id]`, so expired entries form one range. */
export type AuditKey = [expiresAt: number, id: string];

/** Encrypted field values: AES-GCM over the JSON of the sealed fields, bound to the record id. */
export interface Sealed {
  /** The 96-bit initialisation vector, fresh for every record. */
  readonly iv: Uint8Array<ArrayBuffer>;
  /** Ciphertext with its authentication tag. */
  readonly data: ArrayBuffer;
}

/** An event as stored: fields that need encryption live in `sealed`, the rest in `fields`. */
export interface EventRow extends StoredEvent {
  readonly sealed?: Sealed;
}

/**
 * An outbox entry as stored. Entries written before `attachAnonymousId` existed lack it; read them
 * with {@link fromOutboxRow}. An added field needs no new version: nothing indexes it.
 */
export type OutboxRow = Omit<OutboxEntry, 'attachAnonymousId'> & {
  readonly attachAnonymousId?: boolean;
};

/**
 * The database schema, version 1. A later version adds its own interface (`SchemaV2`) and an
 * upgrade step in {@link MIGRATIONS}; `StoreSchema` then points at the newest one.
 */
export interface SchemaV1 extends DBSchema {
  /** Append-only consent receipts, keyed by an auto-incremented sequence number. */
  consent: { key: number; value: ConsentRecord };
  /** Minimised event records. */
  events: { key: RecordKey; value: EventRow; indexes: { expiresAt: number } };
  /** Pending deliveries. */
  outbox: {
    key: RecordKey;
    value: OutboxRow;
    indexes: { expiresAt: number; nextAttemptAt: number };
  };
  /** Audit trail (metadata only). */
  audit: { key: AuditKey; value: AuditEntry };
  /** Non-extractable encryption keys, by name. */
  keys: { key: string; value: CryptoKey };
}

/** The schema this version of the package reads and writes. */
export type StoreSchema = SchemaV1;

/** A connection to the store's database. */
export type StoreDatabase = IDBPDatabase<StoreSchema>;

/** The object stores, by name. */
export type StoreName = StoreNames<StoreSchema>;

type UpgradeTransaction = IDBPTransaction<StoreSchema, StoreName[], 'versionchange'>;

/** One schema step: brings a database at `index` to version `index + 1`. */
type Migration = (db: StoreDatabase, tx: UpgradeTransaction) => void;

/** The upgrade steps, oldest first; the database version is their count. */
export const MIGRATIONS: readonly Migration[] = [
  (db) => {
    db.createObjectStore('consent', { autoIncrement: true });
    const events = db.createObjectStore('events', { keyPath: ['purpose', 'expiresAt', 'id'] });
    events.createIndex('expiresAt', 'expiresAt');
    const outbox = db.createObjectStore('outbox', { keyPath: ['purpose', 'expiresAt', 'id'] });
    outbox.createIndex('expiresAt', 'expiresAt');
    outbox.createIndex('nextAttemptAt', 'nextAttemptAt');
    db.createObjectStore('audit', { keyPath: ['expiresAt', 'id'] });
    db.createObjectStore('keys');
  },
];

/** The database version this package opens. */
export const DB_VERSION = MIGRATIONS.length;

/**
 * Runs the upgrade steps from `oldVersion` to `newVersion`; the `upgrade` callback of the open.
 * Steps only create or change stores, so they never wait on anything outside the transaction.
 */
export function upgrade(
  db: StoreDatabase,
  oldVersion: number,
  newVersion: number,
  tx: UpgradeTransaction,
): void {
  for (let version = oldVersion; version < newVersion; version++) MIGRATIONS[version]?.(db, tx);
}

/** The key of an event or outbox entry. */
export function recordKey(record: {
  readonly purpose: string;
  readonly expiresAt: number;
  readonly id: string;
}): RecordKey {
  return [record.purpose, record.expiresAt, record.id];
}

/**
 * Returns the entry a stored outbox row stands for. A row without `attachAnonymousId` was written
 * before the field existed, when no decision about the identifier was recorded: it gets `false`,
 * so its message goes without the identifier rather than with one nobody allowed.
 */
export function fromOutboxRow(row: OutboxRow): OutboxEntry {
  return { ...row, attachAnonymousId: row.attachAnonymousId === true };
}
