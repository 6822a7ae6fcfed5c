import { ConsentGateError, ErrorCode, MAX_BATCH_BYTES } from '@consentgate/core';
import type {
  ConsentRecord,
  Purpose,
  WireAnswer,
  WireBatch,
  WireEraseRequest,
  WireJson,
  WireMessage,
} from '@consentgate/core';
import type { DueMessage } from '@consentgate/store';

import { asError } from './as-error.js';
import { egressInput } from './decision-input.js';
import { retryAfterMs, splitIntoBatches } from './delivery.js';
import { postText } from './post-text.js';
import { readVisitor } from './read-visitor.js';
import type { FlushReport, Sender, SenderOptions } from './sender.js';
import { withSenderLock } from './sender-lock.js';
import { dropMessages, settleBatch } from './settle-batch.js';
import type { Item, Outcome, Report, SettleContext } from './settle-batch.js';

/** What a flush that could not send reports (offline, another tab sending, not started). */
export const NOT_RUN: FlushReport = { ran: false, sent: 0, blocked: 0, retried: 0, dropped: 0 };

/** What the egress decision made of one due message. */
type Verdict =
  | {
      readonly allow: true;
      readonly fields: readonly string[];
      /** The receipt the message may be sent under. */
      readonly receipt: ConsentRecord;
    }
  | { readonly allow: false; readonly reasons: readonly string[] };

/**
 * Creates the outbox sender for one policy and store: one tab at a time (Web Locks), consent and
 * egress re-checked inside the lock right before each request, batches of at most 64 KiB per
 * destination and purpose, `keepalive` requests while the page is hidden, and capped, jittered
 * retries.
 */
export function createSender(options: SenderOptions): Sender {
  const { store, sink, policy } = options;
  const state = {
    /** Each request in flight, with the purpose whose records it carries. */
    inFlight: new Map<AbortController, Purpose>(),
    running: undefined as Promise<FlushReport> | undefined,
    offlineReported: false,
  };
  const context: SettleContext = {
    ...options,
    cited: policy.digest === null ? {} : { policyDigest: policy.digest },
  };

  const flushOnce = async (): Promise<FlushReport> => {
    if (!options.isOnline()) {
      if (!state.offlineReported) {
        state.offlineReported = true;
        sink.error(new ConsentGateError(ErrorCode.TransportOffline, 'offline'));
      }
      return NOT_RUN;
    }
    state.offlineReported = false;
    const outcome = await withSenderLock(options.lockName, sendDue);
    return outcome.ran ? outcome.value : NOT_RUN;
  };

  const sendDue = async (): Promise<FlushReport> => {
    const report: Report = { ...NOT_RUN, ran: true };
    // Re-read inside the lock: another tab may have withdrawn since this one last looked.
    const consent = await options.consent.reload();
    const due = await store.outbox.due({ limit: options.batchLimit, now: options.now() });
    if (!due.ok) {
      sink.error(due.error);
      return report;
    }
    const groups = new Map<string, Item[]>();
    const refused = new Map<DueMessage, readonly string[]>();
    // The visitor's id, read once per flush and only when a message may carry it.
    let visitor: Promise<WireEraseRequest> | undefined;
    for (const message of due.value) {
      const { entry } = message;
      const verdict = decideEgress(message, consent, options);
      if (!verdict.allow) {
        refused.set(message, verdict.reasons);
        continue;
      }
      // Whether the purpose may carry an identifier was decided once, by the collect decision
      // that stored the record; egress has just allowed the message itself.
      const id =
        entry.attachAnonymousId === true
          ? (await (visitor ??= readVisitor(store, options.salt))).anonymousId
          : undefined;
      const key = `${entry.destination}\u0000${entry.purpose}`;
      const body = toWireMessage(message, verdict, id, options.library);
      groups.set(key, [...(groups.get(key) ?? []), { message, body, fields: verdict.fields }]);
    }
    await dropMessages([...refused.keys()], (message) => refused.get(message) ?? [], context);
    for (const [message, reasons] of refused) sink.blocked(message, reasons);
    report.blocked += refused.size;
    // Without a receipt every message was refused above.
    if (!consent) return report;

    for (const [key, items] of groups) {
      const [destination = '', purpose = ''] = key.split('\u0000');
      const url = options.destinations[destination]?.url ?? '';
      const envelope: WireBatch = {
        batch: [],
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
        const gone = items.filter((i) => oversized.includes(i.body)).map((i) => i.message.entry);
        await store.outbox.remove(gone);
        report.dropped += gone.length;
      }
      for (const batch of batches) {
        // Tracked with its purpose, so that a withdrawal can abort it.
        const controller = new AbortController();
        state.inFlight.set(controller, purpose);
        const outcome = await postBatch(url, { ...envelope, batch }, controller.signal, options);
        state.inFlight.delete(controller);
        const entries = items.filter((i) => batch.includes(i.body));
        await settleBatch(outcome, entries, destination, report, context);
      }
    }
    return report;
  };

  return {
    flush() {
      // One flush at a time per tab; callers during a flush share its result.
      state.running ??= flushOnce()
        .catch((error: unknown) => {
          sink.error(asError(error, ErrorCode.TransportHttpError, 'sending failed'));
          return NOT_RUN;
        })
        .finally(() => {
          state.running = undefined;
        });
      return state.running;
    },
    abort(purpose) {
      for (const [controller, carried] of state.inFlight) {
        if (purpose === undefined || carried === purpose) controller.abort();
      }
    },
  };
}

/** Decides egress for one due message under the receipt just re-read from the store. */
function decideEgress(
  { entry, event }: DueMessage,
  consent: ConsentRecord | undefined,
  options: SenderOptions,
): Verdict {
  const { policy } = options;
  const deny = (reason: string): Verdict => ({ allow: false, reasons: [reason] });
  if (!options.destinations[entry.destination]) return deny('unknown-destination');
  if (!consent) return deny('consent-required');
  // Nothing goes on the wire that no verified policy allowed.
  if (policy.digest === null) return deny(policy.error?.code ?? 'policy-unavailable');
  const answer = policy.egress(
    egressInput(options, consent, options.consent.revision, event, entry.destination),
  );
  if (answer.error) options.sink.error(answer.error);
  const { decision } = answer;
  if (decision.allow) return { allow: true, fields: decision.fields, receipt: consent };
  return decision.reasons.length > 0
    ? { allow: false, reasons: decision.reasons }
    : deny(answer.error?.code ?? 'egress-denied');
}

/** Builds the wire message for a due record: only the allowed fields, the receipt cited, the id if any. */
function toWireMessage(
  { entry, event }: DueMessage,
  { fields, receipt }: { readonly fields: readonly string[]; readonly receipt: ConsentRecord },
  visitorId: string | undefined,
  library: SenderOptions['library'],
): WireMessage {
  const properties = Object.create(null) as Record<string, WireJson>;
  for (const key of fields) {
    const value = event.fields[key];
    if (value !== undefined) properties[key] = value as WireJson;
  }
  return {
    type: 'track',
    event: event.name,
    properties,
    messageId: entry.messageId,
    timestamp: new Date(event.createdAt).toISOString(),
    ...(visitorId ? { anonymousId: visitorId } : {}),
    context: {
      library,
      consentgate: {
        purpose: entry.purpose,
        policyDigest: event.policyDigest,
        receiptId: receipt.id,
      },
    },
  };
}

/**
 * Posts one batch body and returns the collector's answer, or `undefined` when the request was
 * aborted; never rejects.
 */
async function postBatch(
  url: string,
  body: WireBatch,
  signal: AbortSignal,
  options: Pick<SenderOptions, 'fetch' | 'isHidden' | 'now'>,
): Promise<Outcome | undefined> {
  try {
    const response = await postText(options.fetch, url, body, {
      keepalive: options.isHidden(),
      signal,
    });
    const retryAfter = retryAfterMs(response.headers.get('Retry-After'), options.now());
    return {
      status: response.status,
      rejected: response.ok ? await readRejected(response) : new Map(),
      ...(retryAfter === undefined ? {} : { retryAfter }),
    };
  } catch {
    return signal.aborted ? undefined : { status: 0, rejected: new Map() };
  }
}

/**
 * Reads the `rejected` list of a collector's 2xx answer. The body comes from the network, so every
 * field is checked; an unreadable body still means the batch was received.
 */
async function readRejected(response: Response): Promise<Map<string, string[]>> {
  const rejected = new Map<string, string[]>();
  try {
    const list: unknown = ((await response.json()) as WireAnswer | null)?.rejected;
    for (const item of Array.isArray(list) ? (list as unknown[]) : []) {
      const { messageId, reasons } = (item ?? {}) as Partial<Record<string, unknown>>;
      if (typeof messageId !== 'string') continue;
      rejected.set(
        messageId,
        Array.isArray(reasons) ? reasons.filter((r): r is string => typeof r === 'string') : [],
      );
    }
  } catch {
    // An unreadable 2xx body still means the batch was received.
  }
  return rejected;
}
