import { ErrorCode } from '@consentgate/core';
import { wrap } from 'idb';

import { DB_VERSION, upgrade } from './schema.js';
import type { StoreDatabase } from './schema.js';
import { storeClosed, storeError, toStoreError } from './store-error.js';

/** Options for {@link openDatabase}. */
export interface OpenDatabaseOptions {
  readonly factory: IDBFactory;
  readonly name: string;
  /** The schema version to open. */
  readonly version: number;
  /** Give up when the open neither succeeds, fails nor reports `blocked` within this time. */
  readonly openTimeoutMs: number;
  /** Give up when the open is still blocked by another connection after this time. */
  readonly blockedTimeoutMs: number;
}

/**
 * Opens (and if needed upgrades) the database and returns the connection; rejects with a store
 * error: `store/unavailable` when IndexedDB refuses, `store/timeout` when the open never settles,
 * `store/blocked` when another tab holds an older version open for too long. A connection that
 * arrives after the caller gave up is closed at once, so it cannot block anyone.
 */
export function openDatabase(options: OpenDatabaseOptions): Promise<StoreDatabase> {
  const { factory, name, version, openTimeoutMs, blockedTimeoutMs } = options;
  return new Promise((resolve, reject) => {
    let request: IDBOpenDBRequest;
    try {
      request = factory.open(name, version);
    } catch (cause) {
      // Firefox and Safari throw from open() in some private or sandboxed contexts.
      reject(storeError(ErrorCode.StoreUnavailable, 'IndexedDB refused to open', cause));
      return;
    }
    let settled = false;
    let timer = setTimeout(() => {
      fail(storeError(ErrorCode.StoreTimeout, 'IndexedDB open timed out'));
    }, openTimeoutMs);
    function fail(error: Error): void {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(error);
    }
    request.addEventListener('blocked', () => {
      // Another connection holds an older version open. That is not a broken IndexedDB, so the
      // open timeout gives way to the (usually longer) blocked timeout.
      clearTimeout(timer);
      timer = setTimeout(() => {
        fail(storeError(ErrorCode.StoreBlocked, 'upgrade blocked by another tab'));
      }, blockedTimeoutMs);
    });
    request.addEventListener('upgradeneeded', (event) => {
      const db = wrap(request.result) as StoreDatabase;
      const tx = wrap(request.transaction as IDBTransaction) as unknown as Parameters<
        typeof upgrade
      >[3];
      upgrade(db, event.oldVersion, event.newVersion ?? version, tx);
    });
    request.addEventListener('success', () => {
      const db = request.result;
      if (settled) {
        db.close();
        return;
      }
      settled = true;
      clearTimeout(timer);
      resolve(wrap(db) as StoreDatabase);
    });
    request.addEventListener('error', (event) => {
      // Handled here; without this Firefox also reports it as an uncaught error.
      event.preventDefault();
      fail(toStoreError(request.error));
    });
  });
}

/** Failures to (re)open the database; after these the store may fall back to memory. */
const reopenFailures = new WeakSet<object>();

/** Returns whether `error` is a failure to open the database (rather than of one operation). */
export function isOpenFailure(error: unknown): boolean {
  return typeof error === 'object' && error !== null && reopenFailures.has(error);
}

/** Options for {@link openConnection}. */
export interface ConnectionOptions extends Omit<OpenDatabaseOptions, 'version'> {
  /** Retries of an operation whose connection was lost (each retry reopens). */
  readonly maxRetries: number;
}

/** A database connection that reopens itself when it is lost. */
export interface Connection {
  /** Runs `op` on a connection, reopening and retrying when the connection was lost. */
  readonly run: <T>(op: (db: StoreDatabase) => Promise<T>) => Promise<T>;
  /** Closes the connection; later `run` calls reject with `store/connection-lost`. */
  readonly close: () => void;
}

/**
 * Opens the first connection and returns the {@link Connection}; rejects like
 * {@link openDatabase}. A connection closed by the browser, or closed here because another tab
 * needed it, is reopened on the next `run`, up to `maxRetries` times per operation.
 */
export async function openConnection(options: ConnectionOptions): Promise<Connection> {
  const { maxRetries } = options;
  const state: {
    db: StoreDatabase | undefined;
    opening: Promise<StoreDatabase> | undefined;
    closed: boolean;
  } = { db: undefined, opening: undefined, closed: false };

  function drop(db: StoreDatabase): void {
    if (state.db === db) state.db = undefined;
  }

  function connect(): Promise<StoreDatabase> {
    if (state.db) return Promise.resolve(state.db);
    state.opening ??= openDatabase({ ...options, version: DB_VERSION })
      .then((db) => {
        state.opening = undefined;
        if (state.closed) {
          db.close();
          throw storeClosed();
        }
        // The browser closed the connection (storage cleared, backend crashed): reopen next time.
        db.addEventListener('close', () => drop(db));
        // Another tab wants to upgrade or delete the database: step aside rather than block it.
        db.addEventListener('versionchange', () => {
          db.close();
          drop(db);
        });
        state.db = db;
        return db;
      })
      .catch((error: unknown) => {
        state.opening = undefined;
        if (typeof error === 'object' && error !== null) reopenFailures.add(error);
        throw error;
      });
    return state.opening;
  }

  await connect();

  return {
    async run(op) {
      for (let attempt = 0; ; attempt++) {
        if (state.closed) throw storeClosed();
        const db = await connect();
        try {
          return await op(db);
        } catch (cause) {
          const error = toStoreError(cause);
          if (error.code !== ErrorCode.StoreConnectionLost || attempt >= maxRetries) throw error;
          drop(db);
        }
      }
    },
    close() {
      state.closed = true;
      state.db?.close();
      state.db = undefined;
    },
  };
}
