import { ConsentGateError, ErrorCode, fromSriDigest } from '@consentgate/core';

import { createClosedPolicy } from './create-closed-policy.js';
import type { LoadPolicyOptions, Policy, PolicySource } from './policy.js';
import type { PolicySettings } from './policy-settings.js';

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
        new ConsentGateError(ErrorCode.PolicyEngineFailed, 'the policy engine chunk did not load', {
          cause,
        }),
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
