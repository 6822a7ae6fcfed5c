import {
  OUTBOX_INPUT,
  REF,
  assertEach,
  assertShape,
  invalidOption,
  isTime,
} from './assert-input.js';
import { newId } from './ids.js';
import type { OutboxEntry, StoredEvent } from './records.js';
import type { StoreContext } from './store-context.js';
import type { Outbox } from './store.js';

/** Default for {@link DueQuery.limit}. */
const DEFAULT_DUE_LIMIT = 50;

/** Creates the outbox of the store behind `ctx`. */
export function createOutbox(ctx: StoreContext): Outbox {
  const { settings, call, auditEntry, openRows } = ctx;
  const { now, auditRetentionMs } = settings;
  return {
    enqueue(inputs) {
      assertEach(inputs, OUTBOX_INPUT, 'outbox.enqueue');
      const at = now();
      const entries = inputs.map((input): OutboxEntry => ({
        id: newId(),
        eventId: input.event.id,
        destination: input.destination,
        purpose: input.event.purpose,
        messageId: input.messageId ?? newId(),
        attempts: 0,
        nextAttemptAt: input.nextAttemptAt ?? at,
        createdAt: at,
        expiresAt: input.event.expiresAt,
        // Fail closed: a caller that did not say gets no identifier on the wire.
        attachAnonymousId: input.attachAnonymousId ?? false,
      }));
      return call('outbox.enqueue', (backend) => backend.outboxPut(entries, at));
    },
    due: ({ now: at = now(), limit = DEFAULT_DUE_LIMIT, destination } = {}) =>
      call('outbox.due', async (backend) => {
        const rows = await backend.outboxDue({
          now: at,
          limit,
          ...(destination !== undefined && { destination }),
        });
        const opened = await openRows(
          'outbox.due',
          rows.map(({ event }) => event),
        );
        return rows.map(({ entry }, i) => ({ entry, event: opened[i] as StoredEvent }));
      }),
    markAttempt(entry, nextAttemptAt) {
      assertShape(entry, REF, 'outbox.markAttempt entry');
      if (!isTime(nextAttemptAt)) invalidOption('outbox.markAttempt nextAttemptAt');
      return call('outbox.markAttempt', (backend) => backend.outboxAttempt(entry, nextAttemptAt));
    },
    complete(entries, { policyDigest } = {}) {
      assertEach(entries, REF, 'outbox.complete');
      const at = now();
      const audit = entries.map((entry) =>
        auditEntry(
          {
            kind: 'sent',
            eventId: entry.eventId,
            purpose: entry.purpose,
            destination: entry.destination,
            ...(policyDigest !== undefined && { policyDigest }),
            // Kept as long as the record, so an export can say where the record went.
            expiresAt: Math.max(at + auditRetentionMs, entry.expiresAt),
          },
          at,
        ),
      );
      return call('outbox.complete', (backend) => backend.outboxRemove(entries, audit));
    },
    remove(entries) {
      assertEach(entries, REF, 'outbox.remove');
      return call('outbox.remove', (backend) => backend.outboxRemove(entries, []));
    },
  };
}
