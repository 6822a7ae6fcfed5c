import type {
  CollectDecision,
  ConsentGateError,
  EgressDecision,
  Listener,
  Notice,
  PolicyInput,
  ScriptDecision,
  Unsubscribe,
} from '@consentgate/core';

/**
 * What a {@link Policy} decision call returns: always a decision, plus the error that forced it
 * when the policy could not decide.
 *
 * When `error` is present the decision is a safe fallback: a deny for `collect`, `egress` and
 * `script`, and a strict opt-in notice (or `null`) for `notice`.
 *
 * @example
 * ```ts
 * const { decision, error } = policy.collect(input);
 * if (error) audit(error.code);
 * if (!decision.allow) return;
 * ```
 */
export interface PolicyAnswer<T> {
  /** The decision to act on; frozen, safe to keep. */
  readonly decision: T;
  /** Why the policy could not decide, when it could not. */
  readonly error?: ConsentGateError;
}

/** Events a {@link Policy} emits, as `on(name, fn)` arguments. */
export type PolicyEvents = {
  /** A decision fell back to deny because evaluation failed (not emitted for load failures). */
  error: [error: ConsentGateError];
};

/** One file of a bundle as its manifest lists it. */
export interface PolicyManifestFile {
  /** SHA-256 of the file's bytes, as 64 lowercase hex characters. */
  readonly sha256: string;
  /** Size in bytes. */
  readonly bytes: number;
}

/** A bundle's `manifest.json`, as written by `npm run policies` (`scripts/policies.mjs`). */
export interface PolicyManifest {
  /** Bundle name, such as `consentgate-storefront`. */
  readonly name: string;
  /** The catalog's `version`. */
  readonly catalog_version: string;
  /** The OPA release that compiled it. */
  readonly opa_version: string;
  /** OPA WebAssembly ABI of `policy.wasm`, as `"major.minor"`. */
  readonly abi_version: string;
  /** Entrypoint ids by name. */
  readonly entrypoints: Readonly<Record<string, number>>;
  /**
   * The policy digest: SHA-256 (hex) of `"policy.wasm <sha256>\ndata.json <sha256>\n"`. Sites pin
   * it; consent receipts cite it.
   */
  readonly digest: string;
  /** Hashes and sizes of the two files the digest covers. */
  readonly files: Readonly<Record<'policy.wasm' | 'data.json', PolicyManifestFile>>;
}

/**
 * A loaded policy bundle: typed, fail-closed decisions from one WebAssembly module with several
 * entrypoints. Returned by {@link loadPolicy}, even when loading failed (then `error` says why and
 * every decision denies).
 *
 * Decision calls never throw. Each returns a frozen {@link PolicyAnswer}; results are cached per
 * policy-visible input (see {@link LoadPolicyOptions.cacheSize}).
 */
export interface Policy {
  /** The verified bundle digest (hex), or `null` when no bundle was verified. */
  readonly digest: string | null;
  /** The verified manifest, or `null` when no bundle was verified. */
  readonly manifest: PolicyManifest | null;
  /** True when the digest matched the pinned `digest` option; false when nothing was pinned. */
  readonly pinned: boolean;
  /** True when the bundle signature verified against the pinned `signature.publicKey`. */
  readonly signed: boolean;
  /** Why this policy denies everything, or `null` when it is ready. */
  readonly error: ConsentGateError | null;
  /**
   * Returns what the banner must show for `input` (jurisdiction, signals, consent).
   *
   * On failure the decision is a strict opt-in notice built from the verified catalog (every
   * optional purpose off and nothing allowed), or `null` when no catalog could be verified.
   */
  notice(input: PolicyInput): PolicyAnswer<Notice | null>;
  /** Returns whether and how this event may be stored; a deny with no records on failure. */
  collect(input: PolicyInput): PolicyAnswer<CollectDecision>;
  /** Returns whether and with which fields a record may leave for a destination; deny on failure. */
  egress(input: PolicyInput): PolicyAnswer<EgressDecision>;
  /** Returns whether a tagged script or iframe may run; deny on failure. */
  script(input: PolicyInput): PolicyAnswer<ScriptDecision>;
  /** Adds a listener and returns the function that removes it. */
  on<Name extends keyof PolicyEvents>(name: Name, fn: Listener<PolicyEvents[Name]>): Unsubscribe;
  /** Releases the WebAssembly instance and cache; later decisions deny with `policy/not-loaded`. */
  dispose(): void;
}
