import { ErrorCode } from '@consentgate/core';
import type { ConsentGateError } from '@consentgate/core';

import { EVENT_INPUT, assertEach } from './assert-input.js';
import type { Backend } from './backend.js';
import { cloneProblem } from './clone-check.js';
import { newId } from './ids.js';
import type { EventInput, PurposeCount, PutReport, SkipReason, StoredEvent } from './records.js';
import type { EventRow } from './schema.js';
import type { StoreContext } from './store-context.js';
import { isQuotaError, storeError, toStoreError } from './store-error.js';
import type { EventLog } from './store.js';

/** Fewest records evicted for a purpose when a write hits the quota. */
const EVICT_MIN = 16;
/** Most records evicted for a purpose when a write hits the quota (the bound of one eviction). */
const EVICT_MAX = 1_000;

/** Creates the event log of the store behind `ctx`. */
export function createEventLog(ctx: StoreContext): EventLog {
  const { settings, emitter, sealer, call, auditFor, openRows } = ctx;
  const { now } = settings;
  const evictionAudit = auditFor({ kind: 'evicted', reasons: ['quota-exceeded'] });

  async function put(backend: Backend, records: readonly EventInput[]): Promise<PutReport> {
    const at = now();
    const skipped: PutReport['skipped'][number][] = [];
    const skip = ({ id, purpose }: StoredEvent, reason: SkipReason) =>
      skipped.push({ id, purpose, reason });
    const fresh: StoredEvent[] = [];
    for (const [index, input] of records.entries()) {
      const problem = cloneProblem(input, `record ${index}`);
      if (problem) throw problem;
      const event: StoredEvent = {
        id: input.id ?? newId(),
        name: input.name,
        purpose: input.purpose,
        fields: input.fields,
        ...(input.categories && { categories: input.categories }),
        createdAt: input.createdAt ?? at,
        expiresAt: input.expiresAt,
        policyDigest: input.policyDigest,
        ...(input.messageId !== undefined && { messageId: input.messageId }),
      };
      if (event.expiresAt <= at) skip(event, 'expired');
      else fresh.push(event);
    }
    if (fresh.length === 0) return { stored: [], skipped };
    const declined = await write(backend, await seal(fresh));
    for (const event of fresh) if (declined.has(event.purpose)) skip(event, 'consent-declined');
    return { stored: fresh.filter((event) => !declined.has(event.purpose)), skipped };
  }

  /**
   * Encrypts the configured fields of `events`. Done before the transaction opens: WebCrypto is
   * asynchronous, and awaiting it inside a transaction would let the transaction commit early.
   */
  async function seal(events: StoredEvent[]): Promise<EventRow[]> {
    try {
      return sealer.active ? await Promise.all(events.map((event) => sealer.seal(event))) : events;
    } catch (cause) {
      throw sealError(cause);
    }
  }

  /**
   * Writes rows, evicting to make room when the quota is used up, and returns the purposes the
   * latest receipt declines (whose rows were not kept).
   */
  async function write(backend: Backend, rows: readonly EventRow[]): Promise<ReadonlySet<string>> {
    try {
      return await backend.eventsPut(rows);
    } catch (cause) {
      if (!isQuotaError(cause)) throw cause;
      // Make room within the purposes being written, soonest-expiring first; consent receipts
      // are never touched. Then try once more.
      const incoming = new Map<string, number>();
      for (const { purpose } of rows) incoming.set(purpose, (incoming.get(purpose) ?? 0) + 1);
      const evicted: PurposeCount[] = [];
      for (const [purpose, n] of incoming) {
        const count = await backend.evict(
          purpose,
          Math.min(Math.max(n, EVICT_MIN), EVICT_MAX),
          evictionAudit,
        );
        if (count > 0) evicted.push({ purpose, count });
      }
      // Emitted now: the evictions committed, whatever becomes of the write.
      for (const entry of evicted) emitter.emit('store:evicted', entry);
      if (evicted.length === 0) throw cause;
      return await backend.eventsPut(rows);
    }
  }

  return {
    put(records) {
      assertEach(records, EVENT_INPUT, 'events.put');
      return call('events.put', (backend) => put(backend, records));
    },
    list: ({ purpose, limit } = {}) =>
      call('events.list', async (backend) => {
        const rows = await backend.eventsList({
          now: now(),
          ...(purpose !== undefined && { purpose }),
          ...(limit !== undefined && { limit }),
        });
        return openRows('events.list', rows);
      }),
    count: ({ purpose } = {}) =>
      call('events.count', (backend) =>
        backend.eventsCount({ now: now(), ...(purpose !== undefined && { purpose }) }),
      ),
  };
}

function sealError(cause: unknown): ConsentGateError {
  // JSON.stringify throws a TypeError for values it cannot encode (a BigInt, a cycle).
  return cause instanceof TypeError
    ? storeError(ErrorCode.StoreNotCloneable, 'an encrypted field is not JSON', cause)
    : toStoreError(cause);
}
