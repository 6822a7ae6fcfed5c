import type { ConsentRecord } from '@consentgate/core';

import type { AuditEntry, DueMessage, OutboxEntry, OutboxRef } from './records.js';
import type { EventRow } from './schema.js';

/**
 * Where the store keeps its data: IndexedDB, or memory when IndexedDB is unusable.
 */
export type StoreMode = 'indexeddb' | 'memory';

/** The latest consent receipt and its position in the history. */
export interface LatestReceipt {
  readonly seq: number;
  readonly record: ConsentRecord;
}

/** Records deleted for one purpose. */
export interface PurgeCounts {
  readonly events: number;
  readonly outbox: number;
}

/** How an append went: written, already there (a retry after a lost acknowledgement), or raced. */
export type AppendStatus = 'appended' | 'duplicate' | 'conflict';

/** Builds the audit entry for records of `purpose` deleted in one transaction. */
export type AuditFor = (purpose: string, count: number) => AuditEntry;

/** What one sweep transaction deleted. */
export interface SweepBatch {
  readonly expired: ReadonlyMap<string, number>;
  readonly outbox: number;
  readonly audit: number;
}

/** Which object stores a sweep batch still looks at; one that came up short is done. */
export interface SweepTargets {
  readonly events: boolean;
  readonly outbox: boolean;
  readonly audit: boolean;
}

/** Everything the store holds, read in one transaction. */
export interface Snapshot {
  readonly consent: readonly ConsentRecord[];
  readonly events: readonly EventRow[];
  readonly outbox: readonly OutboxEntry[];
  readonly audit: readonly AuditEntry[];
}

/**
 * The storage primitives the store is built on. Each method is one transaction: it commits
 * entirely or not at all, and resolves only after it committed. Methods reject with the platform
 * error (mapped by `toStoreError`); the store turns rejections into `Result`s.
 */
export interface Backend {
  readonly mode: StoreMode;
  consentLatest(): Promise<LatestReceipt | undefined>;
  /**
   * Appends `record` if the latest receipt still has sequence number `expected`, and deletes the
   * records of `purge` purposes in the same transaction.
   */
  consentAppend(
    expected: number | undefined,
    record: ConsentRecord,
    purge: readonly string[],
    auditFor: AuditFor,
  ): Promise<{ status: AppendStatus; purged: ReadonlyMap<string, PurgeCounts> }>;
  consentAll(): Promise<ConsentRecord[]>;
  /** Writes rows, except those of purposes the latest receipt declines; returns those purposes. */
  eventsPut(rows: readonly EventRow[]): Promise<ReadonlySet<string>>;
  eventsList(query: { now: number; purpose?: string; limit?: number }): Promise<EventRow[]>;
  eventsCount(query: { now: number; purpose?: string }): Promise<number>;
  /** Deletes up to `count` of the soonest-expiring records of `purpose`, with their outbox entries. */
  evict(purpose: string, count: number, auditFor: AuditFor): Promise<number>;
  /** Writes entries whose record still exists and has not expired; returns those written. */
  outboxPut(entries: readonly OutboxEntry[], now: number): Promise<OutboxEntry[]>;
  outboxDue(query: { now: number; limit: number; destination?: string }): Promise<DueRow[]>;
  outboxAttempt(ref: OutboxRef, nextAttemptAt: number): Promise<OutboxEntry | undefined>;
  /** Deletes entries and appends `audit` entries; returns how many entries existed. */
  outboxRemove(refs: readonly OutboxRef[], audit: readonly AuditEntry[]): Promise<number>;
  auditPut(entries: readonly AuditEntry[]): Promise<void>;
  auditList(now: number): Promise<AuditEntry[]>;
  /** Deletes a purpose's records and outbox entries; writes `auditFor` when anything went. */
  purge(purpose: string, auditFor: AuditFor): Promise<PurgeCounts>;
  /** Deletes everything but the encryption key, then writes `receipt`. */
  eraseAll(receipt: AuditEntry): Promise<void>;
  /** Deletes up to `limit` expired entries from each targeted store. */
  sweepBatch(
    now: number,
    limit: number,
    targets: SweepTargets,
    auditFor: AuditFor,
  ): Promise<SweepBatch>;
  snapshot(now: number): Promise<Snapshot>;
  /** Returns the key stored under `name`, storing `generate()`'s when there is none yet. */
  loadKey(name: string, generate: () => Promise<CryptoKey>): Promise<CryptoKey>;
  close(): void;
}

/** A due outbox entry with its (still sealed) record. */
export type DueRow = Omit<DueMessage, 'event'> & { readonly event: EventRow };

/** Purposes the receipt (or receipt input) explicitly says no to. */
export function declinedPurposes(record: Pick<ConsentRecord, 'purposes'> | undefined): Set<string> {
  const declined = new Set<string>();
  if (!record) return declined;
  for (const [purpose, granted] of Object.entries(record.purposes)) {
    if (granted === false) declined.add(purpose);
  }
  return declined;
}
