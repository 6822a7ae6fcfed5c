import type { ConsentGateError, ConsentRecord, Purpose } from '@consentgate/core';
import type { Policy } from '@consentgate/policy';
import type { AuditInput, EventInput, OutboxInput, Store, StoredEvent } from '@consentgate/store';

import { decisionInput, egressInput } from './decision-input.js';
import type { DecisionContext } from './decision-input.js';
import { minimise } from './minimise.js';
import type { JsonValue } from './normalise.js';
import type { BlockedEvent, TrackResult } from './tracker.js';

/** One normalised call waiting to be decided. */
export interface TrackedEvent {
  readonly name: string;
  readonly properties: Readonly<Record<string, JsonValue>>;
  readonly type: 'track' | 'identify';
  /** When it was tracked (epoch ms); the collect decision and the record's `createdAt` use it. */
  readonly at: number;
}

/** Where {@link processBatch} reports what it did; each is called after its transaction committed. */
export interface BatchSink {
  /** A minimised record was committed. */
  stored(record: StoredEvent): void;
  /** An event, or one purpose's record of it, was refused, with reasons. */
  blocked(event: BlockedEvent, reasons: readonly string[]): void;
  /** Something failed; the batch carried on with the safe behaviour. */
  error(error: ConsentGateError): void;
  /** Outbox entries were added: something may be sent. */
  queued(): void;
}

/** The consent a batch is decided under. */
export interface ConsentSnapshot {
  /** The notice revision a receipt must answer to count. */
  readonly revision: string | undefined;
  /** The latest receipt, or `undefined`; one for another revision counts as no consent. */
  receipt(): ConsentRecord | undefined;
}

/** What {@link processBatch} decides, minimises and stores with. */
export interface ProcessBatchOptions extends DecisionContext {
  readonly policy: Policy;
  readonly store: Store;
  readonly consent: ConsentSnapshot;
  /** The site's salt for `hash` field actions. */
  readonly salt: string;
  /** The destination ids records may be queued for (those the site configured). */
  readonly destinations: readonly string[];
  readonly sink: BatchSink;
  /** @default globalThis.crypto.randomUUID */
  readonly randomId?: () => string;
}

/** What the collect decision made of one event, and what became of it. */
interface Plan {
  /** The event as `event:blocked` reports it. */
  readonly event: BlockedEvent & { readonly messageId: string };
  /** Refusals to announce once audited: the event's own, or a stopped purpose's. */
  blocked: (readonly [event: BlockedEvent, reasons: readonly string[]])[];
  /** What `track` resolves with: records are counted and skips added once the write is known. */
  result: { stored: number; reasons: string[] };
}

/** One record to write, with the plan of its event and whether it may carry the visitor id. */
interface Planned {
  readonly plan: Plan;
  readonly input: EventInput & { readonly id: string };
  readonly anonymousId: boolean;
  /** Its `allowed` audit entry, written once it is stored: the fields the policy left out. */
  readonly audit: AuditInput;
}

/** Returns what `track` resolves with when nothing was stored, for `reasons`. */
export function notStored(reasons: readonly string[]): TrackResult {
  return { stored: 0, reasons };
}

/**
 * Decides, minimises and stores a batch of events with one `events.put`, one `audit.append` and
 * one `outbox.enqueue` (three transactions however many events), and returns what became of each,
 * in order. Never rejects on a refusal or a store failure: those are results and `error`s.
 */
export async function processBatch(
  items: readonly TrackedEvent[],
  options: ProcessBatchOptions,
): Promise<TrackResult[]> {
  const { policy, store, consent, sink } = options;
  const { digest } = policy;
  const randomId = options.randomId ?? (() => globalThis.crypto.randomUUID());
  // The digest the audit entries cite: none when no bundle was verified, never a fake one.
  const cited = digest === null ? {} : { policyDigest: digest };
  const audits: AuditInput[] = [];
  const records: Planned[] = [];

  /** Asks the collect decision about one event and plans its records (minimised) and audits. */
  const decide = async (item: TrackedEvent): Promise<Plan> => {
    const plan: Plan = {
      event: { name: item.name, messageId: randomId() },
      blocked: [],
      result: { stored: 0, reasons: [] },
    };
    /** Audits a refusal of the event, or of one purpose's record, and announces it once written. */
    const refuse = (reasons: readonly string[], purpose?: Purpose) => {
      const about = purpose ? { purpose } : {};
      audits.push({ kind: 'blocked', event: item.name, ...about, reasons, ...cited });
      plan.blocked.push([{ ...plan.event, ...about }, reasons]);
      if (!purpose) plan.result.reasons.push(...reasons);
    };
    if (digest === null) {
      // Nothing is stored that no verified policy allowed; the refusal is still audited.
      refuse([policy.error?.code ?? 'policy-unavailable']);
      return plan;
    }
    const answer = policy.collect(
      decisionInput(options, consent.receipt(), consent.revision, {
        now: item.at,
        event: { type: item.type, name: item.name, keys: Object.keys(item.properties) },
      }),
    );
    if (answer.error) sink.error(answer.error);
    const { decision } = answer;
    const allowed = Object.values(decision.records);
    if (!decision.allow || allowed.length === 0) {
      refuse(decision.reasons.length > 0 ? decision.reasons : [answer.error?.code ?? 'denied']);
      return plan;
    }
    for (const record of allowed) {
      const { fields } = await minimise(item.properties, record.fields, options.salt);
      const id = randomId();
      records.push({
        plan,
        anonymousId: record.anonymous_id === true,
        audit: {
          kind: 'allowed',
          event: item.name,
          eventId: id,
          purpose: record.purpose,
          reasons: Object.entries(record.dropped).map(([key, code]) => `${key}:${code}`),
          policyDigest: digest,
        },
        input: {
          id,
          name: item.name,
          purpose: record.purpose,
          fields,
          createdAt: item.at,
          expiresAt: record.expires_at,
          policyDigest: digest,
          messageId: plan.event.messageId,
        },
      });
    }
    for (const [purpose, codes] of Object.entries(decision.denied)) refuse(codes, purpose);
    plan.result.reasons.push(...decision.reasons);
    return plan;
  };

  const plans: Plan[] = [];
  for (const item of items) plans.push(await decide(item));
  const put = records.length > 0 ? await store.events.put(records.map((r) => r.input)) : undefined;
  if (put && !put.ok) {
    sink.error(put.error);
    // The write refused every planned record: their events are refused with the store's code.
    const reasons = [put.error.code];
    for (const { plan } of records) {
      plan.blocked = [[plan.event, reasons]];
      plan.result = { stored: 0, reasons };
    }
  }
  const { stored, skipped } = put?.ok ? put.value : { stored: [], skipped: [] };
  const owners = new Map(records.map((r) => [r.input.id, r]));
  for (const record of stored) {
    const owner = owners.get(record.id);
    if (!owner) continue;
    owner.plan.result.stored += 1;
    audits.push(owner.audit);
  }
  for (const skip of skipped) {
    owners.get(skip.id)?.plan.result.reasons.push(`${skip.purpose}:${skip.reason}`);
  }
  if (audits.length > 0) {
    const appended = await store.audit.append(audits);
    if (!appended.ok) sink.error(appended.error);
  }
  // Stored before blocked, as before the split: a listener sees what was kept first.
  for (const record of stored) sink.stored(record);
  for (const [event, reasons] of plans.flatMap((plan) => plan.blocked))
    sink.blocked(event, reasons);
  await queue(stored, owners, options);
  return plans.map((plan) => plan.result);
}

/**
 * Queues each stored record for every configured destination the policy lets it reach now (the
 * decision is taken again right before sending), recording whether its purpose may carry the
 * visitor id: the sender attaches one only when this collect decision said so.
 */
async function queue(
  stored: readonly StoredEvent[],
  owners: ReadonlyMap<string, Planned>,
  options: ProcessBatchOptions,
): Promise<void> {
  const { consent, sink } = options;
  const outbox: OutboxInput[] = [];
  for (const record of stored) {
    for (const destination of options.destinations) {
      const egress = options.policy.egress(
        egressInput(options, consent.receipt(), consent.revision, record, destination),
      );
      if (!egress.decision.allow) continue;
      outbox.push({
        event: record,
        destination,
        nextAttemptAt: options.now(),
        attachAnonymousId: owners.get(record.id)?.anonymousId === true,
      });
    }
  }
  if (outbox.length === 0) return;
  const queued = await options.store.outbox.enqueue(outbox);
  if (queued.ok) sink.queued();
  else sink.error(queued.error);
}
