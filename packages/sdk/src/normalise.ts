/** A JSON value as ConsentGate stores and sends it. */
export type JsonValue =
  string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** Event properties after normalisation: a null-prototype object of JSON values. */
export type Properties = Readonly<Record<string, JsonValue>>;

/** Why a property (or a whole event) was refused during normalisation. */
export type NormaliseReason =
  | 'properties-not-object'
  | 'invalid-name'
  | 'forbidden-key'
  | 'invalid-key'
  | 'too-many-keys'
  | 'unsupported-type'
  | 'not-finite'
  | 'not-plain-object'
  | 'cycle'
  | 'too-deep'
  | 'value-too-large'
  | 'unreadable'
  | 'event-too-large';

/** Limits applied by {@link normaliseEvent}. */
export interface NormaliseOptions {
  /**
   * Deepest nesting of objects and arrays inside one property.
   * @default 4
   */
  readonly maxDepth?: number;
  /**
   * Most top-level properties kept; the rest are dropped with `too-many-keys`.
   * @default 64
   */
  readonly maxKeys?: number;
  /**
   * Longest string value, in UTF-16 code units; longer values are dropped (never truncated
   * silently: a truncated value could change meaning).
   * @default 2048
   */
  readonly maxStringLength?: number;
  /**
   * Largest serialised size of all properties together, in bytes; a larger event is refused.
   * @default 32768
   */
  readonly maxBytes?: number;
}

/** A property that normalisation dropped, and why. */
export interface DroppedProperty {
  readonly key: string;
  readonly reason: NormaliseReason;
}

/** The outcome of {@link normaliseEvent}. */
export type NormalisedEvent =
  | {
      readonly ok: true;
      readonly name: string;
      readonly properties: Properties;
      readonly dropped: readonly DroppedProperty[];
    }
  | {
      readonly ok: false;
      readonly reason: NormaliseReason;
      readonly dropped: readonly DroppedProperty[];
    };

const DEFAULTS = { maxDepth: 4, maxKeys: 64, maxStringLength: 2048, maxBytes: 32_768 } as const;

/** Keys that could reach an object's prototype chain when a consumer merges properties. */
const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** Event and property names: printable, at most 128 characters. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what it refuses
const NAME_PATTERN = /^[^\u0000-\u001f\u007f]{1,128}$/u;

/** Thrown inside the walk to unwind to the property being read; never escapes this module. */
class Refusal extends Error {
  constructor(readonly reason: NormaliseReason) {
    super(reason);
  }
}

/**
 * Turns whatever a page passed to `track(name, properties)` into a safe event and returns it, or
 * the reason it was refused. Never throws, whatever the input (proxies, getters that throw, cycles).
 *
 * Each top-level property either survives as plain JSON in a null-prototype object or is dropped
 * with a reason; the event as a whole is refused only when its name is invalid, its properties are
 * not an object, or it is too large.
 *
 * @example
 * ```ts
 * const result = normaliseEvent('Product Viewed', { sku: 'A1', price: 12 });
 * if (result.ok) decide(result.name, Object.keys(result.properties));
 * ```
 */
export function normaliseEvent(
  name: unknown,
  properties: unknown,
  options: NormaliseOptions = {},
): NormalisedEvent {
  const limits = { ...DEFAULTS, ...options };
  const dropped: DroppedProperty[] = [];
  if (typeof name !== 'string' || !NAME_PATTERN.test(name)) {
    return { ok: false, reason: 'invalid-name', dropped };
  }
  if (properties === undefined || properties === null) {
    return { ok: true, name, properties: Object.create(null) as Properties, dropped };
  }
  let keys: string[] | undefined;
  try {
    if (typeof properties === 'object' && !Array.isArray(properties) && isPlain(properties)) {
      keys = Object.keys(properties);
    }
  } catch {
    // A proxy or a getter that throws: not an object this can read.
  }
  if (!keys) return { ok: false, reason: 'properties-not-object', dropped };

  const out = Object.create(null) as Record<string, JsonValue>;
  let kept = 0;
  for (const key of keys) {
    if (FORBIDDEN_KEYS.has(key)) {
      dropped.push({ key, reason: 'forbidden-key' });
      continue;
    }
    if (!NAME_PATTERN.test(key)) {
      dropped.push({ key: key.slice(0, 128), reason: 'invalid-key' });
      continue;
    }
    if (kept >= limits.maxKeys) {
      dropped.push({ key, reason: 'too-many-keys' });
      continue;
    }
    try {
      const value = toJson((properties as Record<string, unknown>)[key], limits, 0, []);
      if (value === undefined) {
        dropped.push({ key, reason: 'unsupported-type' });
        continue;
      }
      out[key] = value;
      kept += 1;
    } catch (error) {
      dropped.push({ key, reason: error instanceof Refusal ? error.reason : 'unreadable' });
    }
  }

  if (exceedsBytes(out, limits.maxBytes)) {
    return { ok: false, reason: 'event-too-large', dropped };
  }
  return { ok: true, name, properties: out, dropped };
}

function toJson(
  value: unknown,
  limits: Required<NormaliseOptions>,
  depth: number,
  seen: object[],
): JsonValue | undefined {
  switch (typeof value) {
    case 'string':
      if (value.length > limits.maxStringLength) throw new Refusal('value-too-large');
      return value;
    case 'number':
      if (!Number.isFinite(value)) throw new Refusal('not-finite');
      return value;
    case 'boolean':
      return value;
    case 'undefined':
    case 'function':
    case 'symbol':
    case 'bigint':
      return undefined;
    default:
      break;
  }
  if (value === null) return null;
  const object = value as object;
  if (value instanceof Date) {
    const time = value.getTime();
    if (!Number.isFinite(time)) throw new Refusal('not-finite');
    return value.toISOString();
  }
  if (seen.includes(object)) throw new Refusal('cycle');
  if (depth >= limits.maxDepth) throw new Refusal('too-deep');
  seen.push(object);
  try {
    if (Array.isArray(object)) {
      if (object.length > limits.maxKeys) throw new Refusal('value-too-large');
      const items: JsonValue[] = [];
      for (const item of object as unknown[]) {
        // Like JSON.stringify: holes, functions and symbols inside arrays become null.
        items.push(toJson(item, limits, depth + 1, seen) ?? null);
      }
      return items;
    }
    if (!isPlain(object)) throw new Refusal('not-plain-object');
    const nested = Object.create(null) as Record<string, JsonValue>;
    const keys = Object.keys(object);
    if (keys.length > limits.maxKeys) throw new Refusal('value-too-large');
    for (const key of keys) {
      if (FORBIDDEN_KEYS.has(key)) continue;
      const item = toJson((object as Record<string, unknown>)[key], limits, depth + 1, seen);
      if (item !== undefined) nested[key] = item;
    }
    return nested;
  } finally {
    seen.pop();
  }
}

/** True for `{}` literals and null-prototype objects; class instances, Maps, DOM nodes are not. */
function isPlain(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === null || proto === Object.prototype;
}

const encoder = new TextEncoder();

/** True when the UTF-8 JSON of `value` is over `limit` bytes; encodes only when it could be. */
function exceedsBytes(value: unknown, limit: number): boolean {
  const text = JSON.stringify(value);
  // One UTF-16 code unit is at most 3 UTF-8 bytes, so short texts need no encoding at all.
  if (text.length * 3 <= limit) return false;
  return encoder.encode(text).length > limit;
}
