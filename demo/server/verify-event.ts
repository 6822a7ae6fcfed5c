import { policyInput } from '@consentgate/core';
import type { ConsentRecord } from '@consentgate/core';
import type { Policy } from '@consentgate/policy';

import { isRecord, parseEvent } from './parse-batch.js';
import type { ValidEvent } from './parse-batch.js';

/** The policy as the collector holds it: ready, or unavailable with the reason why. */
export type CollectorPolicy =
  | { readonly ready: true; readonly policy: Policy; readonly digest: string }
  | { readonly ready: false; readonly error: string };

/** Why an event was refused: stable codes, some with a detail after a colon. */
export const RejectReason = {
  /** Not a well-formed Segment event of this protocol. */
  InvalidEvent: 'invalid-event',
  /** The event cites another receipt than the batch carries. */
  ReceiptMismatch: 'receipt-mismatch',
  /** The event was allowed under another policy bundle than the collector's. */
  PolicyDigestMismatch: 'policy-digest-mismatch',
  /** A receipt with this id was stored before with other contents. */
  ReceiptConflict: 'receipt-conflict',
  /** The collector's policy could not be loaded or evaluated: fail closed. */
  PolicyUnavailable: 'policy-unavailable',
  /** Prefix: the egress policy denied the event, followed by its reason code. */
  EgressDenied: 'egress-denied',
  /** Prefix: a property the policy does not let through to this destination, then its key. */
  FieldNotAllowed: 'field-not-allowed',
} as const;

/** The outcome of {@link verifyEvent}. */
export type Verdict =
  | { readonly accepted: true; readonly event: ValidEvent }
  | { readonly accepted: false; readonly rejection: Rejection };

/** What is kept about a refused event: metadata only, never property values or visitor ids. */
export interface Rejection {
  /** The event's `messageId`, when it had a usable one. */
  readonly messageId: string | null;
  /** The policy event name, when known. */
  readonly name: string | null;
  /** The claimed purpose, when known. */
  readonly purpose: string | null;
  /** Why it was refused; never empty. */
  readonly reasons: readonly string[];
}

/** What {@link verifyEvent} checks an event against. */
export interface VerifyContext {
  readonly receipt: ConsentRecord;
  readonly policy: CollectorPolicy;
  /** The destination id the collector stands for in the catalog. */
  readonly destination: string;
  /** Epoch ms, for the policy input. */
  readonly now: number;
}

/** The longest property key quoted in a `field-not-allowed:<key>` reason. */
const MAX_QUOTED_KEY = 64;
/** The longest name or purpose kept in a rejection. */
const MAX_LABEL = 200;

/**
 * Checks one event of a batch against the batch's receipt and the collector's copy of the
 * policy, and returns whether to accept it or why not. Never throws.
 *
 * In order: the event's shape (`invalid-event`); the policy being loaded (`policy-unavailable`);
 * the receipt id and policy digest it cites (`receipt-mismatch`, `policy-digest-mismatch`); then
 * the egress entrypoint with the receipt's consent, whose every deny reason becomes
 * `egress-denied:<reason>` and every property outside `decision.fields` `field-not-allowed:<key>`.
 */
export function verifyEvent(raw: unknown, context: VerifyContext): Verdict {
  const event = parseEvent(raw);
  if (event === null) return reject(rawLabels(raw), [RejectReason.InvalidEvent]);
  const labels = {
    messageId: event.messageId,
    name: event.name,
    purpose: event.consentgate.purpose,
  };
  const { policy, receipt } = context;
  if (!policy.ready) return reject(labels, [RejectReason.PolicyUnavailable]);

  const reasons: string[] = [];
  if (event.consentgate.receiptId !== receipt.id) reasons.push(RejectReason.ReceiptMismatch);
  if (event.consentgate.policyDigest !== policy.digest) {
    reasons.push(RejectReason.PolicyDigestMismatch);
  }
  if (reasons.length > 0) return reject(labels, reasons);

  const keys = Object.keys(event.properties);
  // The same input the SDK's egress check builds, from the receipt that travelled with the batch.
  // No `revision`: the collector does not know the current notice, so it judges the receipt as it
  // is (the policy checks what it cites).
  const input = policyInput({
    now: context.now,
    jurisdiction: receipt.jurisdiction,
    signals: receipt.signals,
    receipt,
    destination: context.destination,
    event: { type: event.type, name: event.name, purpose: event.consentgate.purpose, keys },
  });
  let answer: ReturnType<Policy['egress']>;
  try {
    answer = policy.policy.egress(input);
  } catch {
    // Policy calls are documented never to throw; if one does, that is still no decision.
    return reject(labels, [RejectReason.PolicyUnavailable]);
  }
  if (answer.error) return reject(labels, [RejectReason.PolicyUnavailable]);
  const { decision } = answer;
  if (!decision.allow) {
    reasons.push(
      ...(decision.reasons.length > 0
        ? decision.reasons.map((reason) => `${RejectReason.EgressDenied}:${reason}`)
        : [RejectReason.EgressDenied]),
    );
  }
  const allowed = new Set(decision.fields);
  for (const key of keys) {
    if (!allowed.has(key)) reasons.push(`${RejectReason.FieldNotAllowed}:${quote(key)}`);
  }
  return reasons.length > 0 ? reject(labels, reasons) : { accepted: true, event };
}

function reject(labels: Omit<Rejection, 'reasons'>, reasons: readonly string[]): Verdict {
  return { accepted: false, rejection: { ...labels, reasons: [...new Set(reasons)] } };
}

/** Labels of an event that failed validation, where they are usable strings. */
function rawLabels(raw: unknown): Omit<Rejection, 'reasons'> {
  if (!isRecord(raw)) return { messageId: null, name: null, purpose: null };
  const context = isRecord(raw.context) ? raw.context : {};
  const consentgate = isRecord(context.consentgate) ? context.consentgate : {};
  return {
    messageId: label(raw.messageId),
    name:
      raw.type === 'page' ? 'Page Viewed' : raw.type === 'identify' ? 'Identify' : label(raw.event),
    purpose: label(consentgate.purpose),
  };
}

/** A string safe to keep as a label (cut to length, storable), or null. */
function label(value: unknown): string | null {
  if (typeof value !== 'string' || value.length === 0) return null;
  return clean(value.slice(0, MAX_LABEL));
}

function quote(key: string): string {
  return clean(key.length > MAX_QUOTED_KEY ? `${key.slice(0, MAX_QUOTED_KEY)}…` : key);
}

/** Replaces what PostgreSQL cannot store (NUL, unpaired surrogates) and control characters. */
function clean(text: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what this replaces.
  return text.replace(/[\u0000-\u001f\u007f]|[\ud800-\udfff]/g, (char, offset: number) => {
    const code = char.charCodeAt(0);
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(offset + 1);
      if (next >= 0xdc00 && next <= 0xdfff) return char;
    } else if (code >= 0xdc00 && code <= 0xdfff) {
      const previous = text.charCodeAt(offset - 1);
      if (previous >= 0xd800 && previous <= 0xdbff) return char;
    }
    return '\ufffd';
  });
}
