import { ConsentGateError, ErrorCode } from '@consentgate/core';

/**
 * Throws the error for an integration mistake: an option or argument no page data could produce.
 * The message only names `what` (production stays terse; the TSDoc says what is expected).
 *
 * @throws {@link ConsentGateError} `sdk/invalid-options`, always.
 */
export function invalidOption(what: string): never {
  throw new ConsentGateError(ErrorCode.SdkInvalidOptions, `invalid ${what}`);
}

/**
 * Throws the error for a record, entry or receipt without the required shape. Records carry page
 * data (a decision's expiry, an event's fields), so a wrong one is data, not a wrong option.
 *
 * @throws {@link ConsentGateError} `store/invalid-record`, always.
 */
export function invalidRecord(what: string): never {
  throw new ConsentGateError(ErrorCode.StoreInvalidRecord, `invalid ${what}`);
}

/** Returns whether `value` is acceptable. */
export type Check = (value: unknown) => boolean;

/** The required shape of an object: a check (or a nested shape) per member. */
export interface Shape {
  readonly [member: string]: Check | Shape;
}

/** Returns whether `value` is a string. */
export const isString = (value: unknown): value is string => typeof value === 'string';

/** Returns whether `value` is a boolean. */
export const isBoolean = (value: unknown): value is boolean => typeof value === 'boolean';

/** Returns whether `value` is a finite number, as every epoch-ms time must be. */
export const isTime = (value: unknown): value is number => Number.isFinite(value);

/** Returns whether `value` is a non-null object other than an array. */
export const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Returns whether `value` is an array of strings. */
export const isStrings = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every(isString);

/** Returns a check that also accepts `undefined` (an optional member). */
export const optional =
  (check: Check): Check =>
  (value) =>
    value === undefined || check(value);

/**
 * Checks that `value` has `shape`; `where` names it in the message.
 *
 * @throws {@link ConsentGateError} `store/invalid-record` naming the first member that does not.
 */
export function assertShape(value: unknown, shape: Shape, where: string): void {
  if (!isObject(value)) invalidRecord(where);
  for (const [key, check] of Object.entries(shape)) {
    if (typeof check === 'object') assertShape(value[key], check, `${where}.${key}`);
    else if (!check(value[key])) invalidRecord(`${where}.${key}`);
  }
}

/**
 * Checks that `items`, given to the method `method`, is an array whose every item has `shape`.
 * The message names the item by its position, as in `events.put[2].expiresAt`.
 *
 * @throws {@link ConsentGateError} `store/invalid-record` when it is not.
 */
export function assertEach(items: unknown, shape: Shape, method: string): void {
  if (!Array.isArray(items)) invalidRecord(method);
  items.forEach((item, i) => assertShape(item, shape, `${method}[${i}]`));
}

/** What addresses a record, and an outbox entry handed back to the outbox. */
export const REF = { id: isString, purpose: isString, expiresAt: isTime } satisfies Shape;

/** A record given to `events.put`. */
export const EVENT_INPUT = {
  id: optional(isString),
  name: isString,
  purpose: isString,
  fields: isObject,
  categories: optional(isObject),
  expiresAt: isTime,
  createdAt: optional(isTime),
  policyDigest: isString,
} satisfies Shape;

/** An entry given to `outbox.enqueue`. */
export const OUTBOX_INPUT = {
  event: REF,
  destination: isString,
  nextAttemptAt: optional(isTime),
  // Anything but a boolean would be read as a yes by a truthy check downstream.
  attachAnonymousId: optional(isBoolean),
} satisfies Shape;

/** An entry given to `audit.append`. */
export const AUDIT_INPUT = { kind: isString, reasons: optional(isStrings) } satisfies Shape;

/** A receipt given to `consent.append`. */
export const CONSENT_INPUT = {
  purposes: (value: unknown) => isObject(value) && Object.values(value).every(isBoolean),
  revision: isString,
  policy_digest: isString,
  given_at: isTime,
} satisfies Shape;
