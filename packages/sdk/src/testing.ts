// Shared by this package's Node tests; never exported from index.ts or built. A store small
// enough to read in one sitting, which records every call, so a test can count transactions.
import { ok } from '@consentgate/core';
import type { ConsentRecord, Result } from '@consentgate/core';
import type {
  AuditInput,
  DueMessage,
  EventInput,
  OutboxEntry,
  OutboxInput,
  OutboxRef,
  Store,
  StoredEvent,
} from '@consentgate/store';

/** 2026-01-01T00:00:00Z: the instant every test clock starts at. */
export const T0 = Date.UTC(2026, 0, 1);

/** A salt long enough for `createTracker`. */
export const SALT = 'a-test-salt-of-some-length';

/** The notice revision the test receipts answer. */
export const REVISION = 'rev-1';

/** An in-memory store and what was done to it. */
export interface FakeStore {
  /** The store, with only what the sender and `processBatch` use. */
  readonly store: Store;
  /** Every call, as `"<area>.<method>"`, in order. */
  readonly calls: string[];
  readonly receipts: ConsentRecord[];
  readonly events: StoredEvent[];
  readonly outbox: OutboxEntry[];
  readonly audits: (AuditInput & { readonly kind: string })[];
  /** Stores `event` and queues it for `destination`; returns the due message. */
  seed(event: Partial<StoredEvent>, entry?: Partial<OutboxEntry>): DueMessage;
}

/** Returns a receipt for {@link REVISION} granting `purposes`. */
export function receipt(purposes: Record<string, boolean>, id = 'receipt-1'): ConsentRecord {
  return {
    id,
    revision: REVISION,
    purposes,
    jurisdiction: 'EU',
    signals: { gpc: false },
    method: 'banner',
    given_at: T0,
    policy_digest: 'd'.repeat(64),
    previous: null,
  };
}

/** Creates a fake store whose clock is `now`. */
export function createFakeStore(now: () => number = () => T0): FakeStore {
  const calls: string[] = [];
  const receipts: ConsentRecord[] = [];
  const events: StoredEvent[] = [];
  const outbox: OutboxEntry[] = [];
  const audits: (AuditInput & { readonly kind: string })[] = [];
  let ids = 0;
  const id = (prefix: string) => `${prefix}-${(ids += 1)}`;
  const call = <T>(name: string, value: T): Promise<Result<T>> => {
    calls.push(name);
    return Promise.resolve(ok(value));
  };
  const removeEntries = (refs: readonly OutboxRef[]) => {
    let removed = 0;
    for (const ref of refs) {
      const index = outbox.findIndex((e) => e.id === ref.id);
      if (index >= 0) {
        outbox.splice(index, 1);
        removed += 1;
      }
    }
    return removed;
  };
  const entryFor = (input: OutboxInput): OutboxEntry => ({
    id: id('entry'),
    eventId: input.event.id,
    destination: input.destination,
    purpose: input.event.purpose,
    messageId: input.messageId ?? id('message'),
    attempts: 0,
    nextAttemptAt: input.nextAttemptAt ?? now(),
    createdAt: now(),
    expiresAt: input.event.expiresAt,
    attachAnonymousId: input.attachAnonymousId ?? false,
  });
  const storedFor = (input: EventInput): StoredEvent => ({
    id: input.id ?? id('event'),
    name: input.name,
    purpose: input.purpose,
    fields: input.fields,
    createdAt: input.createdAt ?? now(),
    expiresAt: input.expiresAt,
    policyDigest: input.policyDigest,
    ...(input.messageId === undefined ? {} : { messageId: input.messageId }),
  });

  const store = {
    mode: 'memory',
    fallback: undefined,
    on: () => () => {},
    consent: {
      latest: () => call('consent.latest', receipts.at(-1)),
      history: () => call('consent.history', [...receipts]),
    },
    events: {
      put: (inputs: readonly EventInput[]) => {
        const stored = inputs.map(storedFor);
        events.push(...stored);
        return call('events.put', { stored, skipped: [] });
      },
    },
    outbox: {
      enqueue: (inputs: readonly OutboxInput[]) => {
        const added = inputs.map(entryFor);
        outbox.push(...added);
        return call('outbox.enqueue', added);
      },
      due: (query: { limit?: number; now?: number } = {}) => {
        const at = query.now ?? now();
        const due = outbox
          .filter((e) => e.nextAttemptAt <= at)
          .slice(0, query.limit ?? 50)
          .flatMap((entry) => {
            const event = events.find((e) => e.id === entry.eventId);
            return event ? [{ entry, event }] : [];
          });
        return call('outbox.due', due);
      },
      markAttempt: (ref: OutboxRef, nextAttemptAt: number) => {
        const index = outbox.findIndex((e) => e.id === ref.id);
        const current = outbox[index];
        const next = current && { ...current, attempts: current.attempts + 1, nextAttemptAt };
        if (next) outbox[index] = next;
        return call('outbox.markAttempt', next);
      },
      complete: (entries: readonly OutboxEntry[], options: { policyDigest?: string } = {}) => {
        for (const entry of entries) {
          audits.push({
            kind: 'sent',
            eventId: entry.eventId,
            purpose: entry.purpose,
            destination: entry.destination,
            ...options,
          });
        }
        return call('outbox.complete', removeEntries(entries));
      },
      remove: (entries: readonly OutboxRef[]) => call('outbox.remove', removeEntries(entries)),
    },
    audit: {
      append: (inputs: readonly AuditInput[]) => {
        audits.push(...inputs);
        return call('audit.append', []);
      },
    },
  } as unknown as Store;

  return {
    store,
    calls,
    receipts,
    events,
    outbox,
    audits,
    seed(event, entry = {}) {
      const stored: StoredEvent = {
        id: id('event'),
        name: 'Checkout Started',
        purpose: 'analytics',
        fields: { value: 4200, currency: 'JPY', item_count: 2, postal_code: '100' },
        createdAt: now(),
        expiresAt: now() + 30 * 86_400_000,
        policyDigest: 'd'.repeat(64),
        ...event,
      };
      events.push(stored);
      const queued: OutboxEntry = {
        ...entryFor({ event: stored, destination: 'collector', attachAnonymousId: true }),
        ...entry,
      };
      outbox.push(queued);
      return { entry: queued, event: stored };
    },
  };
}
