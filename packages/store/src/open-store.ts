import { ConsentGateError, ErrorCode, createEmitter, err, ok, sha256Hex } from '@consentgate/core';
import type { ConsentRecord, Emitter, Purpose, Result } from '@consentgate/core';

import type { AuditFor, Backend, StoreMode, SweepTargets } from './backend.js';
import { canonicalJson } from './canonical-json.js';
import { findUncloneable } from './clone-check.js';
import { buildExport, newestFirst } from './export-document.js';
import type { ExportDocument } from './export-document.js';
import { createIdbBackend, isOpenFailure } from './idb-backend.js';
import { newId } from './ids.js';
import { createMemoryBackend } from './memory-backend.js';
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
import type { EventRow } from './schema.js';
import { EVENTS_KEY, createSealer, generateKey } from './sealing.js';
import { isQuotaError, storeError, toStoreError } from './store-error.js';

/** Default for {@link StoreOptions.openTimeoutMs}. */
const DEFAULT_OPEN_TIMEOUT_MS = 3_000;
/** Default for {@link StoreOptions.blockedTimeoutMs}. */
const DEFAULT_BLOCKED_TIMEOUT_MS = 5_000;
/** Default for {@link StoreOptions.maxRetries}. */
const DEFAULT_MAX_RETRIES = 2;
/** Default for {@link StoreOptions.sweepIntervalMs}: one minute. */
const DEFAULT_SWEEP_INTERVAL_MS = 60_000;
/** Default for {@link StoreOptions.sweepBatchSize}: 100k records in about 100 transactions. */
const DEFAULT_SWEEP_BATCH_SIZE = 1_000;
/** Default for {@link StoreOptions.auditRetentionMs}: 30 days. */
const DEFAULT_AUDIT_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;
/** Default for {@link DueQuery.limit}. */
const DEFAULT_DUE_LIMIT = 50;
/** Fewest records evicted for a purpose when a write hits the quota. */
const EVICT_MIN = 16;
/** Most records evicted for a purpose when a write hits the quota (the bound of one eviction). */
const EVICT_MAX = 1_000;
/** Attempts to append a receipt while other tabs keep appending (each re-reads and re-hashes). */
const APPEND_ATTEMPTS = 5;

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
   * An operation failed (a {@link ConsentGateError}), or a listener threw (whatever it threw);
   * `source` names the operation, such as `'events.put'`, or the event being emitted.
   */
  error: [error: unknown, source: string];
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
   * @throws {@link ConsentGateError} `sdk/invalid-options` when a record is malformed.
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
   */
  enqueue(entries: readonly OutboxInput[]): Promise<Result<readonly OutboxEntry[]>>;
  /** Returns up to `limit` entries due for sending, oldest due first, each with its record. */
  due(query?: DueQuery): Promise<Result<readonly DueMessage[]>>;
  /** Counts a failed attempt, sets when to try next, and returns the entry (or `undefined`). */
  markAttempt(entry: OutboxRef, nextAttemptAt: number): Promise<Result<OutboxEntry | undefined>>;
  /** Removes delivered entries, audits each as `sent`, and returns how many were removed. */
  complete(entries: readonly OutboxEntry[], options?: CompleteOptions): Promise<Result<number>>;
  /** Removes entries without auditing (giving up), and returns how many were removed. */
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
  /** Appends entries (metadata only, never property values) and returns them as stored. */
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

/** Options after defaults. */
type Settings = Required<Omit<StoreOptions, 'indexedDB'>> & { indexedDB: IDBFactory | null };

/**
 * Opens the store called `name` and returns it. Never rejects: when IndexedDB is missing,
 * refuses, never answers or stays blocked, the store works in memory (see {@link Store.mode}),
 * or, with `memoryFallback: false`, the error is returned.
 *
 * @throws {@link ConsentGateError} `sdk/invalid-options` when `name` or an option is invalid.
 *
 * @example
 * ```ts
 * const opened = await openStore('consentgate', { encryptCategories: ['user.contact'] });
 * if (!opened.ok) return;
 * const store = opened.value;
 * store.on('record:expired', ({ purpose, count }) => console.log(purpose, count));
 * await store.events.put([{ name: 'Product Viewed', purpose: 'analytics', fields: { sku: 'A1' },
 *   expiresAt: Date.now() + 30 * 86_400_000, policyDigest }]);
 * ```
 */
export function openStore(name: string, options: StoreOptions = {}): Promise<Result<Store>> {
  if (typeof name !== 'string' || name === '')
    invalid('openStore: name must be a non-empty string');
  const settings = validateOptions(options);
  return open(name, settings);
}

async function open(name: string, settings: Settings): Promise<Result<Store>> {
  let backend: Backend;
  let fallback: ConsentGateError | undefined;
  const factory = settings.indexedDB;
  try {
    if (!factory) throw storeError(ErrorCode.StoreUnavailable, 'IndexedDB is not available');
    backend = await createIdbBackend({ ...settings, factory, name });
  } catch (cause) {
    fallback = toStoreError(cause);
    if (!settings.memoryFallback) return err(fallback);
    backend = createMemoryBackend();
  }
  return ok(createStore(name, backend, fallback, settings));
}

function createStore(
  name: string,
  initial: Backend,
  initialFallback: ConsentGateError | undefined,
  settings: Settings,
): Store {
  const { now, sweepBatchSize, auditRetentionMs } = settings;
  let _backend = initial;
  let _fallback = initialFallback;
  let _closed = false;
  let _sweep: Promise<unknown> = Promise.resolve();
  let _sweeping = false;
  let _appending: Promise<unknown> = Promise.resolve();

  const emitter = createEmitter<StoreEvents>({
    onListenerError: (error, source) => emitter.emit('error', error, source),
  });
  const sealer = createSealer(settings.encryptCategories, () =>
    _backend.loadKey(EVENTS_KEY, generateKey),
  );

  /** Runs one backend operation and turns its outcome into a `Result`; never rejects. */
  async function call<T>(source: string, op: (backend: Backend) => Promise<T>): Promise<Result<T>> {
    if (_closed) {
      return failure(source, storeError(ErrorCode.StoreConnectionLost, 'the store is closed'));
    }
    try {
      return ok(await op(_backend));
    } catch (cause) {
      if (_backend.mode === 'indexeddb' && settings.memoryFallback && isOpenFailure(cause)) {
        // IndexedDB went away for good after the store opened (the reopen failed): keep the
        // page working in memory, and say so.
        _fallback = toStoreError(cause);
        _backend.close();
        _backend = createMemoryBackend();
        emitter.emit('store:fallback', _fallback);
        try {
          return ok(await op(_backend));
        } catch (retryCause) {
          return failure(source, toStoreError(retryCause));
        }
      }
      return failure(source, toStoreError(cause));
    }
  }

  function failure(source: string, error: ConsentGateError): Result<never> {
    emitter.emit('error', error, source);
    return err(error);
  }

  function auditEntry(input: AuditInput, at = now()): AuditEntry {
    const when = input.at ?? at;
    return {
      id: newId(),
      at: when,
      kind: input.kind,
      ...(input.event !== undefined && { event: input.event }),
      ...(input.eventId !== undefined && { eventId: input.eventId }),
      ...(input.purpose !== undefined && { purpose: input.purpose }),
      ...(input.destination !== undefined && { destination: input.destination }),
      reasons: [...(input.reasons ?? [])],
      ...(input.policyDigest !== undefined && { policyDigest: input.policyDigest }),
      ...(input.count !== undefined && { count: input.count }),
      expiresAt: input.expiresAt ?? when + auditRetentionMs,
    };
  }

  /** Decrypts rows, reporting (once per call) fields that could not be decrypted. */
  async function openRows(source: string, rows: readonly EventRow[]): Promise<StoredEvent[]> {
    const opened = await Promise.all(rows.map((row) => sealer.open(row)));
    if (opened.some(({ failed }) => failed)) {
      emitter.emit(
        'error',
        storeError(ErrorCode.StoreUnavailable, 'some encrypted fields could not be decrypted'),
        source,
      );
    }
    return opened.map(({ event }) => event);
  }

  const consent: ConsentLog = {
    append(receipt, options = {}) {
      assertConsentInput(receipt);
      // One append at a time: in this page by a queue, across tabs by a Web Lock. The
      // compare-and-swap in appendConsent keeps the chain linear even without them; these only
      // spare it from retrying.
      const append = () => appendConsent(receipt, options.purgeDeclined ?? true);
      const run = _appending.then(() =>
        _backend.mode === 'indexeddb'
          ? exclusively(`consentgate:${name}:consent`, append)
          : append(),
      );
      _appending = run;
      return run;
    },
    latest: () =>
      call('consent.latest', async (backend) => (await backend.consentLatest())?.record),
    history: () => call('consent.history', (backend) => backend.consentAll()),
    async verifyChain() {
      const history = await call('consent.verifyChain', (backend) => backend.consentAll());
      if (!history.ok) return history;
      const records = history.value;
      for (let i = 0; i < records.length; i++) {
        const before = records[i - 1];
        const expected = before ? await sha256Hex(canonicalJson(before)) : null;
        if (records[i]?.previous !== expected) {
          return ok({ intact: false, length: records.length, brokenAt: i });
        }
      }
      return ok({ intact: true, length: records.length });
    },
  };

  async function appendConsent(
    input: ConsentInput,
    purgeDeclined: boolean,
  ): Promise<Result<ConsentRecord>> {
    const notCloneable = cloneProblem(input, 'consent receipt');
    if (notCloneable) return failure('consent.append', notCloneable);
    const id = input.id ?? newId();
    const at = now();
    const purge = purgeDeclined
      ? Object.keys(input.purposes).filter((purpose) => input.purposes[purpose] === false)
      : [];
    const auditFor: AuditFor = (purpose, count) =>
      auditEntry(
        {
          kind: 'purged',
          purpose,
          count,
          reasons: ['consent-withdrawn'],
          policyDigest: input.policy_digest,
        },
        at,
      );
    let purged: ReadonlyMap<string, { events: number; outbox: number }> = new Map();
    const result = await call('consent.append', async (backend) => {
      for (let attempt = 0; attempt < APPEND_ATTEMPTS; attempt++) {
        const latest = await backend.consentLatest();
        // Hashed outside the transaction: awaiting WebCrypto inside it would let it commit. The
        // append then checks that no other tab appended in between, and this loop starts over
        // if one did.
        const previous = latest ? await sha256Hex(canonicalJson(latest.record)) : null;
        const record: ConsentRecord = {
          id,
          revision: input.revision,
          purposes: { ...input.purposes },
          jurisdiction: input.jurisdiction,
          signals: { ...input.signals },
          method: input.method,
          given_at: input.given_at,
          policy_digest: input.policy_digest,
          previous,
        };
        const outcome = await backend.consentAppend(latest?.seq, record, purge, auditFor);
        if (outcome.status === 'appended') {
          purged = outcome.purged;
          return record;
        }
        // A retry after an acknowledgement was lost: the receipt is already there, once.
        if (outcome.status === 'duplicate') {
          return (await backend.consentLatest())?.record ?? record;
        }
      }
      throw storeError(
        ErrorCode.StoreTimeout,
        `other tabs kept appending consent receipts; gave up after ${APPEND_ATTEMPTS} attempts`,
      );
    });
    if (result.ok) {
      emitter.emit('consent:appended', result.value);
      for (const [purpose, counts] of purged) {
        if (counts.events + counts.outbox > 0) emitter.emit('store:purged', { purpose, ...counts });
      }
    }
    return result;
  }

  const events: EventLog = {
    put(records) {
      if (!isArray(records)) invalid('events.put: records must be an array');
      records.forEach(assertEventInput);
      return putEvents(records);
    },
    async list(query = {}) {
      const { purpose, limit } = query;
      const rows = await call('events.list', (backend) =>
        backend.eventsList({
          now: now(),
          ...(purpose !== undefined && { purpose }),
          ...(limit !== undefined && { limit }),
        }),
      );
      return rows.ok ? ok(await openRows('events.list', rows.value)) : rows;
    },
    count: (query = {}) =>
      call('events.count', (backend) =>
        backend.eventsCount({
          now: now(),
          ...(query.purpose !== undefined && { purpose: query.purpose }),
        }),
      ),
  };

  async function putEvents(records: readonly EventInput[]): Promise<Result<PutReport>> {
    const at = now();
    const skipped: PutReport['skipped'][number][] = [];
    const fresh: StoredEvent[] = [];
    for (const [index, input] of records.entries()) {
      const problem = cloneProblem(input, `record ${index} (${input.name})`);
      if (problem) return failure('events.put', problem);
      const event: StoredEvent = {
        id: input.id ?? newId(),
        name: input.name,
        purpose: input.purpose,
        fields: input.fields,
        ...(input.categories && { categories: input.categories }),
        createdAt: input.createdAt ?? at,
        expiresAt: input.expiresAt,
        policyDigest: input.policyDigest,
        ...(input.messageId !== undefined && { messageId: input.messageId }),
      };
      if (event.expiresAt <= at) {
        skipped.push({ id: event.id, purpose: event.purpose, reason: 'expired' });
      } else {
        fresh.push(event);
      }
    }
    let rows: EventRow[];
    try {
      // Encrypted before the transaction opens: WebCrypto is asynchronous, and awaiting it inside
      // a transaction would let the transaction commit early.
      rows = sealer.active ? await Promise.all(fresh.map((event) => sealer.seal(event))) : fresh;
    } catch (cause) {
      return failure('events.put', sealError(cause));
    }
    if (rows.length === 0) return ok({ stored: [], skipped });
    const evicted: PurposeCount[] = [];
    const result = await call('events.put', async (backend) => {
      try {
        return await backend.eventsPut(rows);
      } catch (cause) {
        if (!isQuotaError(cause)) throw cause;
        // Make room within the purposes being written, soonest-expiring first; consent receipts
        // are never touched. Then try once more.
        for (const [purpose, incoming] of countBy(rows, (row) => row.purpose)) {
          const count = await backend.evict(
            purpose,
            Math.min(Math.max(incoming, EVICT_MIN), EVICT_MAX),
            (evictedPurpose, evictedCount) =>
              auditEntry({
                kind: 'evicted',
                purpose: evictedPurpose,
                count: evictedCount,
                reasons: ['quota-exceeded'],
              }),
          );
          if (count > 0) evicted.push({ purpose, count });
        }
        if (evicted.length === 0) throw cause;
        return await backend.eventsPut(rows);
      }
    });
    for (const entry of evicted) emitter.emit('store:evicted', entry);
    if (!result.ok) return result;
    const declined = result.value;
    const stored: StoredEvent[] = [];
    for (const event of fresh) {
      if (declined.has(event.purpose)) {
        skipped.push({ id: event.id, purpose: event.purpose, reason: 'consent-declined' });
      } else {
        stored.push(event);
      }
    }
    return ok({ stored, skipped });
  }

  const outbox: Outbox = {
    enqueue(inputs) {
      if (!isArray(inputs)) invalid('outbox.enqueue: entries must be an array');
      inputs.forEach(assertOutboxInput);
      const at = now();
      const entries = inputs.map((input): OutboxEntry => ({
        id: newId(),
        eventId: input.event.id,
        destination: input.destination,
        purpose: input.event.purpose,
        messageId: input.messageId ?? newId(),
        attempts: 0,
        nextAttemptAt: input.nextAttemptAt ?? at,
        createdAt: at,
        expiresAt: input.event.expiresAt,
      }));
      return call('outbox.enqueue', (backend) => backend.outboxPut(entries, at));
    },
    async due(query = {}) {
      const { destination } = query;
      const rows = await call('outbox.due', (backend) =>
        backend.outboxDue({
          now: query.now ?? now(),
          limit: query.limit ?? DEFAULT_DUE_LIMIT,
          ...(destination !== undefined && { destination }),
        }),
      );
      if (!rows.ok) return rows;
      const opened = await openRows(
        'outbox.due',
        rows.value.map(({ event }) => event),
      );
      return ok(rows.value.map(({ entry }, i) => ({ entry, event: opened[i] as StoredEvent })));
    },
    markAttempt(entry, nextAttemptAt) {
      assertRef(entry);
      if (!Number.isFinite(nextAttemptAt))
        invalid('outbox.markAttempt: nextAttemptAt must be a number');
      return call('outbox.markAttempt', (backend) => backend.outboxAttempt(entry, nextAttemptAt));
    },
    complete(entries, options = {}) {
      if (!isArray(entries)) invalid('outbox.complete: entries must be an array');
      entries.forEach(assertRef);
      const at = now();
      const audit = entries.map((entry) =>
        auditEntry(
          {
            kind: 'sent',
            eventId: entry.eventId,
            purpose: entry.purpose,
            destination: entry.destination,
            ...(options.policyDigest !== undefined && { policyDigest: options.policyDigest }),
            // Kept as long as the record, so an export can say where the record went.
            expiresAt: Math.max(at + auditRetentionMs, entry.expiresAt),
          },
          at,
        ),
      );
      return call('outbox.complete', (backend) => backend.outboxRemove(entries, audit));
    },
    remove(entries) {
      if (!isArray(entries)) invalid('outbox.remove: entries must be an array');
      entries.forEach(assertRef);
      return call('outbox.remove', (backend) => backend.outboxRemove(entries, []));
    },
  };

  const audit: AuditLog = {
    append(inputs) {
      if (!isArray(inputs)) invalid('audit.append: entries must be an array');
      inputs.forEach(assertAuditInput);
      const at = now();
      const entries = inputs.map((input) => auditEntry(input, at));
      return call('audit.append', async (backend) => {
        await backend.auditPut(entries);
        return entries;
      });
    },
    async list(query = {}) {
      const { kind, purpose, limit } = query;
      const entries = await call('audit.list', (backend) => backend.auditList(now()));
      if (!entries.ok) return entries;
      const selected = entries.value
        .filter((entry) => kind === undefined || entry.kind === kind)
        .filter((entry) => purpose === undefined || entry.purpose === purpose)
        .sort(newestFirst);
      return ok(limit === undefined ? selected : selected.slice(0, limit));
    },
  };

  async function runSweep(): Promise<Result<SweepReport>> {
    const at = now();
    // One audit entry per purpose and sweep: each batch rewrites it with the running count, in
    // the transaction that deletes the records it counts.
    const ids = new Map<string, string>();
    const totals = new Map<string, number>();
    const auditFor: AuditFor = (purpose, count) => {
      let id = ids.get(purpose);
      if (id === undefined) {
        id = newId();
        ids.set(purpose, id);
      }
      const total = (totals.get(purpose) ?? 0) + count;
      return {
        ...auditEntry(
          { kind: 'expired', purpose, count: total, reasons: ['retention-elapsed'] },
          at,
        ),
        id,
      };
    };
    let outboxCount = 0;
    let auditCount = 0;
    let batches = 0;
    let failed: Result<never> | undefined;
    let targets: SweepTargets = { events: true, outbox: true, audit: true };
    for (;;) {
      const current = targets;
      const batch = await call('sweep', (backend) =>
        backend.sweepBatch(now(), sweepBatchSize, current, auditFor),
      );
      if (!batch.ok) {
        failed = batch;
        break;
      }
      batches++;
      for (const [purpose, count] of batch.value.expired) {
        totals.set(purpose, (totals.get(purpose) ?? 0) + count);
      }
      outboxCount += batch.value.outbox;
      auditCount += batch.value.audit;
      const expiredCount = [...batch.value.expired.values()].reduce((sum, n) => sum + n, 0);
      // A store that came up short has nothing more to expire in this sweep.
      targets = {
        events: current.events && expiredCount === sweepBatchSize,
        outbox: current.outbox && batch.value.outbox === sweepBatchSize,
        audit: current.audit && batch.value.audit === sweepBatchSize,
      };
      if (!(targets.events || targets.outbox || targets.audit) || _closed) break;
      // Each batch is one short task; yielding between them keeps the page responsive.
      await yieldToMain();
    }
    const expired = [...totals].map(([purpose, count]) => ({ purpose, count }));
    for (const entry of expired) emitter.emit('record:expired', entry);
    return failed ?? ok({ expired, outbox: outboxCount, audit: auditCount, batches });
  }

  function sweep(): Promise<Result<SweepReport>> {
    const run = _sweep.then(async () => {
      _sweeping = true;
      try {
        return await runSweep();
      } finally {
        _sweeping = false;
      }
    });
    _sweep = run;
    return run;
  }

  /** A sweep nobody waits for: skipped while one runs, its outcome reported through events. */
  function backgroundSweep(): void {
    if (!_sweeping && !_closed) void sweep();
  }

  const onVisibilityChange = () => {
    // Records may have expired while the page was hidden (or frozen); reads hide them already,
    // this deletes them.
    if (document.visibilityState === 'visible') backgroundSweep();
  };
  const hasDocument = typeof document !== 'undefined';
  if (hasDocument) document.addEventListener('visibilitychange', onVisibilityChange);
  const timer =
    settings.sweepIntervalMs > 0 && Number.isFinite(settings.sweepIntervalMs)
      ? setInterval(backgroundSweep, settings.sweepIntervalMs)
      : undefined;
  backgroundSweep();

  return {
    get mode() {
      return _backend.mode;
    },
    get fallback() {
      return _fallback;
    },
    consent,
    events,
    outbox,
    audit,
    on: (name, fn) => emitter.on(name, fn),
    async purge(purpose, options = {}) {
      if (typeof purpose !== 'string') invalid('purge: purpose must be a string');
      const auditFor: AuditFor = (purged, count) =>
        auditEntry({
          kind: 'purged',
          purpose: purged,
          count,
          reasons: options.reasons ?? ['consent-withdrawn'],
          ...(options.policyDigest !== undefined && { policyDigest: options.policyDigest }),
        });
      const counts = await call('purge', (backend) => backend.purge(purpose, auditFor));
      if (!counts.ok) return counts;
      const report = { purpose, ...counts.value };
      if (report.events + report.outbox > 0) emitter.emit('store:purged', report);
      return ok(report);
    },
    async eraseAll() {
      // Kept until the next erasure (it expires never), so the visitor can see it happened.
      const receipt = auditEntry({
        kind: 'erased',
        reasons: ['visitor-request'],
        expiresAt: Infinity,
      });
      const result = await call('eraseAll', (backend) => backend.eraseAll(receipt));
      if (!result.ok) return result;
      emitter.emit('store:erased', receipt);
      return ok(receipt);
    },
    async export() {
      const at = now();
      const snapshot = await call('export', (backend) => backend.snapshot(at));
      if (!snapshot.ok) return snapshot;
      const { consent: receipts, events: rows, outbox: entries, audit: trail } = snapshot.value;
      return ok(
        buildExport({
          now: at,
          mode: _backend.mode,
          consent: receipts,
          events: await openRows('export', rows),
          outbox: entries,
          audit: trail,
        }),
      );
    },
    sweep,
    close() {
      if (_closed) return;
      _closed = true;
      if (timer !== undefined) clearInterval(timer);
      if (hasDocument) document.removeEventListener('visibilitychange', onVisibilityChange);
      _backend.close();
    },
  };
}

/**
 * Runs `fn` holding the Web Lock `lockName`, so that other tabs of the origin wait for it, and
 * returns its outcome. Runs it without the lock where Web Locks are missing or refused (opaque
 * origins).
 */
async function exclusively<T>(lockName: string, fn: () => Promise<T>): Promise<T> {
  const locks = (globalThis as { navigator?: { locks?: LockManager } }).navigator?.locks;
  if (!locks) return fn();
  let ran = false;
  try {
    return await locks.request(lockName, () => {
      ran = true;
      return fn();
    });
  } catch (error) {
    if (ran) throw error;
    return fn();
  }
}

/** Resolves after giving the page a turn: `scheduler.yield()` where it exists, else a task. */
function yieldToMain(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
  if (typeof scheduler?.yield === 'function') return scheduler.yield();
  return new Promise((resolve) => setTimeout(resolve, 0));
}

function countBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(keyOf(item), (counts.get(keyOf(item)) ?? 0) + 1);
  return counts;
}

/**
 * Returns why `value` cannot be stored, naming the offending member, or `undefined` when it can.
 * Checked before any transaction opens, so a bad value never aborts a good batch midway.
 */
function cloneProblem(value: object, what: string): ConsentGateError | undefined {
  const problem = findUncloneable(value);
  if (!problem) return undefined;
  const where = problem.path === '' ? 'a value' : `"${problem.path}"`;
  return storeError(
    ErrorCode.StoreNotCloneable,
    `${what} cannot be stored: ${where} is not structured-cloneable`,
    problem.cause,
  );
}

function sealError(cause: unknown): ConsentGateError {
  // JSON.stringify throws a TypeError for values it cannot encode (a BigInt, a cycle).
  return cause instanceof TypeError
    ? storeError(
        ErrorCode.StoreNotCloneable,
        'an encrypted field is not JSON-serialisable (encrypted fields are stored as JSON)',
        cause,
      )
    : toStoreError(cause);
}

function invalid(message: string): never {
  throw new ConsentGateError(ErrorCode.SdkInvalidOptions, message);
}

/** `Array.isArray` without narrowing a typed readonly array to `any[]`. */
function isArray(value: unknown): boolean {
  return Array.isArray(value);
}

function isString(value: unknown): value is string {
  return typeof value === 'string';
}

function isTime(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function assertEventInput(input: EventInput, index: number): void {
  const where = `events.put: record ${index}`;
  if (!isObject(input)) invalid(`${where} must be an object`);
  if (input.id !== undefined && !isString(input.id)) invalid(`${where}: id must be a string`);
  if (!isString(input.name)) invalid(`${where}: name must be a string`);
  if (!isString(input.purpose)) invalid(`${where}: purpose must be a string`);
  if (!isObject(input.fields)) invalid(`${where}: fields must be an object`);
  if (input.categories !== undefined && !isObject(input.categories)) {
    invalid(`${where}: categories must be an object`);
  }
  if (!isTime(input.expiresAt)) invalid(`${where}: expiresAt must be a finite epoch ms`);
  if (input.createdAt !== undefined && !isTime(input.createdAt)) {
    invalid(`${where}: createdAt must be a finite epoch ms`);
  }
  if (!isString(input.policyDigest)) invalid(`${where}: policyDigest must be a string`);
}

function assertOutboxInput(input: OutboxInput, index: number): void {
  const where = `outbox.enqueue: entry ${index}`;
  if (!isObject(input) || !isObject(input.event)) invalid(`${where} must have an event`);
  if (
    !isString(input.event.id) ||
    !isString(input.event.purpose) ||
    !isTime(input.event.expiresAt)
  ) {
    invalid(`${where}: event must have an id, purpose and expiresAt`);
  }
  if (!isString(input.destination)) invalid(`${where}: destination must be a string`);
  if (input.nextAttemptAt !== undefined && !isTime(input.nextAttemptAt)) {
    invalid(`${where}: nextAttemptAt must be a finite epoch ms`);
  }
}

function assertRef(ref: OutboxRef): void {
  if (!isObject(ref) || !isString(ref.id) || !isString(ref.purpose) || !isTime(ref.expiresAt)) {
    invalid('outbox: pass the entries returned by outbox.due or outbox.enqueue');
  }
}

function assertAuditInput(input: AuditInput, index: number): void {
  if (!isObject(input) || !isString(input.kind))
    invalid(`audit.append: entry ${index} needs a kind`);
  if (
    input.reasons !== undefined &&
    !(Array.isArray(input.reasons) && input.reasons.every(isString))
  ) {
    invalid(`audit.append: entry ${index}: reasons must be strings`);
  }
}

function assertConsentInput(input: ConsentInput): void {
  if (!isObject(input) || !isObject(input.purposes)) {
    invalid('consent.append: the receipt must have purposes');
  }
  if (!Object.values(input.purposes).every((value) => typeof value === 'boolean')) {
    invalid('consent.append: each purpose must be true or false');
  }
  if (!isString(input.revision) || !isString(input.policy_digest) || !isTime(input.given_at)) {
    invalid('consent.append: the receipt needs revision, policy_digest and given_at');
  }
}

function validateOptions(options: StoreOptions): Settings {
  const raw: unknown = options;
  if (!isObject(raw)) invalid('openStore: options must be an object');
  const count = (key: keyof StoreOptions, fallback: number, min: number): number => {
    const value = options[key] ?? fallback;
    if (typeof value !== 'number' || Number.isNaN(value) || value < min) {
      invalid(`openStore: ${key} must be a number ≥ ${min}`);
    }
    return value;
  };
  const { now = Date.now, encryptCategories = [], memoryFallback = true } = options;
  if (typeof now !== 'function') invalid('openStore: now must be a function');
  if (!Array.isArray(encryptCategories) || !encryptCategories.every(isString)) {
    invalid('openStore: encryptCategories must be an array of strings');
  }
  if (typeof memoryFallback !== 'boolean') invalid('openStore: memoryFallback must be a boolean');
  const factory =
    options.indexedDB === undefined
      ? ((globalThis as { indexedDB?: IDBFactory }).indexedDB ?? null)
      : options.indexedDB;
  if (factory !== null && typeof factory?.open !== 'function') {
    invalid('openStore: indexedDB must be an IDBFactory or null');
  }
  return {
    now,
    openTimeoutMs: count('openTimeoutMs', DEFAULT_OPEN_TIMEOUT_MS, 0),
    blockedTimeoutMs: count('blockedTimeoutMs', DEFAULT_BLOCKED_TIMEOUT_MS, 0),
    maxRetries: count('maxRetries', DEFAULT_MAX_RETRIES, 0),
    sweepIntervalMs: count('sweepIntervalMs', DEFAULT_SWEEP_INTERVAL_MS, 0),
    sweepBatchSize: count('sweepBatchSize', DEFAULT_SWEEP_BATCH_SIZE, 1),
    auditRetentionMs: count('auditRetentionMs', DEFAULT_AUDIT_RETENTION_MS, 0),
    encryptCategories: [...encryptCategories],
    indexedDB: factory,
    memoryFallback,
  };
}
