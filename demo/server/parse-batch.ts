import { err, ok } from '@consentgate/core';
import type {
  ConsentMethod,
  ConsentRecord,
  Result,
  WireBatch,
  WireEraseRequest,
  WireMessage,
} from '@consentgate/core';

/** The deepest nesting a request body may have (envelope → batch → event → properties → …). */
export const MAX_DEPTH = 32;

/** The longest id (messageId, anonymousId, userId, receipt id) the collector accepts. */
const MAX_ID = 200;
/** The longest event name, purpose, jurisdiction or revision. */
const MAX_NAME = 200;
/** The most properties (or traits) one event may carry. */
const MAX_KEYS = 100;
/** The most purposes one receipt may answer. */
const MAX_PURPOSES = 64;
/** The most receipt ids one erasure request may name. */
const MAX_ERASE_RECEIPTS = 100;

/** The latest time accepted (9999-12-31T23:59:59.999Z); earlier than 1970 is refused too. */
const MAX_TIME = 253_402_300_799_999;

const HEX64 = /^[0-9a-f]{64}$/;
/** An ISO 8601 date-time as `Date.prototype.toISOString()` and Segment libraries write it. */
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;
/**
 * What PostgreSQL cannot store in `text` or `jsonb`: NUL, and UTF-16 surrogates that are not in a
 * pair (valid JSON escapes such as `"\ud800"`, but not Unicode). Refused up front, so that a
 * hostile string is a rejected event and not a database error the client would retry.
 */
// eslint-disable-next-line no-control-regex -- NUL is exactly what this must find.
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
/** Control characters, refused in ids and names. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what this must find.
const CONTROL = /[\u0000-\u001f\u007f]/;

const METHODS: ReadonlySet<string> = new Set<ConsentMethod>([
  'banner',
  'privacy-centre',
  'api',
  'signal',
]);

/** Segment call types the collector understands. */
export type EventType = 'track' | 'page' | 'identify';

/**
 * The `context.consentgate` block every event carries (wire protocol v1, from core): the purpose
 * it was collected for, the digest of the policy that allowed it in the browser, and the receipt
 * it was collected under.
 */
export type ConsentGateContext = WireMessage['context']['consentgate'];

/** A Segment event as the collector keeps it after validation. */
export interface ValidEvent {
  readonly type: EventType;
  /** The event name the policy decides on: `event` for track, `Page Viewed`, or `Identify`. */
  readonly name: string;
  readonly messageId: string;
  /** The event's `timestamp`, normalised to `toISOString()` form. */
  readonly timestamp: string;
  readonly anonymousId: string | null;
  readonly userId: string | null;
  readonly consentgate: ConsentGateContext;
  /** `properties` (track, page) or `traits` (identify): the data the policy decides on. */
  readonly properties: Readonly<Record<string, unknown>>;
}

/**
 * A {@link WireBatch} after envelope validation (`sentAt` normalised to `toISOString()` form, the
 * receipt a clean copy); its events are validated one by one.
 */
export interface BatchEnvelope extends Omit<WireBatch, 'batch'> {
  /** The events, still unvalidated. */
  readonly batch: readonly unknown[];
}

/**
 * Decodes a request body as strict UTF-8 JSON no deeper than {@link MAX_DEPTH} and returns the
 * value, or why it is not acceptable. Never throws.
 */
export function parseJsonBody(body: Uint8Array): Result<unknown, string> {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(body);
  } catch {
    return err('the body is not valid UTF-8');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return err('the body is not JSON');
  }
  return depthOf(value) > MAX_DEPTH
    ? err(`the body is nested deeper than ${MAX_DEPTH}`)
    : ok(value);
}

/** Returns the nesting depth of a parsed JSON value, without recursion (a hostile body is deep). */
function depthOf(root: unknown): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop() as [unknown, number];
    if (typeof value !== 'object' || value === null) continue;
    if (depth > deepest) deepest = depth;
    if (deepest > MAX_DEPTH) return deepest;
    for (const child of Object.values(value)) stack.push([child, depth + 1]);
  }
  return deepest;
}

/**
 * Validates a `POST /v1/batch` envelope and returns it, or a message for the 400 answer. The
 * events themselves are left to {@link parseEvent}: one malformed event rejects that event only.
 */
export function parseBatch(value: unknown): Result<BatchEnvelope, string> {
  if (!isRecord(value)) return err('the body must be a JSON object');
  if (!Array.isArray(value.batch)) return err('"batch" must be an array');
  const sentAt = isoTime(value.sentAt);
  if (sentAt === null) return err('"sentAt" must be an ISO 8601 date-time');
  if (value.receipt === undefined) return err('"receipt" is missing');
  const receipt = parseReceipt(value.receipt);
  if (receipt === null) return err('"receipt" is not a valid consent receipt');
  return ok({ batch: value.batch, sentAt, receipt });
}

/** Validates a consent receipt and returns a clean copy holding only its known fields, or null. */
export function parseReceipt(value: unknown): ConsentRecord | null {
  if (!isRecord(value)) return null;
  const { id, revision, purposes, jurisdiction, signals, method, given_at, policy_digest } = value;
  const previous = value.previous ?? null;
  if (
    !isId(id) ||
    !isName(revision, true) ||
    !isName(jurisdiction) ||
    !isRecord(purposes) ||
    !isRecord(signals) ||
    (signals.gpc !== undefined && typeof signals.gpc !== 'boolean') ||
    typeof method !== 'string' ||
    !METHODS.has(method) ||
    !Number.isSafeInteger(given_at) ||
    (given_at as number) < 0 ||
    typeof policy_digest !== 'string' ||
    !HEX64.test(policy_digest) ||
    (previous !== null && (typeof previous !== 'string' || !HEX64.test(previous)))
  ) {
    return null;
  }
  const choices = Object.entries(purposes);
  if (
    choices.length > MAX_PURPOSES ||
    !choices.every(([purpose, choice]) => isName(purpose) && typeof choice === 'boolean')
  ) {
    return null;
  }
  return {
    id,
    revision,
    // fromEntries defines own properties, so a "__proto__" purpose stays a plain (unknown) purpose.
    purposes: Object.fromEntries(choices) as Record<string, boolean>,
    jurisdiction,
    signals: signals.gpc === undefined ? {} : { gpc: signals.gpc },
    method: method as ConsentMethod,
    given_at: given_at as number,
    policy_digest,
    previous,
  };
}

/**
 * Validates one Segment event and returns it in the shape the collector keeps, or null when it
 * is not a well-formed event (reason `invalid-event`).
 *
 * Only `properties` (track, page) or `traits` (identify) carry data, and the policy decides on
 * every key of it; sending the other one is refused rather than ignored, so nothing the policy
 * did not see can be smuggled in. Other `context` keys and a page's `name` are not stored.
 */
export function parseEvent(value: unknown): ValidEvent | null {
  if (!isRecord(value)) return null;
  const { type, messageId, anonymousId, userId, context } = value;
  const timestamp = isoTime(value.timestamp);
  if (!isId(messageId) || timestamp === null) return null;
  if (anonymousId !== undefined && anonymousId !== null && !isId(anonymousId)) return null;
  if (userId !== undefined && userId !== null && !isId(userId)) return null;
  // Segment requires one of the two, but a purpose whose policy allows no identifier sends
  // neither: the event is then deliberately unlinkable, and that is accepted.
  if (!isRecord(context) || !isRecord(context.consentgate)) return null;
  const { purpose, policyDigest, receiptId } = context.consentgate;
  if (!isName(purpose) || typeof policyDigest !== 'string' || policyDigest.length > 128)
    return null;
  if (!isId(receiptId) || !isClean(policyDigest)) return null;

  let name: string;
  let data: unknown;
  if (type === 'track') {
    if (!isName(value.event) || value.traits !== undefined) return null;
    name = value.event;
    data = value.properties;
  } else if (type === 'page') {
    if (value.name !== undefined && value.name !== null && typeof value.name !== 'string') {
      return null;
    }
    if (value.traits !== undefined) return null;
    name = 'Page Viewed';
    data = value.properties;
  } else if (type === 'identify') {
    if (value.properties !== undefined) return null;
    name = 'Identify';
    data = value.traits;
  } else {
    return null;
  }
  if (data !== undefined && !isRecord(data)) return null;
  const properties = data ?? {};
  if (Object.keys(properties).length > MAX_KEYS || !isStorable(properties)) return null;
  return {
    type,
    name,
    messageId,
    timestamp,
    anonymousId: isId(anonymousId) ? anonymousId : null,
    userId: isId(userId) ? userId : null,
    consentgate: { purpose, policyDigest, receiptId },
    properties,
  };
}

/**
 * Validates a `POST /v1/erase` body and returns it (receipt ids de-duplicated), or a message for
 * the 400 answer.
 */
export function parseErase(value: unknown): Result<WireEraseRequest, string> {
  if (!isRecord(value)) return err('the body must be a JSON object');
  const { anonymousId, receiptIds } = value;
  if (anonymousId !== undefined && !isId(anonymousId)) {
    return err('"anonymousId" must be a non-empty string');
  }
  if (
    receiptIds !== undefined &&
    (!Array.isArray(receiptIds) ||
      receiptIds.length > MAX_ERASE_RECEIPTS ||
      !receiptIds.every((id) => isId(id)))
  ) {
    return err(`"receiptIds" must be an array of at most ${MAX_ERASE_RECEIPTS} receipt ids`);
  }
  const ids: string[] = receiptIds ?? [];
  if (anonymousId === undefined && ids.length === 0) {
    return err('name an "anonymousId" or at least one of "receiptIds"');
  }
  return ok({
    ...(anonymousId === undefined ? {} : { anonymousId }),
    receiptIds: [...new Set(ids)],
  });
}

/** A plain JSON object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether `value` is a usable id: 1–200 characters, no control characters, storable. */
export function isId(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    value.length > 0 &&
    value.length <= MAX_ID &&
    !CONTROL.test(value) &&
    isClean(value)
  );
}

function isName(value: unknown, allowEmpty = false): value is string {
  return (
    typeof value === 'string' &&
    (allowEmpty || value.length > 0) &&
    value.length <= MAX_NAME &&
    !CONTROL.test(value) &&
    isClean(value)
  );
}

function isClean(text: string): boolean {
  return !UNSTORABLE.test(text);
}

/** Whether every key and string inside `value` can be stored in PostgreSQL `jsonb`. */
function isStorable(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const item = stack.pop();
    if (typeof item === 'string') {
      if (!isClean(item)) return false;
    } else if (typeof item === 'object' && item !== null) {
      for (const [key, child] of Object.entries(item)) {
        if (!isClean(key)) return false;
        stack.push(child);
      }
    }
  }
  return true;
}

/** Returns an ISO date-time string in `toISOString()` form, or null when it is not one. */
function isoTime(value: unknown): string | null {
  if (typeof value !== 'string' || !ISO_TIME.test(value)) return null;
  const time = Date.parse(value);
  return time >= 0 && time <= MAX_TIME ? new Date(time).toISOString() : null;
}
