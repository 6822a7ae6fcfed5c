import type {
  CollectDecision,
  ConsentGateError,
  EgressDecision,
  Notice,
  ScriptDecision,
} from '@consentgate/core';

import type { Policy, PolicyAnswer, PolicyManifest } from './policy.js';

/** What a closed policy still knows about its bundle, when the bundle itself was verified. */
export interface ClosedPolicyOptions {
  readonly digest?: string | null;
  readonly manifest?: PolicyManifest | null;
  readonly pinned?: boolean;
  readonly signed?: boolean;
  /** Builds the strict fallback notice from the verified catalog. */
  readonly notice?: (input: unknown) => Notice | null;
}

/**
 * Creates a policy that denies every decision with `error` and returns it. Internal: what
 * {@link loadPolicy} resolves to when loading fails.
 */
export function createClosedPolicy(
  error: ConsentGateError,
  options: ClosedPolicyOptions = {},
): Policy {
  const { notice } = options;
  return {
    digest: options.digest ?? null,
    manifest: options.manifest ?? null,
    pinned: options.pinned ?? false,
    signed: options.signed ?? false,
    error,
    notice: (input) => answer(notice?.(input) ?? null, error),
    collect: (input) => answer(denyCollect(input, error.code), error),
    egress: (input) => answer(denyEgress(input), error),
    script: (input) => answer(denyScript(input), error),
    // A closed policy never evaluates, so it never emits; its one error is `error`.
    on: () => () => {},
    dispose() {},
  };
}

/** Returns a frozen answer carrying `error`. */
export function answer<T>(decision: T, error: ConsentGateError): PolicyAnswer<T> {
  return Object.freeze({ decision, error });
}

/** Returns the deny fallback for `collect`: nothing stored; the error code is the one reason. */
export function denyCollect(input: unknown, code?: string): CollectDecision {
  return Object.freeze({
    allow: false,
    event: read(input, 'event', 'name'),
    records: Object.freeze({}),
    denied: Object.freeze({}),
    reasons: Object.freeze(code ? [code] : []),
  });
}

/** Returns the deny fallback for `egress`: nothing sent. */
export function denyEgress(input: unknown): EgressDecision {
  return Object.freeze({
    allow: false,
    destination: read(input, 'destination'),
    purpose: read(input, 'event', 'purpose'),
    fields: Object.freeze([]),
    dropped: Object.freeze({}),
    reasons: Object.freeze([]),
  });
}

/** Returns the deny fallback for `script`: the script stays inert. */
export function denyScript(input: unknown): ScriptDecision {
  return Object.freeze({
    allow: false,
    src: read(input, 'script', 'src'),
    purpose: null,
    reasons: Object.freeze([]),
  });
}

/** Reads a string at `input[a][b]` for the audit trail, or `null`; hostile getters cannot throw. */
function read(input: unknown, a: string, b?: string): string | null {
  try {
    let value = (input as Record<string, unknown> | null)?.[a];
    if (b !== undefined) value = (value as Record<string, unknown> | null | undefined)?.[b];
    return typeof value === 'string' ? value : null;
  } catch {
    return null;
  }
}
