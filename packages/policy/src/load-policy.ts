import { ConsentGateError, ErrorCode, fromSriDigest } from '@consentgate/core';

import { createClosedPolicy } from './create-closed-policy.js';
import type { Policy, PolicyManifest } from './policy.js';
import type { PolicySignatureOptions } from './verify-signature.js';

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

/** Options after validation, as the lazily loaded engine receives them. Internal. */
export interface PolicySettings {
  readonly url: URL | null;
  readonly parts: Readonly<Record<keyof PolicyBundle, unknown>> | null;
  readonly digest: string | null;
  readonly signature: PolicySignatureOptions | null;
  readonly maxBytes: number;
  readonly maxPages: number;
  readonly cacheSize: number;
  readonly fetch: (url: URL, init: RequestInit) => Promise<Response>;
  readonly signal: AbortSignal | undefined;
}

const DEFAULT_MAX_BYTES = 4 * 1024 * 1024;
const DEFAULT_MAX_PAGES = 1024;
const DEFAULT_CACHE_SIZE = 512;
/** The WebAssembly limit: 4 GiB of 64 KiB pages. */
const MAX_PAGES = 65_536;

/**
 * Loads, verifies and instantiates a policy bundle, and resolves to a {@link Policy}.
 *
 * Never rejects. When the bundle cannot be fetched or verified, or WebAssembly is blocked, the
 * policy it resolves to has `error` set and denies every decision with that code; if the bundle
 * was verified, its `notice` still answers with a strict opt-in banner. The engine (the
 * WebAssembly host, verification and cache) is loaded on first call with `import()`.
 *
 * @throws {@link ConsentGateError} `sdk/invalid-options`, synchronously, when `source` or
 * `options` are not valid (an integration mistake).
 *
 * @example
 * ```ts
 * const policy = await loadPolicy('/policies/manifest.json', { digest: 'sha256-…' });
 * const { decision } = policy.collect({ now: Date.now(), jurisdiction: 'EU', event });
 * if (decision.allow) store(decision.records);
 * ```
 */
export function loadPolicy(source: PolicySource, options: LoadPolicyOptions = {}): Promise<Policy> {
  const settings = settle(source, options);
  // openPolicy never rejects; only the chunk itself can fail to arrive.
  return import('./open-policy.js').then(
    ({ openPolicy }) => openPolicy(settings),
    (cause: unknown) =>
      createClosedPolicy(
        new ConsentGateError(ErrorCode.PolicyFetchFailed, 'engine chunk', { cause }),
      ),
  );
}

function settle(source: PolicySource, options: LoadPolicyOptions): PolicySettings {
  if (typeof options !== 'object' || options === null) invalid('options');
  const { digest, signal } = options;
  const maxBytes = count(options.maxBytes, 'maxBytes', 1, 2 ** 31, DEFAULT_MAX_BYTES);
  let url: URL | null = null;
  let parts: PolicySettings['parts'] = null;
  if (typeof source === 'string' || source instanceof URL) {
    try {
      url = new URL(source, (globalThis as { location?: { href: string } }).location?.href);
    } catch {
      invalid(`source URL ${String(source)}`);
    }
  } else if (typeof source === 'object' && source !== null) {
    const { manifest, wasm, data, signatures } = source;
    if (
      !usable(manifest, true) ||
      !usable(wasm, false) ||
      !usable(data, true) ||
      (signatures !== undefined && !usable(signatures, true))
    ) {
      invalid('source { manifest, wasm, data }');
    }
    // Bytes are copied now, so the caller cannot change them between verification and use.
    parts = {
      manifest: own(manifest, maxBytes),
      wasm: own(wasm, maxBytes),
      data: own(data, maxBytes),
      signatures: own(signatures, maxBytes),
    };
  } else {
    invalid('source');
  }
  const fetcher = options.fetch ?? globalThis.fetch?.bind(globalThis);
  if (typeof fetcher !== 'function') invalid('fetch');
  if (signal !== undefined && !(signal instanceof AbortSignal)) invalid('signal');
  if (digest !== undefined && typeof digest !== 'string') invalid('digest');
  const { signature } = options;
  if (
    signature !== undefined &&
    ((typeof signature?.publicKey !== 'object' && typeof signature?.publicKey !== 'string') ||
      !['RS256', 'ES256', undefined].includes(signature.algorithm))
  ) {
    invalid('signature');
  }
  return {
    url,
    parts,
    digest:
      digest === undefined
        ? null
        : /^[0-9a-f]{64}$/i.test(digest)
          ? digest.toLowerCase()
          : fromSriDigest(digest),
    signature: signature ?? null,
    maxBytes,
    maxPages: count(options.maxMemoryPages, 'maxMemoryPages', 2, MAX_PAGES, DEFAULT_MAX_PAGES),
    cacheSize: count(options.cacheSize, 'cacheSize', 0, 2 ** 20, DEFAULT_CACHE_SIZE),
    fetch: fetcher,
    signal,
  };
}

/** Whether `part` is a Response, bytes, or (when `json`) a parsed JSON object. */
function usable(part: unknown, json: boolean): boolean {
  if (typeof part !== 'object' || part === null) return false;
  if (part instanceof ArrayBuffer || ArrayBuffer.isView(part)) return true;
  return json || (typeof Response === 'function' && part instanceof Response);
}

/** Copies bytes that are within the cap; anything else is passed on for the engine to judge. */
function own(part: unknown, maxBytes: number): unknown {
  if (part instanceof ArrayBuffer) part = new Uint8Array(part);
  if (ArrayBuffer.isView(part) && part.byteLength <= maxBytes) {
    return new Uint8Array(part.buffer, part.byteOffset, part.byteLength).slice();
  }
  return part;
}

function count(value: unknown, name: string, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || (value as number) < min || (value as number) > max) {
    invalid(`${name}: an integer ${min}..${max}`);
  }
  return value as number;
}

/** Throws for an integration mistake; the message names the option (terse, STYLE §3). */
function invalid(message: string): never {
  throw new ConsentGateError(ErrorCode.SdkInvalidOptions, message);
}
