import type { ConsentRecord } from '@consentgate/core';

import { declinedPurposes } from './backend.js';
import type { Backend, DueRow, PurgeCounts, Snapshot, SweepBatch } from './backend.js';
import type { AuditEntry, OutboxEntry, OutboxRef } from './records.js';
import type { EventRow } from './schema.js';

type Keyed = { readonly purpose: string; readonly expiresAt: number; readonly id: string };

function key(record: Keyed): string {
  return JSON.stringify([record.purpose, record.expiresAt, record.id]);
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

/**
 * Creates the memory-only backend: the same operations over Maps, for when IndexedDB is missing
 * or broken. Values are structured-cloned in and out, as IndexedDB would, so a caller mutating an
 * object after writing it changes nothing stored. Nothing survives the page, and nothing is
 * written anywhere else (no localStorage, no cookies).
 */
export function createMemoryBackend(): Backend {
  let _consent: ConsentRecord[] = [];
  const _events = new Map<string, EventRow>();
  const _outbox = new Map<string, OutboxEntry>();
  const _audit = new Map<string, AuditEntry>();
  const _keys = new Map<string, CryptoKey>();

  const copy = <T>(value: T): T => structuredClone(value);

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

  function putAudit(entry: AuditEntry): void {
    _audit.set(JSON.stringify([entry.expiresAt, entry.id]), copy(entry));
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

  const latest = () => {
    const record = _consent.at(-1);
    return record && { seq: _consent.length, record: copy(record) };
  };

  return {
    mode: 'memory',
    consentLatest: () => Promise.resolve(latest()),
    consentAppend(expected, record, purge, auditFor) {
      const purged = new Map<string, PurgeCounts>();
      const current = latest();
      if (current?.record.id === record.id) {
        return Promise.resolve({ status: 'duplicate' as const, purged });
      }
      if (current?.seq !== expected)
        return Promise.resolve({ status: 'conflict' as const, purged });
      _consent.push(copy(record));
      for (const purpose of purge) {
        const events = deletePurpose(_events, purpose);
        const outbox = deletePurpose(_outbox, purpose);
        if (events + outbox > 0) putAudit(auditFor(purpose, events));
        purged.set(purpose, { events, outbox });
      }
      return Promise.resolve({ status: 'appended' as const, purged });
    },
    consentAll: () => Promise.resolve(copy(_consent)),
    eventsPut(rows) {
      const declined = declinedPurposes(_consent.at(-1));
      const copies = rows.filter((row) => !declined.has(row.purpose)).map(copy);
      for (const row of copies) _events.set(key(row), row);
      return Promise.resolve(declined);
    },
    eventsList({ now, purpose, limit = Infinity }) {
      const rows = [..._events.values()]
        .filter((row) => row.expiresAt > now && (purpose === undefined || row.purpose === purpose))
        .sort(purpose === undefined ? byExpiry : byKey)
        .slice(0, limit);
      return Promise.resolve(copy(rows));
    },
    eventsCount({ now, purpose }) {
      let count = 0;
      for (const row of _events.values()) {
        if (row.expiresAt > now && (purpose === undefined || row.purpose === purpose)) count++;
      }
      return Promise.resolve(count);
    },
    evict(purpose, count, auditFor) {
      const victims = [..._events.values()]
        .filter((row) => row.purpose === purpose)
        .sort(byKey)
        .slice(0, count);
      const ids = new Set(victims.map((row) => row.id));
      for (const row of victims) _events.delete(key(row));
      for (const [id, entry] of _outbox) {
        if (entry.purpose === purpose && ids.has(entry.eventId)) _outbox.delete(id);
      }
      if (victims.length > 0) putAudit(auditFor(purpose, victims.length));
      return Promise.resolve(victims.length);
    },
    outboxPut(entries, now) {
      const written = entries.filter(
        (entry) =>
          entry.expiresAt > now &&
          _events.has(
            key({ purpose: entry.purpose, expiresAt: entry.expiresAt, id: entry.eventId }),
          ),
      );
      for (const entry of written) _outbox.set(key(entry), copy(entry));
      return Promise.resolve(copy(written));
    },
    outboxDue({ now, limit, destination }) {
      const due: DueRow[] = [];
      const entries = [..._outbox.values()]
        .filter((entry) => entry.nextAttemptAt <= now && entry.expiresAt > now)
        .filter((entry) => destination === undefined || entry.destination === destination)
        .sort((a, b) => a.nextAttemptAt - b.nextAttemptAt || byKey(a, b));
      for (const entry of entries) {
        if (due.length === limit) break;
        const event = _events.get(
          key({ purpose: entry.purpose, expiresAt: entry.expiresAt, id: entry.eventId }),
        );
        if (event) due.push(copy({ entry, event }));
      }
      return Promise.resolve(due);
    },
    outboxAttempt(ref: OutboxRef, nextAttemptAt) {
      const entry = _outbox.get(key(ref));
      if (!entry) return Promise.resolve(undefined);
      const next = { ...entry, attempts: entry.attempts + 1, nextAttemptAt };
      _outbox.set(key(ref), next);
      return Promise.resolve(copy(next));
    },
    outboxRemove(refs, audit) {
      let count = 0;
      for (const ref of refs) if (_outbox.delete(key(ref))) count++;
      for (const entry of audit) putAudit(entry);
      return Promise.resolve(count);
    },
    auditPut(entries) {
      for (const entry of entries) putAudit(entry);
      return Promise.resolve();
    },
    auditList: (now) =>
      Promise.resolve(copy([..._audit.values()].filter((entry) => entry.expiresAt > now))),
    purge(purpose, auditFor) {
      const events = deletePurpose(_events, purpose);
      const outbox = deletePurpose(_outbox, purpose);
      if (events + outbox > 0) putAudit(auditFor(purpose, events));
      return Promise.resolve({ events, outbox });
    },
    eraseAll(receipt) {
      _consent = [];
      _events.clear();
      _outbox.clear();
      _audit.clear();
      putAudit(receipt);
      return Promise.resolve();
    },
    sweepBatch(now, limit, targets, auditFor): Promise<SweepBatch> {
      const events = expire(_events, now, targets.events ? limit : 0);
      const outbox = expire(_outbox, now, targets.outbox ? limit : 0);
      let audit = 0;
      for (const [id, entry] of _audit) {
        if (audit === limit || !targets.audit) break;
        if (entry.expiresAt > now) continue;
        _audit.delete(id);
        audit++;
      }
      for (const [purpose, count] of events.counts) putAudit(auditFor(purpose, count));
      return Promise.resolve({ expired: events.counts, outbox: outbox.total, audit });
    },
    snapshot(now): Promise<Snapshot> {
      return Promise.resolve({
        consent: copy(_consent),
        events: copy([..._events.values()].filter((row) => row.expiresAt > now).sort(byKey)),
        outbox: copy([..._outbox.values()].filter((entry) => entry.expiresAt > now)),
        audit: copy([..._audit.values()].filter((entry) => entry.expiresAt > now)),
      });
    },
    async loadKey(name, generate) {
      const existing = _keys.get(name);
      if (existing) return existing;
      const generated = await generate();
      // Another caller may have stored one while this one was generating.
      const stored = _keys.get(name) ?? generated;
      _keys.set(name, stored);
      return stored;
    },
    close() {
      // Nothing to release; the Maps go with the store.
    },
  };
}
