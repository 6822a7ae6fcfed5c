import { ConsentGateError, ErrorCode } from '@consentgate/core';
import type { WireMessage } from '@consentgate/core';
import type { DueMessage } from '@consentgate/store';

import { backoffDelay, classifyStatus } from './delivery.js';
import type { FlushReport, SenderOptions } from './sender.js';

/** A flush's running totals. */
export type Report = { -readonly [K in keyof FlushReport]: FlushReport[K] };

/** One message ready for the wire, with the entry it came from and the fields egress allowed. */
export interface Item {
  readonly message: DueMessage;
  readonly body: WireMessage;
  readonly fields: readonly string[];
}

/**
 * The collector's answer to one request; `status` is 0 when the network failed. A request that a
 * withdrawal aborted has no outcome.
 */
export interface Outcome {
  readonly status: number;
  readonly retryAfter?: number;
  /** The messages a 2xx answer refused for good, with the collector's reasons. */
  readonly rejected: ReadonlyMap<string, readonly string[]>;
}

/** What settling a batch writes to and reports through. */
export interface SettleContext extends Pick<
  SenderOptions,
  'store' | 'sink' | 'now' | 'random' | 'maxAttempts'
> {
  /** The digest the audit entries cite: empty when no bundle was verified, never a fake one. */
  readonly cited: { readonly policyDigest?: string };
}

/**
 * Applies a collector's answer (or its absence) to the outbox: delivered entries are completed
 * (`sent` audits), refused ones dropped and audited, failed ones rescheduled with backoff until
 * they run out of attempts. Adds what it did to `report`.
 */
export async function settleBatch(
  outcome: Outcome | undefined,
  items: readonly Item[],
  destination: string,
  report: Report,
  context: SettleContext,
): Promise<void> {
  if (!outcome) return; // Withdrawn: the store already purged these entries.
  const { store, sink } = context;
  const { status, rejected } = outcome;
  const verdict = classifyStatus(status);
  if (verdict === 'delivered') {
    // Completes what the collector accepted; drops and audits what its answer listed as rejected.
    const accepted = items.filter((i) => !rejected.has(i.message.entry.messageId));
    const completed = await store.outbox.complete(
      accepted.map((i) => i.message.entry),
      context.cited,
    );
    if (!completed.ok) sink.error(completed.error);
    for (const { message, fields } of accepted) {
      report.sent += 1;
      sink.sent({
        messageId: message.entry.messageId,
        destination,
        purpose: message.entry.purpose,
        name: message.event.name,
        fields,
      });
    }
    const refused = items.flatMap((i) =>
      rejected.has(i.message.entry.messageId) ? i.message : [],
    );
    await dropMessages(
      refused,
      (message) => (rejected.get(message.entry.messageId) ?? []).map((r) => `collector:${r}`),
      context,
    );
    report.blocked += refused.length;
    return;
  }
  if (status) {
    sink.error(
      new ConsentGateError(ErrorCode.TransportHttpError, `${destination}: HTTP ${status}`),
    );
  }
  // A refusal for good (a 4xx other than 408 and 429) drops everything; a retry (network failure,
  // 408, 429, 5xx) drops only what ran out of attempts.
  const gone: DueMessage[] = [];
  for (const { message } of items) {
    const { entry } = message;
    if (verdict === 'drop' || entry.attempts + 1 >= context.maxAttempts) {
      gone.push(message);
      continue;
    }
    const wait = Math.max(backoffDelay(entry.attempts, context), outcome.retryAfter ?? 0);
    await store.outbox.markAttempt(entry, context.now() + wait);
    report.retried += 1;
  }
  const reasons = [verdict === 'drop' ? `http-${status}` : 'gave-up'];
  await dropMessages(gone, () => reasons, context);
  report.dropped += gone.length;
}

/**
 * Removes undeliverable entries and audits each as `blocked` with its reasons: one outbox and one
 * audit transaction however many there are.
 */
export async function dropMessages(
  messages: readonly DueMessage[],
  reasonsOf: (message: DueMessage) => readonly string[],
  context: Pick<SettleContext, 'store' | 'sink' | 'cited'>,
): Promise<void> {
  if (messages.length === 0) return;
  const { store, sink } = context;
  const removed = await store.outbox.remove(messages.map((m) => m.entry));
  if (!removed.ok) sink.error(removed.error);
  const audited = await store.audit.append(
    messages.map((m) => ({
      kind: 'blocked' as const,
      event: m.event.name,
      eventId: m.event.id,
      purpose: m.entry.purpose,
      destination: m.entry.destination,
      reasons: reasonsOf(m),
      ...context.cited,
    })),
  );
  if (!audited.ok) sink.error(audited.error);
}
