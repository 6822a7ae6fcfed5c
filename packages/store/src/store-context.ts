import { ErrorCode, createEmitter, err, ok } from '@consentgate/core';
import type { ConsentGateError, Emitter, Result } from '@consentgate/core';

import type { AuditFor, Backend } from './backend.js';
import { isOpenFailure } from './idb-connection.js';
import { newId } from './ids.js';
import { createMemoryBackend } from './memory-backend.js';
import type { AuditEntry, AuditInput, StoredEvent } from './records.js';
import type { Settings } from './resolve-settings.js';
import type { EventRow } from './schema.js';
import { EVENTS_KEY, createSealer, generateKey } from './sealing.js';
import type { Sealer } from './sealing.js';
import { storeClosed, storeError, toStoreError } from './store-error.js';
import type { StoreEvents } from './store.js';

/** The optional members an audit entry takes from its input. */
const AUDIT_MEMBERS = [
  'event',
  'eventId',
  'purpose',
  'destination',
  'policyDigest',
  'count',
] as const satisfies readonly (keyof AuditInput)[];

/** What changes while a store is open; one object, so every part sees the same backend. */
export interface StoreState {
  /** Where operations go now; swapped for the memory backend when IndexedDB is lost. */
  backend: Backend;
  /** Why the store works in memory, when it does. */
  fallback: ConsentGateError | undefined;
  /** Set by `close()`; operations then fail with `store/connection-lost`. */
  closed: boolean;
}

/** What the consent log, event log, outbox, audit log and sweeper of one store share. */
export interface StoreContext {
  /** The database name, for Web Lock names. */
  readonly name: string;
  readonly settings: Settings;
  readonly state: StoreState;
  readonly emitter: Emitter<StoreEvents>;
  /** Encrypts and decrypts the configured field categories. */
  readonly sealer: Sealer;
  /**
   * Runs one backend operation and returns its outcome as a `Result`; never rejects. A failure
   * (whatever `op` threw, mapped by `toStoreError`) is emitted as `error` with `source`.
   */
  readonly call: <T>(source: string, op: (backend: Backend) => Promise<T>) => Promise<Result<T>>;
  /** Returns the audit entry for `input`, stamped `at` (default: now) and given its expiry. */
  readonly auditEntry: (input: AuditInput, at?: number) => AuditEntry;
  /** Returns the {@link AuditFor} that audits a deletion as `input` (with its purpose and count). */
  readonly auditFor: (input: Omit<AuditInput, 'purpose' | 'count'>, at?: number) => AuditFor;
  /** Decrypts rows, reporting (once per call) fields that could not be decrypted. */
  readonly openRows: (source: string, rows: readonly EventRow[]) => Promise<StoredEvent[]>;
}

/** Creates the context of a store opened on `backend` (with `fallback` when that is memory). */
export function createStoreContext(
  name: string,
  backend: Backend,
  fallback: ConsentGateError | undefined,
  settings: Settings,
): StoreContext {
  const { now, auditRetentionMs } = settings;
  const state: StoreState = { backend, fallback, closed: false };
  const emitter = createEmitter<StoreEvents>({
    onListenerError: (cause, source) =>
      emitter.emit(
        'error',
        storeError(ErrorCode.SdkCallbackFailed, `a ${source} listener threw`, cause),
        source,
      ),
  });
  const sealer = createSealer(settings.encryptCategories, () =>
    state.backend.loadKey(EVENTS_KEY, generateKey),
  );

  async function call<T>(source: string, op: (backend: Backend) => Promise<T>): Promise<Result<T>> {
    try {
      if (state.closed) throw storeClosed();
      return ok(await op(state.backend));
    } catch (cause) {
      const error = toStoreError(cause);
      if (state.backend.mode === 'indexeddb' && settings.memoryFallback && isOpenFailure(cause)) {
        // IndexedDB went away for good after the store opened (the reopen failed): keep the
        // page working in memory, say so, and run the operation again there.
        state.fallback = error;
        state.backend.close();
        state.backend = createMemoryBackend();
        emitter.emit('store:fallback', error);
        return call(source, op);
      }
      emitter.emit('error', error, source);
      return err(error);
    }
  }

  function auditEntry(input: AuditInput, at = now()): AuditEntry {
    const when = input.at ?? at;
    return {
      id: newId(),
      at: when,
      kind: input.kind,
      // Only the members an entry holds: an input is page data, and may carry more.
      ...Object.fromEntries(
        AUDIT_MEMBERS.filter((key) => input[key] !== undefined).map((key) => [key, input[key]]),
      ),
      reasons: [...(input.reasons ?? [])],
      expiresAt: input.expiresAt ?? when + auditRetentionMs,
    };
  }

  const auditFor =
    (input: Omit<AuditInput, 'purpose' | 'count'>, at?: number): AuditFor =>
    (purpose, count) =>
      auditEntry({ ...input, purpose, count }, at);

  async function openRows(source: string, rows: readonly EventRow[]): Promise<StoredEvent[]> {
    const opened = await Promise.all(rows.map((row) => sealer.open(row)));
    if (opened.some(({ failed }) => failed)) {
      emitter.emit('error', storeError(ErrorCode.StoreDecryptFailed, 'could not decrypt'), source);
    }
    return opened.map(({ event }) => event);
  }

  return { name, settings, state, emitter, sealer, call, auditEntry, auditFor, openRows };
}
