import { mkdir } from 'node:fs/promises';

import type { PoolClient } from 'pg';

import { err, ok } from '@consentgate/core';
import type { Result } from '@consentgate/core';

import { CollectorError, CollectorErrorCode } from './collector-error.js';

/** Rows and the number of rows a statement returned or changed. */
export interface QueryResult<Row> {
  readonly rows: Row[];
  /** Rows inserted, updated or deleted (or returned, for a plain `SELECT`). */
  readonly rowCount: number;
}

/** Anything that runs one parameterised SQL statement: the database or an open transaction. */
export interface Queryable {
  /** Runs one statement with `$1`-style parameters and returns its rows. Rejects on SQL errors. */
  query<Row = Record<string, unknown>>(
    sql: string,
    params?: readonly unknown[],
  ): Promise<QueryResult<Row>>;
}

/**
 * The collector's whole view of its database: PostgreSQL, embedded (PGlite) or a server (`pg`),
 * behind the same SQL.
 */
export interface Database extends Queryable {
  /** Which engine this is. */
  readonly kind: 'pglite' | 'postgres';
  /** Runs `fn` in a transaction: committed when it resolves, rolled back when it rejects. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Closes the connection(s). */
  close(): Promise<void>;
}

/** Options for {@link openDatabase}. */
export interface OpenDatabaseOptions {
  /**
   * A `postgres://` or `postgresql://` URL: connect to a PostgreSQL server with `pg`.
   *
   * @default undefined (embedded PGlite)
   */
  url?: string | undefined;
  /**
   * The directory PGlite keeps its files in (created if missing); ignored with `url`.
   *
   * @default undefined (PGlite in memory: everything is lost on close)
   */
  dataDir?: string | undefined;
  /**
   * Receives connection errors that happen between queries (a server restart, say).
   *
   * @default () => {}
   */
  onError?: (error: unknown) => void;
}

/** The most connections the collector opens to a PostgreSQL server. */
const POOL_SIZE = 4;

/**
 * Opens the collector's database and returns it: a PostgreSQL server when `url` is given,
 * otherwise embedded PGlite (on disk in `dataDir`, or in memory). Never rejects.
 *
 * @example
 * ```ts
 * const db = await openDatabase({ dataDir: 'demo/.data/collector' });
 * if (!db.ok) throw db.error;
 * await db.value.query('SELECT 1');
 * ```
 */
export async function openDatabase(
  options: OpenDatabaseOptions = {},
): Promise<Result<Database, CollectorError>> {
  const { url, dataDir, onError = () => {} } = options;
  try {
    if (url !== undefined) {
      if (!/^postgres(ql)?:\/\//.test(url)) {
        return err(
          new CollectorError(
            CollectorErrorCode.InvalidOptions,
            'the database URL must start with postgres:// or postgresql://',
          ),
        );
      }
      return ok(await openPostgres(url, onError));
    }
    return ok(await openPglite(dataDir));
  } catch (cause) {
    return err(
      new CollectorError(
        CollectorErrorCode.DatabaseUnavailable,
        `the database could not be opened: ${describeError(cause)}`,
        { cause },
      ),
    );
  }
}

async function openPglite(dataDir: string | undefined): Promise<Database> {
  // Loaded on demand: a collector pointed at a server never pays for the 20 MB WebAssembly build.
  const { PGlite } = await import('@electric-sql/pglite');
  if (dataDir !== undefined) await mkdir(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir ?? 'memory://');
  const run = async <Row>(
    target: Pick<typeof db, 'query'>,
    sql: string,
    params: readonly unknown[] = [],
  ): Promise<QueryResult<Row>> => {
    const result = await target.query<Row>(sql, [...params]);
    return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
  };
  return {
    kind: 'pglite',
    query: (sql, params) => run(db, sql, params),
    transaction: (fn) =>
      db.transaction((tx) => fn({ query: (sql, params) => run(tx, sql, params) })),
    close: () => db.close(),
  };
}

async function openPostgres(url: string, onError: (error: unknown) => void): Promise<Database> {
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({ connectionString: url, max: POOL_SIZE });
  // An idle client that loses its server emits on the pool; unheard, that would end the process.
  pool.on('error', onError);
  const run = async <Row>(
    target: Pick<PoolClient, 'query'>,
    sql: string,
    params: readonly unknown[] = [],
  ): Promise<QueryResult<Row>> => {
    const result = await target.query(sql, [...params]);
    return { rows: result.rows as Row[], rowCount: result.rowCount ?? result.rows.length };
  };
  try {
    await pool.query('SELECT 1');
  } catch (error) {
    await pool.end().catch(() => {});
    throw error;
  }
  return {
    kind: 'postgres',
    query: (sql, params) => run(pool, sql, params),
    async transaction(fn) {
      const client = await pool.connect();
      let broken: unknown;
      try {
        await client.query('BEGIN');
        const value = await fn({ query: (sql, params) => run(client, sql, params) });
        await client.query('COMMIT');
        return value;
      } catch (error) {
        // A failed ROLLBACK means the connection is gone; release() must then discard it.
        await client.query('ROLLBACK').catch((rollback: unknown) => void (broken = rollback));
        throw error;
      } finally {
        client.release(broken instanceof Error ? broken : undefined);
      }
    },
    close: () => pool.end(),
  };
}

/** A one-line description of an unknown thrown value. */
export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
