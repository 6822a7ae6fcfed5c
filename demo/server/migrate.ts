import type { Database } from './database.js';

/**
 * The schema, one step per version; a step never changes once released. Each statement runs on
 * its own (the extended query protocol takes one statement at a time).
 *
 * - `events`: accepted events, keyed by the SDK's `messageId` (retries are de-duplicated).
 * - `receipts`: the consent receipt behind accepted events, stored once by id.
 * - `rejections`: metadata of refused events only (no visitor id, no property values).
 * - `counters`: totals that outlive erasure (`accepted`, `duplicates`).
 * - `erasures`: what each erasure request deleted (counts and time only).
 */
const MIGRATIONS: readonly (readonly string[])[] = [
  [
    `CREATE TABLE receipts (
      id text PRIMARY KEY,
      document jsonb NOT NULL,
      received_at timestamptz NOT NULL
    )`,
    `CREATE TABLE events (
      message_id text PRIMARY KEY,
      type text NOT NULL,
      name text NOT NULL,
      purpose text NOT NULL,
      anonymous_id text,
      user_id text,
      receipt_id text NOT NULL,
      policy_digest text NOT NULL,
      properties jsonb NOT NULL,
      sent_at timestamptz NOT NULL,
      "timestamp" timestamptz NOT NULL,
      received_at timestamptz NOT NULL
    )`,
    'CREATE INDEX events_anonymous_id ON events (anonymous_id)',
    'CREATE INDEX events_receipt_id ON events (receipt_id)',
    'CREATE INDEX events_received_at ON events (received_at)',
    `CREATE TABLE rejections (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      message_id text,
      name text,
      purpose text,
      reasons jsonb NOT NULL,
      received_at timestamptz NOT NULL
    )`,
    'CREATE TABLE counters (name text PRIMARY KEY, value bigint NOT NULL)',
    `CREATE TABLE erasures (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      events integer NOT NULL,
      receipts integer NOT NULL,
      erased_at timestamptz NOT NULL
    )`,
  ],
];

/** Advisory lock id, so that two collectors starting against one server migrate one at a time. */
const MIGRATION_LOCK = 0x636f6c6c;

/** The schema version {@link migrate} brings a database to. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Brings the database's schema up to {@link SCHEMA_VERSION}, applying each missing step in one
 * transaction, and resolves to the versions it applied. Rejects on SQL errors.
 */
export async function migrate(db: Database): Promise<number[]> {
  await db.query(
    `CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`,
  );
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    const { rows } = await tx.query<{ version: number }>('SELECT version FROM schema_migrations');
    const done = new Set(rows.map((row) => row.version));
    const applied: number[] = [];
    for (const [index, statements] of MIGRATIONS.entries()) {
      const version = index + 1;
      if (done.has(version)) continue;
      for (const sql of statements) await tx.query(sql);
      await tx.query('INSERT INTO schema_migrations (version) VALUES ($1)', [version]);
      applied.push(version);
    }
    return applied;
  });
}
