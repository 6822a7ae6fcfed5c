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

/** Bytes of one bundle file. */
export type PolicyBytes = ArrayBuffer | ArrayBufferView;

/**
 * A bundle handed over in pieces instead of by URL: each member is a `Response`, bytes, or (for
 * `manifest` and `data`) the parsed JSON. A parsed `data` object is hashed as `npm run policies`
 * writes data.json: JSON with sorted keys and a final newline.
 */
export interface PolicyBundle {
  /** manifest.json. */
  readonly manifest: Response | PolicyBytes | PolicyManifest;
  /** policy.wasm; a `Response` with `Content-Type: application/wasm` is compiled while streaming. */
  readonly wasm: Response | PolicyBytes;
  /** data.json. */
  readonly data: Response | PolicyBytes | object;
  /** `.signatures.json`, when {@link LoadPolicyOptions.signature} asks for a signature. */
  readonly signatures?: Response | PolicyBytes | object;
}

/**
 * Where the bundle comes from: the URL of its `manifest.json` (`policy.wasm`, `data.json` and,
 * when a signature is required, `.signatures.json` are fetched next to it), or a
 * {@link PolicyBundle}.
 */
export type PolicySource = string | URL | PolicyBundle;

/** Options for {@link loadPolicy}. */
export interface LoadPolicyOptions {
  /**
   * The bundle digest the site trusts (manifest.json's `digest`), as 64 hex characters or as a
   * Subresource Integrity string `sha256-<base64>`. A bundle with another digest is refused.
   *
   * @default undefined (the bundle is only checked against its own manifest, which catches
   * corruption but not a swapped bundle; `policy.pinned` is then `false`)
   */
  digest?: string;
  /**
   * Requires an OPA bundle signature (`.signatures.json`, as `opa build --signing-key` writes it)
   * made with this public key and covering policy.wasm and data.json; verified with WebCrypto.
   * The signature code is loaded only when this is set.
   *
   * @default undefined (no signature is required)
   */
  signature?: PolicySignatureOptions;
  /**
   * The most bytes read for any one bundle file; a larger file is refused while it streams.
   *
   * @default 4_194_304 (4 MiB)
   */
  maxBytes?: number;
  /**
   * The most WebAssembly memory the policy may use, in 64 KiB pages; beyond it a decision fails
   * with `policy/memory-exhausted`. At least 2.
   *
   * @default 1024 (64 MiB)
   */
  maxMemoryPages?: number;
  /**
   * How many answers each policy keeps (least recently used first out); 0 turns the cache off.
   *
   * @default 512
   */
  cacheSize?: number;
  /**
   * Fetches the bundle files of a URL source.
   *
   * @default globalThis.fetch
   */
  fetch?: (url: URL, init: RequestInit) => Promise<Response>;
  /**
   * Aborts loading; an abort whose reason is a `TimeoutError` (as from `AbortSignal.timeout(ms)`)
   * fails with `policy/timeout`, any other with `policy/fetch-failed`.
   *
   * @default undefined
   */
  signal?: AbortSignal;
}

/** Options for verifying an OPA bundle signature; see {@link LoadPolicyOptions.signature}. */
export interface PolicySignatureOptions {
  /**
   * The public key the bundle must be signed with: PEM (`-----BEGIN PUBLIC KEY-----`, the
   * SubjectPublicKeyInfo that `openssl pkey -pubout` writes), a JWK, or a `CryptoKey`.
   */
  readonly publicKey: string | JsonWebKey | CryptoKey;
  /**
   * The JWS algorithm the token must use; anything else (including `none` and HMAC) is refused.
   *
   * @default 'RS256' (OPA's default)
   */
  readonly algorithm?: 'RS256' | 'ES256';
  /**
   * The key id the token must name (its `kid` header, or the `keyid` claim).
   *
   * @default undefined (any key id; the key itself is what counts)
   */
  readonly keyId?: string;
  /**
   * The scope the token must carry, as OPA's `scope` setting.
   *
   * @default undefined (the token must carry no scope)
   */
  readonly scope?: string;
}
