// Builders and helpers for the collector's Node tests (test/node/collector-*.test.ts): consent
// receipts, Segment events, a collector on a free port, and row counts.
import { readFileSync } from 'node:fs';

import type { ConsentRecord, WireAnswer } from '@consentgate/core';

import { openDatabase } from '../../demo/server/database.js';
import type { Database } from '../../demo/server/database.js';
import { startCollector } from '../../demo/server/start-collector.js';
import type { RunningCollector, StartCollectorOptions } from '../../demo/server/start-collector.js';

/** The committed policy bundle. */
export const POLICY_DIR = new URL('../../policies/dist/', import.meta.url);

/** The committed bundle's digest, which every event and receipt cites. */
export const POLICY_DIGEST = (
  JSON.parse(readFileSync(new URL('manifest.json', POLICY_DIR), 'utf8')) as { digest: string }
).digest;

/** A fixed clock: 2026-11-27T10:00:00.000Z. */
export const NOW = Date.UTC(2026, 10, 27, 10, 0, 0);

/** Tables the collector writes, for row counts. */
export type CollectorTable = 'events' | 'receipts' | 'rejections' | 'erasures';

/** An EU visitor's receipt: analytics yes, marketing no. */
export function makeReceipt(overrides: Partial<ConsentRecord> = {}): ConsentRecord {
  return {
    id: 'receipt-1',
    revision: 'rev-2026-11-27.1',
    purposes: { analytics: true, marketing: false },
    jurisdiction: 'EU',
    signals: { gpc: false },
    method: 'banner',
    given_at: NOW - 60_000,
    policy_digest: POLICY_DIGEST,
    previous: null,
    ...overrides,
  };
}

let sequence = 0;

/** What {@link makeEvent} takes: event fields plus the `context.consentgate` ones. */
export interface EventOverrides {
  readonly [key: string]: unknown;
  readonly purpose?: string;
  readonly receiptId?: string;
  readonly policyDigest?: string;
}

/**
 * A `Product Viewed` track event for analytics under `receipt-1`, with a fresh `messageId`;
 * `overrides` replace top-level fields, and `purpose`/`receiptId`/`policyDigest` the context.
 */
export function makeEvent(overrides: EventOverrides = {}): Record<string, unknown> {
  const {
    purpose = 'analytics',
    receiptId = 'receipt-1',
    policyDigest = POLICY_DIGEST,
    ...fields
  } = overrides;
  sequence += 1;
  return {
    type: 'track',
    event: 'Product Viewed',
    properties: { sku: 'SKU-1', price: 1200, currency: 'JPY' },
    messageId: `message-${sequence}`,
    timestamp: new Date(NOW - 1_000).toISOString(),
    anonymousId: 'visitor-1',
    context: { consentgate: { purpose, policyDigest, receiptId } },
    ...fields,
  };
}

/** A batch envelope of `events` under `receipt`. */
export function makeBatch(
  events: readonly unknown[],
  receipt: unknown = makeReceipt(),
): Record<string, unknown> {
  return { batch: events, sentAt: new Date(NOW).toISOString(), receipt };
}

/** POSTs `body` (JSON-encoded unless a string or bytes) to `path` and returns the response. */
export function post(
  base: string,
  path: string,
  body: unknown,
  headers: Record<string, string> = { 'content-type': 'application/json' },
): Promise<Response> {
  const payload: BodyInit =
    typeof body === 'string'
      ? body
      : body instanceof Uint8Array
        ? // Test bodies are built from fresh ArrayBuffers, never shared memory.
          (body as Uint8Array<ArrayBuffer>)
        : JSON.stringify(body);
  return fetch(new URL(path, base), { method: 'POST', headers, body: payload });
}

/** The JSON answer to a batch: core's {@link WireAnswer}, with both fields, plus `duplicates`. */
export type BatchAnswer = Required<WireAnswer> & { readonly duplicates: number };

/** POSTs a batch and returns the status and parsed answer. */
export async function sendBatch(
  base: string,
  body: unknown,
): Promise<{ status: number; answer: BatchAnswer }> {
  const response = await post(base, '/v1/batch', body);
  return { status: response.status, answer: (await response.json()) as BatchAnswer };
}

/** Returns how many rows `table` holds. */
export async function countRows(db: Database, table: CollectorTable): Promise<number> {
  const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
  return rows[0]?.n ?? -1;
}

/** Returns the row counts of every collector table. */
export async function countAll(db: Database): Promise<Record<CollectorTable, number>> {
  return {
    events: await countRows(db, 'events'),
    receipts: await countRows(db, 'receipts'),
    rejections: await countRows(db, 'rejections'),
    erasures: await countRows(db, 'erasures'),
  };
}

/** Empties every collector table (the schema stays). */
export async function resetDatabase(db: Database): Promise<void> {
  await db.query('TRUNCATE events, receipts, rejections, counters, erasures RESTART IDENTITY');
}

/** Starts a collector on a free loopback port with a fixed clock and a silent log. */
export async function startTestCollector(
  options: StartCollectorOptions = {},
): Promise<RunningCollector> {
  const started = await startCollector({
    port: 0,
    policyDir: POLICY_DIR,
    now: () => NOW,
    log: () => {},
    ...options,
  });
  if (!started.ok) throw started.error;
  return started.value;
}

/** A database the suite runs against, with how to open and dispose of it. */
export interface TestBackend {
  readonly name: string;
  open(): Promise<Database>;
  dispose(db: Database): Promise<void>;
}

/** In-memory PGlite: always. */
const PGLITE_MEMORY: TestBackend = {
  name: 'PGlite in memory',
  async open() {
    const opened = await openDatabase();
    if (!opened.ok) throw opened.error;
    return opened.value;
  },
  dispose: (db) => db.close(),
};

/**
 * A PostgreSQL server, when `COLLECTOR_TEST_DATABASE_URL` is set. Each run works in a schema of
 * its own (created, then dropped), so it needs a user that may `CREATE SCHEMA` in that database.
 */
function postgresBackend(url: string): TestBackend {
  const schema = `collector_test_${process.pid}_${Date.now()}`;
  const admin = async <T>(fn: (db: Database) => Promise<T>): Promise<T> => {
    const opened = await openDatabase({ url });
    if (!opened.ok) throw opened.error;
    try {
      return await fn(opened.value);
    } finally {
      await opened.value.close();
    }
  };
  return {
    name: 'PostgreSQL server',
    async open() {
      await admin((db) => db.query(`CREATE SCHEMA ${schema}`));
      const scoped = new URL(url);
      scoped.searchParams.set('options', `-c search_path=${schema}`);
      const opened = await openDatabase({ url: scoped.href });
      if (!opened.ok) throw opened.error;
      return opened.value;
    },
    async dispose(db) {
      await db.close();
      await admin((db) => db.query(`DROP SCHEMA ${schema} CASCADE`));
    },
  };
}

/** The backends to run the suite on: PGlite, plus PostgreSQL when configured. */
export function testBackends(): TestBackend[] {
  const url = process.env.COLLECTOR_TEST_DATABASE_URL;
  return url ? [PGLITE_MEMORY, postgresBackend(url)] : [PGLITE_MEMORY];
}

/** A database that can be made to fail every call, to test the collector's 503 path. */
export interface FlakyDatabase extends Database {
  /** While true, every query and transaction rejects. */
  failing: boolean;
}

/** Wraps `db` so that it fails every call while `failing` is set. */
export function createFlakyDatabase(db: Database): FlakyDatabase {
  const flaky: FlakyDatabase = {
    kind: db.kind,
    failing: false,
    query: (sql, params) =>
      flaky.failing ? Promise.reject(new Error('connection refused')) : db.query(sql, params),
    transaction: (fn) =>
      flaky.failing ? Promise.reject(new Error('connection refused')) : db.transaction(fn),
    close: () => db.close(),
  };
  return flaky;
}
