import type { ConsentRecord } from '@consentgate/core';

import type { Database, Queryable } from './database.js';
import type { ValidEvent } from './parse-batch.js';
import { RejectReason } from './verify-event.js';
import type { Rejection } from './verify-event.js';

/** An accepted event as stored and listed by `GET /v1/events`. */
export interface StoredEvent {
  readonly messageId: string;
  readonly type: string;
  /** The policy event name (`Page Viewed` for page calls). */
  readonly name: string;
  readonly purpose: string;
  readonly anonymousId: string | null;
  readonly userId: string | null;
  readonly receiptId: string;
  readonly policyDigest: string;
  /** Exactly the properties that were checked and accepted. */
  readonly properties: Record<string, unknown>;
  /** The event's own time (ISO). */
  readonly timestamp: string;
  /** When the SDK sent the batch (ISO). */
  readonly sentAt: string;
  /** When the collector received it (ISO). */
  readonly receivedAt: string;
}

/** A refused event as stored: metadata only. */
export interface StoredRejection extends Rejection {
  /** When the collector received it (ISO). */
  readonly receivedAt: string;
}

/** What `GET /v1/stats` reports. */
export interface CollectorStats {
  /** Events accepted since the database was created (erasure does not lower it). */
  readonly accepted: number;
  /** Events received again with a `messageId` already stored, and not stored twice. */
  readonly duplicates: number;
  /** Refused events on record. */
  readonly rejected: number;
  /** Refused events per reason (an event with two reasons counts under both). */
  readonly rejectedByReason: Readonly<Record<string, number>>;
  /** What the database holds now. */
  readonly stored: { readonly events: number; readonly receipts: number };
  /** Erasure requests served. */
  readonly erasures: number;
}

/** What one batch did to the database. */
export interface BatchOutcome {
  readonly accepted: number;
  readonly duplicates: number;
  /** The refused events, including any refused here for `receipt-conflict`. */
  readonly rejected: readonly Rejection[];
}

/** What one erasure request deleted. */
export interface EraseOutcome {
  readonly events: number;
  readonly receipts: number;
}

/** The collector's queries; every method rejects on a database error. */
export interface CollectorStore {
  /**
   * Stores a verified batch in one transaction: the receipt (once per id) and the accepted
   * events (once per `messageId`), the rejections' metadata, and the counters.
   */
  recordBatch(batch: {
    readonly receipt: ConsentRecord;
    readonly events: readonly ValidEvent[];
    readonly rejected: readonly Rejection[];
    readonly sentAt: string;
    readonly receivedAt: string;
  }): Promise<BatchOutcome>;
  /** Deletes a visitor's events and receipts, and logs the counts. */
  erase(request: {
    readonly anonymousId: string | null;
    readonly receiptIds: readonly string[];
    readonly erasedAt: string;
  }): Promise<EraseOutcome>;
  /** Lists accepted events, newest first. */
  listEvents(query: {
    readonly anonymousId?: string | null;
    readonly limit: number;
  }): Promise<StoredEvent[]>;
  /** Lists refused events, newest first. */
  listRejections(limit: number): Promise<StoredRejection[]>;
  /** Returns the counts `GET /v1/stats` reports. */
  stats(): Promise<CollectorStats>;
  /** Resolves when the database answers. */
  ping(): Promise<void>;
}

interface EventRow {
  message_id: string;
  type: string;
  name: string;
  purpose: string;
  anonymous_id: string | null;
  user_id: string | null;
  receipt_id: string;
  policy_digest: string;
  properties: Record<string, unknown>;
  timestamp: unknown;
  sent_at: unknown;
  received_at: unknown;
}

interface RejectionRow {
  message_id: string | null;
  name: string | null;
  purpose: string | null;
  reasons: string[];
  received_at: unknown;
}

/**
 * Creates the collector's queries over `db` (whose schema {@link migrate} has brought up to
 * date) and returns them. The same SQL runs on PGlite and on a PostgreSQL server.
 */
export function createStore(db: Database): CollectorStore {
  return {
    recordBatch: (batch) =>
      db.transaction(async (tx) => {
        const { receipt, events, sentAt, receivedAt } = batch;
        const conflicted = events.length > 0 && (await receiptConflicts(tx, receipt, receivedAt));
        let rejected = batch.rejected;
        let accepted = 0;
        if (conflicted) {
          rejected = [
            ...rejected,
            ...events.map((event) => ({
              messageId: event.messageId,
              name: event.name,
              purpose: event.consentgate.purpose,
              reasons: [RejectReason.ReceiptConflict],
            })),
          ];
        } else if (events.length > 0) {
          // Every accepted event cited the collector's own digest, so they share it.
          // One statement for the whole batch; ON CONFLICT also skips a repeat within it.
          const { rowCount } = await tx.query(
            `INSERT INTO events (message_id, type, name, purpose, anonymous_id, user_id,
               receipt_id, policy_digest, properties, sent_at, "timestamp", received_at)
             SELECT m, t, n, p, a, u, $7, $8, props::jsonb, $9::timestamptz, ts::timestamptz,
               $10::timestamptz
             FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
               $11::text[], $12::text[]) AS e(m, t, n, p, a, u, props, ts)
             ON CONFLICT (message_id) DO NOTHING`,
            [
              events.map((e) => e.messageId),
              events.map((e) => e.type),
              events.map((e) => e.name),
              events.map((e) => e.consentgate.purpose),
              events.map((e) => e.anonymousId),
              events.map((e) => e.userId),
              receipt.id,
              events[0]?.consentgate.policyDigest,
              sentAt,
              receivedAt,
              events.map((e) => JSON.stringify(e.properties)),
              events.map((e) => e.timestamp),
            ],
          );
          accepted = rowCount;
        }
        if (rejected.length > 0) {
          await tx.query(
            `INSERT INTO rejections (message_id, name, purpose, reasons, received_at)
             SELECT m, n, p, r::jsonb, $5::timestamptz
             FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS x(m, n, p, r)`,
            [
              rejected.map((r) => r.messageId),
              rejected.map((r) => r.name),
              rejected.map((r) => r.purpose),
              rejected.map((r) => JSON.stringify(r.reasons)),
              receivedAt,
            ],
          );
        }
        const duplicates = conflicted ? 0 : events.length - accepted;
        await tx.query(
          `INSERT INTO counters (name, value) VALUES ('accepted', $1), ('duplicates', $2)
           ON CONFLICT (name) DO UPDATE SET value = counters.value + EXCLUDED.value`,
          [accepted, duplicates],
        );
        return { accepted, duplicates, rejected };
      }),

    erase: ({ anonymousId, receiptIds, erasedAt }) =>
      db.transaction(async (tx) => {
        const cited = await tx.query<{ receipt_id: string }>(
          'SELECT DISTINCT receipt_id FROM events WHERE anonymous_id = $1::text',
          [anonymousId],
        );
        const ids = [...new Set([...receiptIds, ...cited.rows.map((row) => row.receipt_id)])];
        const events = await tx.query(
          'DELETE FROM events WHERE anonymous_id = $1::text OR receipt_id = ANY($2::text[])',
          [anonymousId, ids],
        );
        const receipts = await tx.query('DELETE FROM receipts WHERE id = ANY($1::text[])', [ids]);
        await tx.query(
          'INSERT INTO erasures (events, receipts, erased_at) VALUES ($1, $2, $3::timestamptz)',
          [events.rowCount, receipts.rowCount, erasedAt],
        );
        return { events: events.rowCount, receipts: receipts.rowCount };
      }),

    async listEvents({ anonymousId = null, limit }) {
      const { rows } = await db.query<EventRow>(
        `SELECT * FROM events WHERE $1::text IS NULL OR anonymous_id = $1::text
         ORDER BY received_at DESC, "timestamp" DESC, message_id LIMIT $2`,
        [anonymousId, limit],
      );
      return rows.map((row) => ({
        messageId: row.message_id,
        type: row.type,
        name: row.name,
        purpose: row.purpose,
        anonymousId: row.anonymous_id,
        userId: row.user_id,
        receiptId: row.receipt_id,
        policyDigest: row.policy_digest,
        properties: row.properties,
        timestamp: iso(row.timestamp),
        sentAt: iso(row.sent_at),
        receivedAt: iso(row.received_at),
      }));
    },

    async listRejections(limit) {
      const { rows } = await db.query<RejectionRow>(
        `SELECT message_id, name, purpose, reasons, received_at FROM rejections
         ORDER BY received_at DESC, id DESC LIMIT $1`,
        [limit],
      );
      return rows.map((row) => ({
        messageId: row.message_id,
        name: row.name,
        purpose: row.purpose,
        reasons: row.reasons,
        receivedAt: iso(row.received_at),
      }));
    },

    async stats() {
      const counters = await db.query<{ name: string; value: number }>(
        'SELECT name, value::float8 AS value FROM counters',
      );
      const reasons = await db.query<{ reason: string; n: number }>(
        `SELECT reason, count(*)::int AS n
         FROM rejections CROSS JOIN LATERAL jsonb_array_elements_text(reasons) AS r(reason)
         GROUP BY reason ORDER BY reason`,
      );
      const totals = await db.query<{
        events: number;
        receipts: number;
        rejected: number;
        erasures: number;
      }>(
        `SELECT (SELECT count(*) FROM events)::int AS events,
           (SELECT count(*) FROM receipts)::int AS receipts,
           (SELECT count(*) FROM rejections)::int AS rejected,
           (SELECT count(*) FROM erasures)::int AS erasures`,
      );
      const count = (name: string): number =>
        counters.rows.find((row) => row.name === name)?.value ?? 0;
      const total = totals.rows[0];
      return {
        accepted: count('accepted'),
        duplicates: count('duplicates'),
        rejected: total?.rejected ?? 0,
        rejectedByReason: Object.fromEntries(reasons.rows.map((row) => [row.reason, row.n])),
        stored: { events: total?.events ?? 0, receipts: total?.receipts ?? 0 },
        erasures: total?.erasures ?? 0,
      };
    },

    async ping() {
      await db.query('SELECT 1');
    },
  };
}

/**
 * Stores `receipt` unless its id is known, and returns whether the stored receipt with that id
 * says something else (a reused id: tampering or a broken client).
 */
async function receiptConflicts(
  tx: Queryable,
  receipt: ConsentRecord,
  receivedAt: string,
): Promise<boolean> {
  await tx.query(
    `INSERT INTO receipts (id, document, received_at) VALUES ($1, $2::jsonb, $3::timestamptz)
     ON CONFLICT (id) DO NOTHING`,
    [receipt.id, JSON.stringify(receipt), receivedAt],
  );
  const { rows } = await tx.query<{ document: unknown }>(
    'SELECT document FROM receipts WHERE id = $1',
    [receipt.id],
  );
  return canonicalJson(rows[0]?.document) !== canonicalJson(receipt);
}

/** JSON with object keys sorted: equal for equal documents whatever order jsonb returns. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    item && typeof item === 'object' && !Array.isArray(item)
      ? Object.fromEntries(
          Object.keys(item)
            .sort()
            .map((key) => [key, (item as Record<string, unknown>)[key]]),
        )
      : item,
  );
}

/** A timestamp column as an ISO string (both drivers return `Date` for `timestamptz`). */
function iso(value: unknown): string {
  return value instanceof Date ? value.toISOString() : new Date(String(value)).toISOString();
}
