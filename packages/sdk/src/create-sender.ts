import { ConsentGateError, ErrorCode } from '@consentgate/core';
import type { ConsentRecord, EgressDecision, Purpose } from '@consentgate/core';
import type { DueMessage, Store } from '@consentgate/store';

import {
  backoffDelay,
  classifyStatus,
  MAX_BATCH_BYTES,
  retryAfterMs,
  splitIntoBatches,
} from './delivery.js';
import type { JsonValue } from './normalise.js';
import { withSenderLock } from './sender-lock.js';

/** Where one destination receives batches. */
export interface DestinationOptions {
  /** The collector endpoint accepting `POST` batches (wire protocol v1). */
  readonly url: string;
  /**
   * The endpoint accepting erasure requests (`POST { anonymousId, receiptIds }`), called by
   * {@link Tracker.erase}; without it the destination is not asked to delete anything.
   *
   * @default undefined
   */
  readonly eraseUrl?: string;
}

/** A Segment-spec message as the sender puts it on the wire. */
export interface OutgoingMessage {
  readonly type: 'track';
  readonly event: string;
  readonly properties: Readonly<Record<string, JsonValue>>;
  readonly messageId: string;
  readonly timestamp: string;
  readonly anonymousId?: string;
  readonly context: {
    readonly library: { readonly name: string; readonly version: string };
    readonly consentgate: {
      readonly purpose: Purpose;
      readonly policyDigest: string;
      readonly receiptId: string;
    };
  };
}

/** A message delivered to a destination, as `event:sent` reports it. */
export interface SentMessage {
  readonly messageId: string;
  readonly destination: string;
  readonly purpose: Purpose;
  readonly name: string;
  readonly fields: readonly string[];
}

/** What one flush did. */
export interface FlushReport {
  /** False when another tab held the sender lock, or the browser is offline. */
  readonly ran: boolean;
  readonly sent: number;
  readonly blocked: number;
  readonly retried: number;
  readonly dropped: number;
}

/** Everything the sender needs from the tracker. */
export interface SenderOptions {
  /** The store; read when sending, since the tracker opens it after creating the sender. */
  readonly store: () => Store;
  readonly destinations: Readonly<Record<string, DestinationOptions>>;
  /** Re-reads the consent in force from the store (the truth shared by all tabs). */
  readonly readConsent: () => Promise<ConsentRecord | undefined>;
  /** Decides egress for one record under the given consent. */
  readonly egress: (
    message: DueMessage,
    consent: ConsentRecord | undefined,
  ) => { readonly decision: EgressDecision; readonly error?: ConsentGateError };
  /** The pseudonymous id to attach to this message, or `undefined` when its purpose allows none. */
  readonly anonymousId: (
    message: DueMessage,
    consent: ConsentRecord,
  ) => Promise<string | undefined>;
  readonly policyDigest: () => string;
  readonly fetch: typeof fetch;
  readonly now: () => number;
  readonly random: () => number;
  readonly maxAttempts: number;
  readonly batchLimit: number;
  readonly lockName: string;
  readonly isHidden: () => boolean;
  readonly isOnline: () => boolean;
  readonly library: { readonly name: string; readonly version: string };
  readonly onSent: (message: SentMessage) => void;
  readonly onBlocked: (message: DueMessage, reasons: readonly string[]) => void;
  readonly onError: (error: ConsentGateError) => void;
}

/** The sender created by {@link createSender}. */
export interface Sender {
  /** Sends what is due, if this tab gets the sender lock; never rejects. */
  flush(): Promise<FlushReport>;
  /** Aborts in-flight requests carrying records of `purpose`; returns how many were aborted. */
  abort(purpose: Purpose): number;
}

const NOT_RUN: FlushReport = { ran: false, sent: 0, blocked: 0, retried: 0, dropped: 0 };

/** Collector answer body (wire protocol v1). */
interface BatchAnswer {
  readonly rejected?: readonly { readonly messageId?: unknown; readonly reasons?: unknown }[];
}

/**
 * Creates the outbox sender: one tab at a time (Web Locks), consent and egress re-checked inside
 * the lock right before each request, batches of at most 64 KiB per destination and purpose,
 * `keepalive` requests while the page is hidden, and capped, jittered retries.
 */
export function createSender(options: SenderOptions): Sender {
  const inFlight = new Map<Purpose, Set<AbortController>>();
  let running: Promise<FlushReport> | undefined;
  let offlineReported = false;

  const flushOnce = async (): Promise<FlushReport> => {
    if (!options.isOnline()) {
      if (!offlineReported) {
        offlineReported = true;
        options.onError(new ConsentGateError(ErrorCode.TransportOffline, 'offline: sending later'));
      }
      return NOT_RUN;
    }
    offlineReported = false;
    const outcome = await withSenderLock(options.lockName, () => sendDue());
    return outcome.ran ? outcome.value : NOT_RUN;
  };

  const sendDue = async (): Promise<FlushReport> => {
    const report = { ran: true, sent: 0, blocked: 0, retried: 0, dropped: 0 };
    const consent = await options.readConsent();
    const due = await options.store().outbox.due({ limit: options.batchLimit, now: options.now() });
    if (!due.ok) {
      options.onError(due.error);
      return report;
    }
    type Item = { message: DueMessage; body: OutgoingMessage; fields: readonly string[] };
    const groups = new Map<string, Item[]>();
    const refused = new Map<DueMessage, readonly string[]>();
    for (const message of due.value) {
      const destination = options.destinations[message.entry.destination];
      const answer = options.egress(message, consent);
      if (answer.error) options.onError(answer.error);
      if (!destination || !consent || !answer.decision.allow) {
        refused.set(
          message,
          !destination
            ? ['unknown-destination']
            : !consent
              ? ['consent-required']
              : answer.decision.reasons.length > 0
                ? answer.decision.reasons
                : [answer.error?.code ?? 'egress-denied'],
        );
        continue;
      }
      const fields = answer.decision.fields;
      const key = `${message.entry.destination}\u0000${message.entry.purpose}`;
      const items = groups.get(key) ?? [];
      items.push({ message, body: await toWire(message, fields, consent), fields });
      groups.set(key, items);
    }
    await drop([...refused.keys()], (message) => refused.get(message) ?? []);
    for (const [message, reasons] of refused) options.onBlocked(message, reasons);
    report.blocked += refused.size;

    for (const [key, items] of groups) {
      const [destinationId = '', purpose = ''] = key.split('\u0000');
      const url = options.destinations[destinationId]?.url ?? '';
      const envelope = {
        batch: [] as unknown[],
        sentAt: new Date(options.now()).toISOString(),
        receipt: consent,
      };
      const envelopeBytes = new TextEncoder().encode(JSON.stringify(envelope)).length + 16;
      const { batches, oversized } = splitIntoBatches(
        items.map((i) => i.body),
        MAX_BATCH_BYTES,
        envelopeBytes,
      );
      if (oversized.length > 0) {
        const byId = new Set(oversized.map((m) => m.messageId));
        const gone = items.filter((i) => byId.has(i.body.messageId)).map((i) => i.message.entry);
        await options.store().outbox.remove(gone);
        report.dropped += gone.length;
      }
      for (const batch of batches) {
        const entries = batch.map(
          (body) => items.find((i) => i.body.messageId === body.messageId) as Item,
        );
        const outcome = await post(url, purpose, { ...envelope, batch });
        await settle(outcome, entries, destinationId, report);
      }
    }
    return report;
  };

  const toWire = async (
    message: DueMessage,
    fields: readonly string[],
    consent: ConsentRecord,
  ): Promise<OutgoingMessage> => {
    const properties = Object.create(null) as Record<string, JsonValue>;
    for (const key of fields) {
      const value = message.event.fields[key];
      if (value !== undefined) properties[key] = value as JsonValue;
    }
    const anonymousId = await options.anonymousId(message, consent);
    return {
      type: 'track',
      event: message.event.name,
      properties,
      messageId: message.entry.messageId,
      timestamp: new Date(message.event.createdAt).toISOString(),
      ...(anonymousId ? { anonymousId } : {}),
      context: {
        library: options.library,
        consentgate: {
          purpose: message.entry.purpose,
          policyDigest: message.event.policyDigest,
          receiptId: consent.id,
        },
      },
    };
  };

  type Outcome =
    | {
        readonly kind: 'answered';
        readonly status: number;
        readonly retryAfter?: number;
        readonly rejected: Map<string, string[]>;
      }
    | { readonly kind: 'network' }
    | { readonly kind: 'aborted' };

  const post = async (url: string, purpose: Purpose, body: unknown): Promise<Outcome> => {
    const controller = new AbortController();
    const set = inFlight.get(purpose) ?? new Set();
    set.add(controller);
    inFlight.set(purpose, set);
    try {
      const response = await options.fetch(url, {
        method: 'POST',
        // text/plain keeps this a CORS "simple request": no preflight round trip.
        headers: { 'Content-Type': 'text/plain;charset=UTF-8' },
        body: JSON.stringify(body),
        keepalive: options.isHidden(),
        credentials: 'omit',
        signal: controller.signal,
      });
      const rejected = new Map<string, string[]>();
      if (response.ok) {
        try {
          const answer = (await response.json()) as BatchAnswer;
          for (const item of answer.rejected ?? []) {
            if (typeof item.messageId === 'string') {
              rejected.set(
                item.messageId,
                Array.isArray(item.reasons)
                  ? item.reasons.filter((r): r is string => typeof r === 'string')
                  : [],
              );
            }
          }
        } catch {
          // An unreadable 2xx body still means the batch was received.
        }
      }
      const retryAfter = retryAfterMs(response.headers.get('Retry-After'), options.now());
      return {
        kind: 'answered',
        status: response.status,
        rejected,
        ...(retryAfter === undefined ? {} : { retryAfter }),
      };
    } catch {
      return controller.signal.aborted ? { kind: 'aborted' } : { kind: 'network' };
    } finally {
      set.delete(controller);
    }
  };

  const settle = async (
    outcome: Outcome,
    items: readonly { message: DueMessage; fields: readonly string[] }[],
    destination: string,
    report: { sent: number; retried: number; dropped: number; blocked: number },
  ): Promise<void> => {
    if (outcome.kind === 'aborted') return; // Withdrawn: the store already purged these entries.
    const verdict = outcome.kind === 'network' ? 'retry' : classifyStatus(outcome.status);
    if (verdict === 'delivered' && outcome.kind === 'answered') {
      const accepted = items.filter((i) => !outcome.rejected.has(i.message.entry.messageId));
      const refused = items.filter((i) => outcome.rejected.has(i.message.entry.messageId));
      const completed = await options.store().outbox.complete(
        accepted.map((i) => i.message.entry),
        { policyDigest: options.policyDigest() },
      );
      if (!completed.ok) options.onError(completed.error);
      for (const item of accepted) {
        report.sent += 1;
        options.onSent({
          messageId: item.message.entry.messageId,
          destination,
          purpose: item.message.entry.purpose,
          name: item.message.event.name,
          fields: item.fields,
        });
      }
      await drop(
        refused.map((i) => i.message),
        (message) =>
          (outcome.rejected.get(message.entry.messageId) ?? []).map((r) => `collector:${r}`),
      );
      report.blocked += refused.length;
      return;
    }
    if (verdict === 'drop' && outcome.kind === 'answered') {
      options.onError(
        new ConsentGateError(
          ErrorCode.TransportHttpError,
          `${destination} refused a batch with HTTP ${outcome.status}`,
        ),
      );
      await drop(
        items.map((i) => i.message),
        () => [`http-${outcome.status}`],
      );
      report.dropped += items.length;
      return;
    }
    // Retry: network failure, 408, 429 or 5xx.
    if (outcome.kind === 'answered') {
      options.onError(
        new ConsentGateError(
          ErrorCode.TransportHttpError,
          `${destination} answered HTTP ${outcome.status}; retrying`,
        ),
      );
    }
    const exhausted: DueMessage[] = [];
    for (const { message } of items) {
      const entry = message.entry;
      if (entry.attempts + 1 >= options.maxAttempts) {
        exhausted.push(message);
        continue;
      }
      const wait = Math.max(
        backoffDelay(entry.attempts, { random: options.random }),
        outcome.kind === 'answered' ? (outcome.retryAfter ?? 0) : 0,
      );
      await options.store().outbox.markAttempt(entry, options.now() + wait);
      report.retried += 1;
    }
    await drop(exhausted, () => ['gave-up']);
    report.dropped += exhausted.length;
  };

  /**
   * Removes undeliverable entries and audits each as `blocked` with its reasons: one outbox and one
   * audit transaction however many there are.
   */
  const drop = async (
    messages: readonly DueMessage[],
    reasonsOf: (message: DueMessage) => readonly string[],
  ): Promise<void> => {
    if (messages.length === 0) return;
    const store = options.store();
    const removed = await store.outbox.remove(messages.map((m) => m.entry));
    if (!removed.ok) options.onError(removed.error);
    const audited = await store.audit.append(
      messages.map((m) => ({
        kind: 'blocked' as const,
        event: m.event.name,
        eventId: m.event.id,
        purpose: m.entry.purpose,
        destination: m.entry.destination,
        reasons: reasonsOf(m),
        policyDigest: options.policyDigest(),
      })),
    );
    if (!audited.ok) options.onError(audited.error);
  };

  return {
    flush() {
      // One flush at a time per tab; callers during a flush share its result.
      running ??= flushOnce()
        .catch((error: unknown) => {
          options.onError(
            error instanceof ConsentGateError
              ? error
              : new ConsentGateError(ErrorCode.TransportHttpError, 'sending failed', {
                  cause: error,
                }),
          );
          return NOT_RUN;
        })
        .finally(() => {
          running = undefined;
        });
      return running;
    },
    abort(purpose) {
      const set = inFlight.get(purpose);
      if (!set) return 0;
      const count = set.size;
      for (const controller of set) controller.abort();
      set.clear();
      return count;
    },
  };
}
