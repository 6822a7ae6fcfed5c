import type { ConsentRecord } from '@consentgate/core';

import { declinedPurposes } from './backend.js';
import type {
  AuditFor,
  Backend,
  DueRow,
  LatestReceipt,
  PurgeCounts,
  Snapshot,
  SweepBatch,
  SweepTargets,
} from './backend.js';
import type { AuditEntry, OutboxEntry } from './records.js';
import type { EventRow } from './schema.js';

type Keyed = { readonly purpose: string; readonly expiresAt: number; readonly id: string };

/** Everything a memory backend holds; Maps are keyed by {@link key}. */
interface MemoryState {
  consent: ConsentRecord[];
  readonly events: Map<string, EventRow>;
  readonly outbox: Map<string, OutboxEntry>;
  readonly audit: Map<string, AuditEntry>;
  readonly keys: Map<string, CryptoKey>;
}

function key(record: Keyed): string {
  return JSON.stringify([record.purpose, record.expiresAt, record.id]);
}

/** The key of the record an outbox entry delivers. */
function eventKey(entry: Pick<OutboxEntry, 'purpose' | 'expiresAt' | 'eventId'>): string {
  return key({ purpose: entry.purpose, expiresAt: entry.expiresAt, id: entry.eventId });
}

/** Orders records as IndexedDB orders `[purpose, expiresAt, id]` keys. */
function byKey(a: Keyed, b: Keyed): number {
  if (a.purpose !== b.purpose) return a.purpose < b.purpose ? -1 : 1;
  if (a.expiresAt !== b.expiresAt) return a.expiresAt - b.expiresAt;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Orders records by expiry, as the `expiresAt` index does. */
function byExpiry(a: Keyed, b: Keyed): number {
  return a.expiresAt - b.expiresAt || byKey(a, b);
}

const copy = <T>(value: T): T => structuredClone(value);

/**
 * Creates the memory-only backend: the same operations over Maps, for when IndexedDB is missing
 * or broken. Values are structured-cloned in and out, as IndexedDB would, so a caller mutating an
 * object after writing it changes nothing stored. Nothing survives the page, and nothing is
 * written anywhere else (no localStorage, no cookies).
 */
export function createMemoryBackend(): Backend {
  const state: MemoryState = {
    consent: [],
    events: new Map(),
    outbox: new Map(),
    audit: new Map(),
    keys: new Map(),
  };
  const { events, outbox, audit } = state;
  const live = (now: number) => (row: { readonly expiresAt: number }) => row.expiresAt > now;
  /** Turns an operation on the state into a backend method, resolved as IndexedDB's would be. */
  const on =
    <A extends unknown[], R>(op: (memory: MemoryState, ...args: A) => R) =>
    (...args: A) =>
      Promise.resolve(op(state, ...args));

  return {
    mode: 'memory',
    consentLatest: on(latest),
    consentAppend: on(consentAppend),
    consentAll: () => Promise.resolve(copy(state.consent)),
    eventsPut(rows) {
      const declined = declinedPurposes(state.consent.at(-1));
      const copies = rows.filter((row) => !declined.has(row.purpose)).map(copy);
      for (const row of copies) events.set(key(row), row);
      return Promise.resolve(declined);
    },
    eventsList({ now, purpose, limit = Infinity }) {
      const rows = [...events.values()]
        .filter((row) => row.expiresAt > now && (purpose === undefined || row.purpose === purpose))
        .sort(purpose === undefined ? byExpiry : byKey)
        .slice(0, limit);
      return Promise.resolve(copy(rows));
    },
    eventsCount({ now, purpose }) {
      let count = 0;
      for (const row of events.values()) {
        if (row.expiresAt > now && (purpose === undefined || row.purpose === purpose)) count++;
      }
      return Promise.resolve(count);
    },
    evict: on(evict),
    outboxPut(entries, now) {
      const written = entries.filter(
        (entry) => entry.expiresAt > now && events.has(eventKey(entry)),
      );
      for (const entry of written) outbox.set(key(entry), copy(entry));
      return Promise.resolve(copy(written));
    },
    outboxDue: on(outboxDue),
    outboxAttempt(ref, nextAttemptAt) {
      const entry = outbox.get(key(ref));
      if (!entry) return Promise.resolve(undefined);
      const next = { ...entry, attempts: entry.attempts + 1, nextAttemptAt };
      outbox.set(key(ref), next);
      return Promise.resolve(copy(next));
    },
    outboxRemove(refs, entries) {
      let count = 0;
      for (const ref of refs) if (outbox.delete(key(ref))) count++;
      for (const entry of entries) putAudit(state, entry);
      return Promise.resolve(count);
    },
    auditPut(entries) {
      for (const entry of entries) putAudit(state, entry);
      return Promise.resolve();
    },
    auditList: (now) => Promise.resolve(copy([...audit.values()].filter(live(now)))),
    purge: on(purge),
    eraseAll(receipt) {
      state.consent = [];
      events.clear();
      outbox.clear();
      audit.clear();
      putAudit(state, receipt);
      return Promise.resolve();
    },
    sweepBatch: on(sweepBatch),
    snapshot(now): Promise<Snapshot> {
      return Promise.resolve({
        consent: copy(state.consent),
        events: copy([...events.values()].filter(live(now)).sort(byKey)),
        outbox: copy([...outbox.values()].filter(live(now))),
        audit: copy([...audit.values()].filter(live(now))),
      });
    },
    async loadKey(name, generate) {
      const existing = state.keys.get(name);
      if (existing) return existing;
      const generated = await generate();
      // Another caller may have stored one while this one was generating.
      const stored = state.keys.get(name) ?? generated;
      state.keys.set(name, stored);
      return stored;
    },
    close() {
      // Nothing to release; the Maps go with the store.
    },
  };
}

function latest(state: MemoryState): LatestReceipt | undefined {
  const record = state.consent.at(-1);
  return record && { seq: state.consent.length, record: copy(record) };
}

function putAudit(state: MemoryState, entry: AuditEntry): void {
  state.audit.set(JSON.stringify([entry.expiresAt, entry.id]), copy(entry));
}

function deletePurpose<T extends Keyed>(map: Map<string, T>, purpose: string): number {
  let count = 0;
  for (const [id, row] of map) {
    if (row.purpose === purpose) {
      map.delete(id);
      count++;
    }
  }
  return count;
}

function purge(state: MemoryState, purpose: string, auditFor: AuditFor): PurgeCounts {
  const events = deletePurpose(state.events, purpose);
  const outbox = deletePurpose(state.outbox, purpose);
  if (events + outbox > 0) putAudit(state, auditFor(purpose, events));
  return { events, outbox };
}

function consentAppend(
  state: MemoryState,
  expected: number | undefined,
  record: ConsentRecord,
  purgeList: readonly string[],
  auditFor: AuditFor,
): Awaited<ReturnType<Backend['consentAppend']>> {
  const purged = new Map<string, PurgeCounts>();
  const current = latest(state);
  if (current?.record.id === record.id) return { status: 'duplicate', purged };
  if (current?.seq !== expected) return { status: 'conflict', purged };
  state.consent.push(copy(record));
  for (const purpose of purgeList) purged.set(purpose, purge(state, purpose, auditFor));
  return { status: 'appended', purged };
}

function evict(state: MemoryState, purpose: string, count: number, auditFor: AuditFor): number {
  const victims = [...state.events.values()]
    .filter((row) => row.purpose === purpose)
    .sort(byKey)
    .slice(0, count);
  const ids = new Set(victims.map((row) => row.id));
  for (const row of victims) state.events.delete(key(row));
  for (const [id, entry] of state.outbox) {
    if (entry.purpose === purpose && ids.has(entry.eventId)) state.outbox.delete(id);
  }
  if (victims.length > 0) putAudit(state, auditFor(purpose, victims.length));
  return victims.length;
}

function outboxDue(
  state: MemoryState,
  { now, limit, destination }: Parameters<Backend['outboxDue']>[0],
): DueRow[] {
  const due: DueRow[] = [];
  const entries = [...state.outbox.values()]
    .filter((entry) => entry.nextAttemptAt <= now && entry.expiresAt > now)
    .filter((entry) => destination === undefined || entry.destination === destination)
    .sort((a, b) => a.nextAttemptAt - b.nextAttemptAt || byKey(a, b));
  for (const entry of entries) {
    if (due.length === limit) break;
    const event = state.events.get(eventKey(entry));
    if (event) due.push(copy({ entry, event }));
  }
  return due;
}

/** Deletes up to `limit` expired rows and returns how many went, per purpose. */
function expire<T extends Keyed>(map: Map<string, T>, now: number, limit: number) {
  const counts = new Map<string, number>();
  let total = 0;
  for (const [id, row] of map) {
    if (total === limit) break;
    if (row.expiresAt > now) continue;
    map.delete(id);
    counts.set(row.purpose, (counts.get(row.purpose) ?? 0) + 1);
    total++;
  }
  return { counts, total };
}

function sweepBatch(
  state: MemoryState,
  now: number,
  limit: number,
  targets: SweepTargets,
  auditFor: AuditFor,
): SweepBatch {
  const events = expire(state.events, now, targets.events ? limit : 0);
  const outbox = expire(state.outbox, now, targets.outbox ? limit : 0);
  let audit = 0;
  for (const [id, entry] of state.audit) {
    if (audit === limit || !targets.audit) break;
    if (entry.expiresAt > now) continue;
    state.audit.delete(id);
    audit++;
  }
  for (const [purpose, count] of events.counts) putAudit(state, auditFor(purpose, count));
  return { expired: events.counts, outbox: outbox.total, audit };
}
