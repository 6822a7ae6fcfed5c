import type { ConsentGateError, ConsentRecord, Emitter, Purpose, Result } from '@consentgate/core';

import type { StoreMode } from './backend.js';
import type { ExportDocument } from './export-document.js';
import type {
  AuditEntry,
  AuditInput,
  AuditKind,
  ChainReport,
  ConsentInput,
  DueMessage,
  EventInput,
  OutboxEntry,
  OutboxInput,
  OutboxRef,
  PurgeOptions,
  PurgeReport,
  PurposeCount,
  PutReport,
  StoredEvent,
  SweepReport,
} from './records.js';

/** Options for {@link openStore}. */
export interface StoreOptions {
  /**
   * The clock, in epoch milliseconds. Expiry is decided with it: inject one to test expiry
   * without timers.
   *
   * @default Date.now
   */
  now?: () => number;
  /**
   * How long opening IndexedDB may take before the store gives up on it (some private modes and
   * broken profiles leave `open()` pending forever).
   *
   * @default 3000
   */
  openTimeoutMs?: number;
  /**
   * How long a database upgrade may stay blocked by another tab holding the old version open.
   *
   * @default 5000
   */
  blockedTimeoutMs?: number;
  /**
   * Times an operation is retried, each on a reopened connection, after its connection was lost.
   *
   * @default 2
   */
  maxRetries?: number;
  /**
   * Interval of the background sweep that deletes expired records; `0` turns the timer off (the
   * sweep at open and on `visibilitychange` still run).
   *
   * @default 60000
   */
  sweepIntervalMs?: number;
  /**
   * Most records one sweep transaction deletes per object store; the sweep yields to the page
   * between transactions. Each transaction costs the page about a millisecond per 1,000 records
   * (reading their keys); larger batches sweep faster but keep other writes waiting longer.
   *
   * @default 1000
   */
  sweepBatchSize?: number;
  /**
   * How long audit entries are kept. A `sent` entry is kept at least as long as its record.
   *
   * @default 2592000000 (30 days)
   */
  auditRetentionMs?: number;
  /**
   * Data categories whose field values are encrypted at rest (AES-GCM, non-extractable key kept
   * in IndexedDB). A label selects itself and everything below it: `user.contact` selects
   * `user.contact.email`. Fields are matched through {@link EventInput.categories}. See the
   * README for what this does and does not protect against.
   *
   * @default []
   */
  encryptCategories?: readonly string[];
  /**
   * The IndexedDB factory; `null` behaves as if IndexedDB were missing. Key ranges are built with
   * the global `IDBKeyRange`, so the factory must come from the same implementation.
   *
   * @default globalThis.indexedDB
   */
  indexedDB?: IDBFactory | null;
  /**
   * Whether to keep working in memory when IndexedDB is missing or fails to open. When false,
   * {@link openStore} returns the error instead.
   *
   * @default true
   */
  memoryFallback?: boolean;
}

/** Events a {@link Store} emits, each after its transaction committed. */
export type StoreEvents = {
  /** A consent receipt was appended. */
  'consent:appended': [record: Readonly<ConsentRecord>];
  /** The sweeper deleted expired records of a purpose (once per purpose and sweep). */
  'record:expired': [expired: Readonly<PurposeCount>];
  /** A purpose's records were deleted (withdrawal, or an explicit {@link Store.purge}). */
  'store:purged': [report: Readonly<PurgeReport>];
  /** Records were deleted early because the storage quota was used up. */
  'store:evicted': [evicted: Readonly<PurposeCount>];
  /** Everything was erased; the payload is the receipt that remains. */
  'store:erased': [receipt: Readonly<AuditEntry>];
  /**
   * The store lost IndexedDB after it opened and now works in memory only. (A fallback while
   * opening shows in {@link Store.mode} and {@link Store.fallback}: there is nobody to tell yet.)
   */
  'store:fallback': [error: ConsentGateError];
  /**
   * An operation failed, or a listener threw (code `sdk/callback-failed`, with what it threw as
   * `cause`). `source` names the operation, such as `'events.put'`, or the event being emitted.
   * The platform error, when there is one, is the `cause`.
   */
  error: [error: ConsentGateError, source: string];
};

/** Options for {@link ConsentLog.append}. */
export interface AppendOptions {
  /**
   * Delete, in the same transaction, the records and outbox entries of every purpose the receipt
   * declines (`false`), and audit it as `purged`. Withdrawing consent is then one call.
   *
   * @default true
   */
  purgeDeclined?: boolean;
}

/** The consent history: append-only, hash-chained receipts. */
export interface ConsentLog {
  /**
   * Appends a receipt, linking it to the previous one by SHA-256 (`previous`), and returns the
   * stored receipt. Safe against other tabs appending at the same time: the chain never forks.
   *
   * @throws {@link ConsentGateError} `store/invalid-record` when the receipt is malformed.
   */
  append(receipt: ConsentInput, options?: AppendOptions): Promise<Result<ConsentRecord>>;
  /** Returns the receipt in force, or `undefined` before the visitor answered. */
  latest(): Promise<Result<ConsentRecord | undefined>>;
  /** Returns every receipt, oldest first. */
  history(): Promise<Result<readonly ConsentRecord[]>>;
  /** Recomputes the hash chain and returns whether every link matches. */
  verifyChain(): Promise<Result<ChainReport>>;
}

/** Options for {@link EventLog.list}. */
export interface EventQuery {
  /**
   * Only records of this purpose, soonest expiring first.
   *
   * @default undefined (all purposes, soonest expiring first)
   */
  purpose?: Purpose;
  /** @default undefined (no limit) */
  limit?: number;
}

/** Minimised event records, each with an expiry. */
export interface EventLog {
  /**
   * Stores records in one transaction and returns what was stored and what was skipped (already
   * expired, or of a purpose the latest receipt declines). Resolves only after the transaction
   * committed with `durability: 'strict'`. When the quota is used up, the soonest-expiring
   * records of the same purposes are evicted (audited, and emitted as `store:evicted`) and the
   * write is tried once more.
   *
   * @throws {@link ConsentGateError} `store/invalid-record` when a record is malformed.
   */
  put(records: readonly EventInput[]): Promise<Result<PutReport>>;
  /** Returns the records that have not expired, decrypted. */
  list(query?: EventQuery): Promise<Result<readonly StoredEvent[]>>;
  /** Returns how many records have not expired. */
  count(query?: Pick<EventQuery, 'purpose'>): Promise<Result<number>>;
}

/** Options for {@link Outbox.due}. */
export interface DueQuery {
  /**
   * The instant to compare `nextAttemptAt` with.
   *
   * @default the store's `now()`
   */
  now?: number;
  /** @default 50 */
  limit?: number;
  /** @default undefined (every destination) */
  destination?: string;
}

/** Options for {@link Outbox.complete}. */
export interface CompleteOptions {
  /**
   * Digest of the policy that allowed the sends, for the `sent` audit entries.
   *
   * @default undefined
   */
  policyDigest?: string;
}

/** Pending deliveries, per record and destination. */
export interface Outbox {
  /**
   * Adds entries and returns those added. Entries whose record is gone (expired, purged,
   * evicted) are skipped. Each entry expires and is purged with its record.
   *
   * @throws {@link ConsentGateError} `store/invalid-record` when an entry is malformed.
   */
  enqueue(entries: readonly OutboxInput[]): Promise<Result<readonly OutboxEntry[]>>;
  /** Returns up to `limit` entries due for sending, oldest due first, each with its record. */
  due(query?: DueQuery): Promise<Result<readonly DueMessage[]>>;
  /**
   * Counts a failed attempt, sets when to try next, and returns the entry (or `undefined`).
   *
   * @throws {@link ConsentGateError} `store/invalid-record` when an entry is not one the outbox
   * returned, `sdk/invalid-options` when `nextAttemptAt` is not a number.
   */
  markAttempt(entry: OutboxRef, nextAttemptAt: number): Promise<Result<OutboxEntry | undefined>>;
  /**
   * Removes delivered entries, audits each as `sent`, and returns how many were removed.
   *
   * @throws {@link ConsentGateError} `store/invalid-record` when an entry is not one the outbox
   * returned.
   */
  complete(entries: readonly OutboxEntry[], options?: CompleteOptions): Promise<Result<number>>;
  /**
   * Removes entries without auditing (giving up), and returns how many were removed.
   *
   * @throws {@link ConsentGateError} `store/invalid-record` when an entry is not one the outbox
   * returned.
   */
  remove(entries: readonly OutboxRef[]): Promise<Result<number>>;
}

/** Options for {@link AuditLog.list}. */
export interface AuditQuery {
  /** @default undefined (every kind) */
  kind?: AuditKind;
  /** @default undefined (every purpose) */
  purpose?: Purpose;
  /** @default undefined (no limit) */
  limit?: number;
}

/** The audit trail: what was allowed, blocked, sent, expired, purged, evicted or erased. */
export interface AuditLog {
  /**
   * Appends entries (metadata only, never property values) and returns them as stored.
   *
   * @throws {@link ConsentGateError} `store/invalid-record` when an entry is malformed.
   */
  append(entries: readonly AuditInput[]): Promise<Result<readonly AuditEntry[]>>;
  /** Returns entries that have not expired, newest first. */
  list(query?: AuditQuery): Promise<Result<readonly AuditEntry[]>>;
}

/**
 * The visitor's data on this device. Every method resolves to a `Result` and never rejects.
 */
export interface Store {
  /** Where data is kept now; `memory` means it is lost when the page closes. */
  readonly mode: StoreMode;
  /** Why the store works in memory, when it does. */
  readonly fallback: ConsentGateError | undefined;
  /** Consent receipts. */
  readonly consent: ConsentLog;
  /** Event records. */
  readonly events: EventLog;
  /** Pending deliveries. */
  readonly outbox: Outbox;
  /** Audit trail. */
  readonly audit: AuditLog;
  /** Adds a listener and returns the function that removes it. */
  on: Emitter<StoreEvents>['on'];
  /**
   * Deletes a purpose's records and outbox entries in one transaction (a withdrawal), audits it
   * as `purged`, and returns the counts.
   *
   * @throws {@link ConsentGateError} `sdk/invalid-options` when `purpose` is not a string.
   */
  purge(purpose: Purpose, options?: PurgeOptions): Promise<Result<PurgeReport>>;
  /**
   * Deletes everything (consent history, records, outbox, audit) and keeps only an `erased`
   * audit entry, which it returns. The encryption key stays, as it holds no personal data.
   */
  eraseAll(): Promise<Result<AuditEntry>>;
  /** Returns everything stored, decrypted, as a document a person can read. */
  export(): Promise<Result<ExportDocument>>;
  /**
   * Deletes expired records, outbox entries and audit entries in bounded batches, yielding to the
   * page between them, and returns what went. Concurrent calls run one after the other.
   */
  sweep(): Promise<Result<SweepReport>>;
  /** Stops the sweeper and closes the connection; later calls return `store/connection-lost`. */
  close(): void;
}
