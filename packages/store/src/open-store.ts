import { ErrorCode, err, ok } from '@consentgate/core';
import type { ConsentGateError, Result } from '@consentgate/core';

import { invalidOption, isString } from './assert-input.js';
import { createAuditLog } from './audit-log.js';
import type { Backend } from './backend.js';
import { createConsentLog } from './consent-log.js';
import { createEventLog } from './event-log.js';
import { buildExport } from './export-document.js';
import { createIdbBackend } from './idb-backend.js';
import { createMemoryBackend } from './memory-backend.js';
import { createOutbox } from './outbox.js';
import { resolveSettings } from './resolve-settings.js';
import type { Settings } from './resolve-settings.js';
import { createStoreContext } from './store-context.js';
import { storeError, toStoreError } from './store-error.js';
import type { Store, StoreOptions } from './store.js';
import { createSweeper } from './sweeper.js';

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
  if (!isString(name) || name === '') invalidOption('openStore name');
  const settings = resolveSettings(options);
  return open(name, settings);
}

async function open(name: string, settings: Settings): Promise<Result<Store>> {
  let backend: Backend;
  let fallback: ConsentGateError | undefined;
  const factory = settings.indexedDB;
  try {
    if (!factory) throw storeError(ErrorCode.StoreUnavailable, 'no IndexedDB');
    backend = await createIdbBackend({ ...settings, factory, name });
  } catch (cause) {
    fallback = toStoreError(cause);
    if (!settings.memoryFallback) return err(fallback);
    backend = createMemoryBackend();
  }
  return ok(createStore(name, backend, fallback, settings));
}

/** Wires the parts of a store opened on `backend` together and returns it. */
function createStore(
  name: string,
  backend: Backend,
  fallback: ConsentGateError | undefined,
  settings: Settings,
): Store {
  const ctx = createStoreContext(name, backend, fallback, settings);
  const { state, emitter, call, auditEntry, auditFor, openRows } = ctx;
  const consent = createConsentLog(ctx);
  const events = createEventLog(ctx);
  const outbox = createOutbox(ctx);
  const audit = createAuditLog(ctx);
  const sweeper = createSweeper(ctx);

  return {
    get mode() {
      return state.backend.mode;
    },
    get fallback() {
      return state.fallback;
    },
    consent,
    events,
    outbox,
    audit,
    on: (event, fn) => emitter.on(event, fn),
    purge(purpose, { reasons = ['consent-withdrawn'], policyDigest } = {}) {
      if (!isString(purpose)) invalidOption('purge purpose');
      const audit = auditFor({
        kind: 'purged',
        reasons,
        ...(policyDigest !== undefined && { policyDigest }),
      });
      return call('purge', async (current) => {
        const report = { purpose, ...(await current.purge(purpose, audit)) };
        if (report.events + report.outbox > 0) emitter.emit('store:purged', report);
        return report;
      });
    },
    eraseAll() {
      // Kept until the next erasure (it expires never), so the visitor can see it happened.
      const receipt = auditEntry({
        kind: 'erased',
        reasons: ['visitor-request'],
        expiresAt: Infinity,
      });
      return call('eraseAll', async (current) => {
        await current.eraseAll(receipt);
        emitter.emit('store:erased', receipt);
        return receipt;
      });
    },
    export() {
      return call('export', async (current) => {
        const at = settings.now();
        const snapshot = await current.snapshot(at);
        return buildExport({
          ...snapshot,
          now: at,
          mode: current.mode,
          events: await openRows('export', snapshot.events),
        });
      });
    },
    sweep: sweeper.sweep,
    close() {
      if (state.closed) return;
      state.closed = true;
      sweeper.stop();
      state.backend.close();
    },
  };
}
