import { ErrorCode, sha256Hex } from '@consentgate/core';
import type { ConsentRecord, Result } from '@consentgate/core';

import { CONSENT_INPUT, assertShape } from './assert-input.js';
import { declinedPurposes } from './backend.js';
import { canonicalJson } from './canonical-json.js';
import { cloneProblem } from './clone-check.js';
import { newId } from './ids.js';
import type { ChainReport, ConsentInput } from './records.js';
import type { StoreContext } from './store-context.js';
import { storeError } from './store-error.js';
import type { ConsentLog } from './store.js';

/** Attempts to append a receipt while other tabs keep appending (each re-reads and re-hashes). */
const APPEND_ATTEMPTS = 5;

/** Returns the hash that links the receipt after `record` to it. */
const hashOf = (record: ConsentRecord) => sha256Hex(canonicalJson(record));

/** Creates the consent log of the store behind `ctx`. */
export function createConsentLog(ctx: StoreContext): ConsentLog {
  const { name, state, settings, emitter, call, auditFor } = ctx;
  const queue: { tail: Promise<unknown> } = { tail: Promise.resolve() };

  async function append(
    input: ConsentInput,
    purgeDeclined: boolean,
  ): Promise<Result<ConsentRecord>> {
    const id = input.id ?? newId();
    const purge = purgeDeclined ? [...declinedPurposes(input)] : [];
    const audit = auditFor(
      { kind: 'purged', reasons: ['consent-withdrawn'], policyDigest: input.policy_digest },
      settings.now(),
    );
    return call('consent.append', async (backend) => {
      const notCloneable = cloneProblem(input, 'consent receipt');
      if (notCloneable) throw notCloneable;
      for (let attempt = 0; attempt < APPEND_ATTEMPTS; attempt++) {
        const latest = await backend.consentLatest();
        // Hashed outside the transaction: awaiting WebCrypto inside it would let it commit. The
        // append then checks that no other tab appended in between, and this loop starts over
        // if one did.
        const record: ConsentRecord = {
          id,
          revision: input.revision,
          purposes: { ...input.purposes },
          jurisdiction: input.jurisdiction,
          signals: { ...input.signals },
          method: input.method,
          given_at: input.given_at,
          policy_digest: input.policy_digest,
          previous: latest ? await hashOf(latest.record) : null,
        };
        const { status, purged } = await backend.consentAppend(latest?.seq, record, purge, audit);
        if (status === 'conflict') continue;
        // A duplicate is a retry after an acknowledgement was lost: the receipt is there, once.
        const stored =
          status === 'appended' ? record : ((await backend.consentLatest())?.record ?? record);
        emitter.emit('consent:appended', stored);
        for (const [purpose, counts] of purged) {
          if (counts.events + counts.outbox > 0) {
            emitter.emit('store:purged', { purpose, ...counts });
          }
        }
        return stored;
      }
      throw storeError(ErrorCode.StoreTimeout, 'other tabs kept appending');
    });
  }

  return {
    append(receipt, options = {}) {
      assertShape(receipt, CONSENT_INPUT, 'consent.append receipt');
      // One append at a time: in this page by a queue, across tabs by a Web Lock. The
      // compare-and-swap in the backend keeps the chain linear even without them; these only
      // spare it from retrying.
      const run = () => append(receipt, options.purgeDeclined ?? true);
      const appended = queue.tail.then(() =>
        state.backend.mode === 'indexeddb'
          ? exclusively(`consentgate:${name}:consent`, run)
          : run(),
      );
      queue.tail = appended;
      return appended;
    },
    latest: () =>
      call('consent.latest', async (backend) => (await backend.consentLatest())?.record),
    history: () => call('consent.history', (backend) => backend.consentAll()),
    verifyChain: () =>
      call('consent.verifyChain', async (backend): Promise<ChainReport> => {
        const records = await backend.consentAll();
        for (let i = 0; i < records.length; i++) {
          const before = records[i - 1];
          const expected = before ? await hashOf(before) : null;
          if (records[i]?.previous !== expected) {
            return { intact: false, length: records.length, brokenAt: i };
          }
        }
        return { intact: true, length: records.length };
      }),
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
