import { GeneralisationMethod } from '@consentgate/core';
import type { CollectDecision, EgressDecision, Notice, ScriptDecision } from '@consentgate/core';

/** A structural check of one JSON value. */
type Guard = (value: unknown) => boolean;

/** Generalisation methods the SDK knows how to apply; anything else would be a silent keep. */
const METHODS: readonly unknown[] = Object.values(GeneralisationMethod);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isString: Guard = (value) => typeof value === 'string';
const isBoolean: Guard = (value) => typeof value === 'boolean';
const isNumber: Guard = (value) => typeof value === 'number' && Number.isFinite(value);
const isNullableString: Guard = (value) => value === null || typeof value === 'string';
const oneOf =
  (...options: unknown[]): Guard =>
  (value) =>
    options.includes(value);
const arrayOf =
  (guard: Guard): Guard =>
  (value) =>
    Array.isArray(value) && value.every(guard);
const recordOf =
  (guard: Guard): Guard =>
  (value) =>
    isRecord(value) && Object.values(value).every(guard);
const shape =
  (spec: Record<string, Guard>): Guard =>
  (value) =>
    isRecord(value) && Object.entries(spec).every(([key, guard]) => guard(value[key]));
const optional =
  (guard: Guard): Guard =>
  (value) =>
    value === undefined || guard(value);

const isStrings = arrayOf(isString);
const isText = shape({ en: isString, ja: isString });

/** Field actions are exact: an unknown key could carry a meaning the SDK would not apply. */
const isFieldAction: Guard = (value) => {
  if (!isRecord(value)) return false;
  const keys = Object.keys(value).length;
  if (value.action === 'keep' || value.action === 'hash') return keys === 1;
  if (value.action !== 'generalise' || !METHODS.includes(value.method)) return false;
  if (value.length === undefined) return keys === 2;
  return Number.isInteger(value.length) && (value.length as number) >= 0 && keys === 3;
};

const isCollectRecord = shape({
  purpose: isString,
  retention_days: isNumber,
  expires_at: isNumber,
  anonymous_id: isBoolean,
  fields: recordOf(isFieldAction),
  dropped: recordOf(isString),
});

const isCollectShape = shape({
  allow: isBoolean,
  event: isNullableString,
  records: recordOf(isCollectRecord),
  denied: recordOf(isStrings),
  reasons: isStrings,
});

/**
 * Returns whether `value` is a well-formed {@link CollectDecision}: the core contract's shape, and
 * `allow` true exactly when there is a record, each filed under its own purpose.
 */
export function isCollectDecision(value: unknown): value is CollectDecision {
  if (!isCollectShape(value)) return false;
  const { allow, records } = value as CollectDecision;
  const purposes = Object.keys(records);
  return allow === purposes.length > 0 && purposes.every((p) => records[p]?.purpose === p);
}

/** Returns whether `value` is a well-formed {@link EgressDecision}. */
export const isEgressDecision = shape({
  allow: isBoolean,
  destination: isNullableString,
  purpose: isNullableString,
  fields: isStrings,
  dropped: recordOf(isString),
  reasons: isStrings,
}) as (value: unknown) => value is EgressDecision;

/** Returns whether `value` is a well-formed {@link ScriptDecision}. */
export const isScriptDecision = shape({
  allow: isBoolean,
  src: isNullableString,
  purpose: isNullableString,
  reasons: isStrings,
}) as (value: unknown) => value is ScriptDecision;

/** Returns whether `value` is a well-formed {@link Notice}. */
export const isNotice = shape({
  jurisdiction: isString,
  regime: isString,
  mode: oneOf('opt-in', 'opt-out'),
  version: isString,
  gpc: shape({ detected: isBoolean, applied: isBoolean }),
  controller: shape({
    name: isText,
    contact: shape({ email: optional(isString), url: optional(isString) }),
  }),
  purposes: arrayOf(
    shape({
      id: isString,
      consent: oneOf('none', 'opt-in', 'opt-out'),
      required: isBoolean,
      default: isBoolean,
      locked: isBoolean,
      allowed: isBoolean,
      legal_basis: isString,
      sale_share: isBoolean,
      local_only: isBoolean,
      retention_days: isNumber,
      title: isText,
      description: isText,
      categories: arrayOf(shape({ id: isString, label: isText })),
      recipients: arrayOf(shape({ id: isString, name: isText, third_party: isBoolean })),
      reasons: isStrings,
    }),
  ),
  reasons: recordOf(isText),
}) as (value: unknown) => value is Notice;
