/** The most characters of JSON a policy input may have; beyond it the input is refused. */
const MAX_INPUT_CHARS = 1024 * 1024;

/** The deepest nesting an input may have (and what stops reference cycles). */
const MAX_DEPTH = 32;

/** How a nested value is serialised: as is, as the `event` object, or as a set (`event.keys`). */
const PLAIN = 0;
const EVENT = 1;
const SET = 2;

/** Strings that JSON.stringify would escape; the others are quoted as they are. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what JSON escapes
const ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** What {@link serializeInput} returns. */
export interface SerializedInput {
  /** The JSON text the policy evaluates, or `undefined` for no input at all. */
  readonly json: string | undefined;
  /**
   * Everything the policy sees except `now`, prefixed by how `now` looked; `null` when the answer
   * must not be cached (a `now` that is not a safe non-negative integer).
   */
  readonly key: string | null;
  /** `input.now` when it is a safe non-negative integer, otherwise `NaN`. */
  readonly now: number;
}

/** Mutable state of one serialisation: the remaining size budget and the top-level `now`. */
interface State {
  budget: number;
  now: unknown;
}

/**
 * Serialises a policy input to canonical JSON and returns it with its cache key.
 *
 * Canonical means: object keys sorted, `undefined`, functions and symbols left out (as
 * `JSON.stringify` does), non-finite numbers as `null`, and `event.keys` sorted without
 * duplicates, since the policy treats it as a set. The policy is given exactly this text, so two
 * inputs with the same key are the same input to the policy, apart from `now`.
 *
 * @throws `TypeError` when the input is not JSON (a `BigInt`, a cycle, nesting deeper than 32) or
 * is larger than 1 MiB as JSON.
 */
export function serializeInput(input: unknown): SerializedInput {
  if (input === undefined) return { json: undefined, key: 'u', now: Number.NaN };
  const state: State = { budget: MAX_INPUT_CHARS, now: undefined };
  const body = write(input, 0, PLAIN, state) ?? 'null';
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { json: body, key: `x${body}`, now: Number.NaN };
  }
  const { now } = state;
  const nowText = write(now, 1, PLAIN, state);
  if (nowText === undefined) return { json: body, key: `a${body}`, now: Number.NaN };
  const json = `{"now":${nowText}${body.length === 2 ? '' : `,${body.slice(1, -1)}`}}`;
  return typeof now === 'number' && Number.isSafeInteger(now) && now >= 0
    ? { json, key: `i${body}`, now }
    : { json, key: null, now: Number.NaN };
}

function write(value: unknown, depth: number, mode: number, state: State): string | undefined {
  switch (typeof value) {
    case 'string':
      state.budget -= value.length + 2;
      if (state.budget < 0) throw new TypeError('input over 1 MiB');
      return ESCAPE.test(value) ? JSON.stringify(value) : `"${value}"`;
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      if (value === null) return 'null';
      if (depth >= MAX_DEPTH) throw new TypeError('input nested too deeply');
      return Array.isArray(value)
        ? writeArray(value, depth, mode, state)
        : writeObject(value as Record<string, unknown>, depth, mode, state);
    case 'bigint':
      throw new TypeError('a BigInt is not JSON');
    default:
      return undefined;
  }
}

function writeArray(value: unknown[], depth: number, mode: number, state: State): string {
  const items: string[] = [];
  for (let i = 0; i < value.length; i++) {
    // Every item pays at least its comma, so even a sparse array of a billion holes stops.
    if (--state.budget < 0) throw new TypeError('input over 1 MiB');
    items.push(write(value[i], depth + 1, PLAIN, state) ?? 'null');
  }
  if (mode === SET && items.length > 1) {
    items.sort();
    let out = items[0] as string;
    for (let i = 1; i < items.length; i++) {
      if (items[i] !== items[i - 1]) out += `,${items[i] as string}`;
    }
    return `[${out}]`;
  }
  return `[${items.join(',')}]`;
}

function writeObject(
  value: Record<string, unknown>,
  depth: number,
  mode: number,
  state: State,
): string {
  const keys = Object.keys(value);
  // Most inputs are built the same way every time; sort only when the keys are out of order.
  for (let i = 1; i < keys.length; i++) {
    if ((keys[i - 1] as string) > (keys[i] as string)) {
      keys.sort();
      break;
    }
  }
  let out = '';
  for (const key of keys) {
    const field = value[key];
    if (depth === 0 && key === 'now') {
      state.now = field;
      continue;
    }
    const text = write(
      field,
      depth + 1,
      depth === 0 && key === 'event' ? EVENT : mode === EVENT && key === 'keys' ? SET : PLAIN,
      state,
    );
    if (text === undefined) continue;
    state.budget -= key.length;
    const name = ESCAPE.test(key) ? JSON.stringify(key) : `"${key}"`;
    out += out === '' ? `${name}:${text}` : `,${name}:${text}`;
  }
  return `{${out}}`;
}

/** An input read field by field by {@link fastInput}. */
export interface FastInput {
  /**
   * Everything the policy sees except `now`, as a flat list of values in a fixed order (with
   * markers between sections); two inputs are the same to the policy when their lists are equal.
   */
  readonly tokens: readonly unknown[];
  /** A 32-bit hash of `tokens`, for the cache map; equal hashes are confirmed on `tokens`. */
  readonly hash: number;
  /** As {@link SerializedInput.now}. */
  readonly now: number;
  /** The JSON text the policy evaluates, when {@link fastInput} was asked for it. */
  readonly json?: string;
}

/** Section markers: symbols, so that no input value can be mistaken for one. */
const M_SIGNALS = Symbol('signals');
const M_SCRIPT = Symbol('script');
const M_CONSENT = Symbol('consent');
const M_PURPOSES = Symbol('purposes');
const M_EVENT = Symbol('event');
const M_KEYS = Symbol('keys');
/** Hash codes of the markers and of the non-string values. */
const CODES = new Map<unknown, number>([
  [M_SIGNALS, 1],
  [M_SCRIPT, 2],
  [M_CONSENT, 3],
  [M_PURPOSES, 4],
  [M_EVENT, 5],
  [M_KEYS, 6],
  [true, 7],
  [false, 8],
  [undefined, 9],
]);

/** The most tokens the fast path reads; larger inputs take {@link serializeInput} and its cap. */
const MAX_TOKENS = 4096;

/**
 * Reads an input of the usual shape and returns what identifies it to the policy (and, with
 * `json`, the JSON text the policy evaluates); `null` for any other input, which then takes
 * {@link serializeInput}. Same contract as `serializeInput`, at a fraction of the cost: a cache
 * hit builds no string at all.
 *
 * The usual shape is plain objects with only the `PolicyInput` fields, string and boolean leaves,
 * a finite `given_at`, string `event.keys`, boolean `consent.purposes`, and `now` absent or a
 * safe non-negative integer. Each value is read once, with for...in, which visits exactly the
 * keys JSON.stringify would once the prototype is known to be plain. A caller that needs the JSON
 * after a cache miss reads again with `json` and compares the tokens, so an input that changed in
 * between (a getter, say) is never cached under the wrong tokens.
 *
 * @param tag - The first token, such as the entrypoint, so that entrypoints do not share answers.
 */
export function fastInput(input: unknown, tag: string, json = false): FastInput | null {
  if (!isPlain(input)) return null;
  const out: Record<string, unknown> | null = json ? {} : null;
  let now: unknown;
  let jurisdiction: unknown;
  let destination: unknown;
  let signals: unknown;
  let script: unknown;
  let consent: unknown;
  let event: unknown;
  for (const name in input) {
    const value = input[name];
    if (name === 'now') now = value;
    else if (name === 'jurisdiction') jurisdiction = value;
    else if (name === 'destination') destination = value;
    else if (name === 'signals') signals = value;
    else if (name === 'script') script = value;
    else if (name === 'consent') consent = value;
    else if (name === 'event') event = value;
    else return null;
  }
  if (
    (now !== undefined && (!Number.isSafeInteger(now) || (now as number) < 0)) ||
    !isText(jurisdiction) ||
    !isText(destination)
  ) {
    return null;
  }
  const tokens: unknown[] = [tag, now === undefined, jurisdiction, destination];
  if (
    (signals !== undefined && !readSignals(signals, tokens, out)) ||
    (script !== undefined && !readScript(script, tokens, out)) ||
    (consent !== undefined && !readConsent(consent, tokens, out)) ||
    (event !== undefined && !readEvent(event, tokens, out)) ||
    tokens.length > MAX_TOKENS
  ) {
    return null;
  }
  const at = now === undefined ? Number.NaN : (now as number);
  if (!out) return { tokens, hash: hash(tokens), now: at };
  out.now = now;
  out.jurisdiction = jurisdiction;
  out.destination = destination;
  return { tokens, hash: hash(tokens), now: at, json: JSON.stringify(out) };
}

/** Whether two token lists are the same input to the policy. */
export function sameTokens(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** FNV-1a over the tokens; strings by UTF-16 unit, numbers by their two 32-bit halves. */
function hash(tokens: readonly unknown[]): number {
  let h = 0x811c9dc5;
  for (const token of tokens) {
    if (typeof token === 'string') {
      for (let i = 0; i < token.length; i++) h = Math.imul(h ^ token.charCodeAt(i), 0x01000193);
      h = Math.imul(h ^ 0x10000, 0x01000193);
    } else if (typeof token === 'number') {
      h = Math.imul(h ^ (token | 0), 0x01000193);
      h = Math.imul(h ^ Math.floor(token / 0x100000000), 0x01000193);
    } else {
      h = Math.imul(h ^ (0x20000 + (CODES.get(token) ?? 0)), 0x01000193);
    }
  }
  return h >>> 0;
}

function readSignals(value: unknown, tokens: unknown[], out: Record<string, unknown> | null) {
  if (!isPlain(value)) return false;
  let gpc: unknown;
  for (const name in value) {
    if (name !== 'gpc') return false;
    gpc = value[name];
  }
  if (gpc !== undefined && typeof gpc !== 'boolean') return false;
  tokens.push(M_SIGNALS, gpc);
  if (out) out.signals = { gpc };
  return true;
}

function readScript(value: unknown, tokens: unknown[], out: Record<string, unknown> | null) {
  if (!isPlain(value)) return false;
  let purpose: unknown;
  let src: unknown;
  for (const name in value) {
    if (name === 'purpose') purpose = value[name];
    else if (name === 'src') src = value[name];
    else return false;
  }
  if (!isText(purpose) || !isText(src)) return false;
  tokens.push(M_SCRIPT, purpose, src);
  if (out) out.script = { purpose, src };
  return true;
}

function readConsent(value: unknown, tokens: unknown[], out: Record<string, unknown> | null) {
  if (!isPlain(value)) return false;
  let revision: unknown;
  let givenAt: unknown;
  let purposes: unknown;
  for (const name in value) {
    if (name === 'revision') revision = value[name];
    else if (name === 'given_at') givenAt = value[name];
    else if (name === 'purposes') purposes = value[name];
    else return false;
  }
  if (!isText(revision)) return false;
  // -0 is 0 to both JSON and ===, so it cannot split what the policy sees as one input.
  if (givenAt !== undefined && !(typeof givenAt === 'number' && Number.isFinite(givenAt))) {
    return false;
  }
  tokens.push(M_CONSENT, revision, givenAt);
  let choices: Record<string, boolean> | undefined;
  if (purposes !== undefined) {
    if (!isPlain(purposes)) return false;
    choices = {};
    const names: string[] = [];
    for (const name in purposes) {
      const choice = purposes[name];
      if (choice === undefined) continue;
      if (typeof choice !== 'boolean') return false;
      choices[name] = choice;
      names.push(name);
    }
    tokens.push(M_PURPOSES);
    for (const name of sort(names)) tokens.push(name, choices[name]);
  }
  if (out) out.consent = { revision, given_at: givenAt, purposes: choices };
  return true;
}

function readEvent(value: unknown, tokens: unknown[], out: Record<string, unknown> | null) {
  if (!isPlain(value)) return false;
  let type: unknown;
  let name: unknown;
  let purpose: unknown;
  let keys: unknown;
  for (const field in value) {
    if (field === 'type') type = value[field];
    else if (field === 'name') name = value[field];
    else if (field === 'purpose') purpose = value[field];
    else if (field === 'keys') keys = value[field];
    else return false;
  }
  if (!isText(type) || !isText(name) || !isText(purpose)) return false;
  tokens.push(M_EVENT, type, name, purpose);
  let set: string[] | undefined;
  if (keys !== undefined) {
    if (!Array.isArray(keys)) return false;
    set = [];
    for (let i = 0; i < keys.length; i++) {
      const property: unknown = keys[i];
      if (typeof property !== 'string') return false;
      set.push(property);
    }
    // event.keys is a set to the policy: it gets the keys sorted, without repeats.
    sort(set);
    tokens.push(M_KEYS);
    let last = 0;
    for (let i = 0; i < set.length; i++) {
      if (i > 0 && set[i] === set[last - 1]) continue;
      set[last++] = set[i] as string;
      tokens.push(set[i]);
    }
    set.length = last;
  }
  if (out) out.event = { type, name, purpose, keys: set };
  return true;
}

function isPlain(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function isText(value: unknown): boolean {
  return value === undefined || typeof value === 'string';
}

/**
 * Sorts strings in place by UTF-16 code unit, as `Array.prototype.sort` does, and returns them;
 * insertion sort for the few keys an event has is about three times faster than the built-in.
 */
function sort(strings: string[]): string[] {
  if (strings.length > 16) return strings.sort();
  for (let i = 1; i < strings.length; i++) {
    const value = strings[i] as string;
    let j = i - 1;
    for (; j >= 0 && (strings[j] as string) > value; j--) strings[j + 1] = strings[j] as string;
    strings[j + 1] = value;
  }
  return strings;
}
