// The loader in real Chromium: streaming compilation of a fetched policy.wasm, and refusal of
// corrupted, truncated, wrongly pinned and oversized bundles as they come off the network.
import fc from 'fast-check';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';

import { canonicalJson, ErrorCode } from '@consentgate/core';
import type { PolicyInput } from '@consentgate/core';

import type { BundleManifest } from '../../../test/support/golden.js';
import {
  anInput,
  aStep,
  asked,
  mutate,
  viaGenericPath,
} from '../../../test/support/policy-arbitraries.js';
import { generateSigningKey, signatures, signedFiles } from '../../../test/support/sign-bundle.js';
import { loadPolicy } from './load-policy.js';
import type { Policy } from './policy.js';

const MANIFEST_URL = new URL('/policies/dist/manifest.json', location.origin);
const INPUT: PolicyInput = {
  now: 1763942400000,
  jurisdiction: 'EU',
  consent: { revision: 'r1', purposes: { analytics: true } },
  event: { type: 'track', name: 'Page Viewed', keys: ['path'] },
};

let manifest: BundleManifest;

beforeAll(async () => {
  manifest = (await (await fetch(MANIFEST_URL)).json()) as BundleManifest;
});

afterEach(() => {
  vi.restoreAllMocks();
});

/**
 * A fetch that passes policy.wasm's body through `change` chunk by chunk, as a broken CDN or an
 * attacker in the path would, keeping its `application/wasm` type.
 */
function alteringFetch(change: (chunk: Uint8Array, index: number) => Uint8Array[]) {
  return async (url: URL, init: RequestInit): Promise<Response> => {
    const response = await fetch(url, init);
    if (!url.pathname.endsWith('.wasm') || !response.body) return response;
    let index = 0;
    const body = response.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          for (const out of change(chunk, index++)) controller.enqueue(out);
        },
      }),
    );
    return new Response(body, { headers: { 'content-type': 'application/wasm' } });
  };
}

/** Asserts that `policy` is closed with `code` and denies. */
function expectClosed(policy: Policy, code: string): void {
  expect(policy.error?.code).toBe(code);
  expect(policy.collect(INPUT)).toMatchObject({
    decision: { allow: false, records: {} },
    error: { code },
  });
}

describe(loadPolicy, () => {
  it('compiles policy.wasm while it streams in', async () => {
    const streaming = vi.spyOn(WebAssembly, 'compileStreaming');

    const policy = await loadPolicy(MANIFEST_URL, { digest: manifest.digest });

    expect(policy.error).toBeNull();
    expect(streaming).toHaveBeenCalledOnce();
    expect(policy.collect(INPUT).decision.allow).toBe(true);
  });

  it('compiles the verified bytes when the server does not say application/wasm', async () => {
    const streaming = vi.spyOn(WebAssembly, 'compileStreaming');
    const plain = async (url: URL, init: RequestInit) => {
      const response = await fetch(url, init);
      return new Response(await response.arrayBuffer(), { status: response.status });
    };

    const policy = await loadPolicy(MANIFEST_URL, { digest: manifest.digest, fetch: plain });

    expect(policy.error).toBeNull();
    expect(streaming).not.toHaveBeenCalled();
  });

  describe('refuses, as it streams in,', () => {
    it('a policy.wasm with one byte changed', async () => {
      const fetch = alteringFetch((chunk, i) => {
        if (i === 0) chunk.set([(chunk.at(-1) ?? 0) ^ 0xff], chunk.length - 1);
        return [chunk];
      });

      const policy = await loadPolicy(MANIFEST_URL, { digest: manifest.digest, fetch });

      expectClosed(policy, ErrorCode.PolicyIntegrityMismatch);
    });

    it('a truncated policy.wasm', async () => {
      const fetch = alteringFetch((chunk, i) =>
        i === 0 ? [chunk.subarray(0, chunk.length >> 1)] : [],
      );

      const policy = await loadPolicy(MANIFEST_URL, { digest: manifest.digest, fetch });

      expectClosed(policy, ErrorCode.PolicyIntegrityMismatch);
    });

    it('a bundle other than the pinned one', async () => {
      const policy = await loadPolicy(MANIFEST_URL, { digest: '0'.repeat(64) });

      expectClosed(policy, ErrorCode.PolicyIntegrityMismatch);
      expect(policy.notice(INPUT)).toMatchObject({ decision: null });
    });

    it('a policy.wasm larger than maxBytes, without reading all of it', async () => {
      let extra = 0;
      const fetch = alteringFetch((chunk) => {
        // Every chunk comes with 1 MiB of padding, as an endless response would.
        extra += 1;
        return [chunk, new Uint8Array(1024 * 1024)];
      });

      const policy = await loadPolicy(MANIFEST_URL, { maxBytes: 512 * 1024, fetch });

      expectClosed(policy, ErrorCode.PolicyTooLarge);
      expect(policy.error?.message).toMatch(/policy.wasm is larger than maxBytes/);
      expect(extra).toBeLessThanOrEqual(2);
    });
  });

  it.each(['ES256', 'RS256'] as const)(
    'verifies an OPA bundle signature made with %s, with WebCrypto',
    async (algorithm) => {
      const key = await generateSigningKey(algorithm);
      const [wasm = new Uint8Array(), data = new Uint8Array()] = await Promise.all(
        ['policy.wasm', 'data.json'].map(async (name) => {
          const response = await fetch(new URL(name, MANIFEST_URL));
          return new Uint8Array(await response.arrayBuffer());
        }),
      );
      const token = JSON.stringify(await signatures(key, await signedFiles(wasm, data)));
      const withSignature = (url: URL, init: RequestInit) =>
        url.pathname.endsWith('/.signatures.json')
          ? Promise.resolve(new Response(token))
          : fetch(url, init);
      const stranger = await generateSigningKey(algorithm);

      const policy = await loadPolicy(MANIFEST_URL, {
        digest: manifest.digest,
        signature: { publicKey: key.pem, algorithm },
        fetch: withSignature,
      });
      const refused = await loadPolicy(MANIFEST_URL, {
        signature: { publicKey: stranger.pem, algorithm },
        fetch: withSignature,
      });

      expect(policy.error).toBeNull();
      expect(policy.signed).toBe(true);
      expectClosed(refused, ErrorCode.PolicyIntegrityMismatch);
    },
  );

  it('reports policy/memory-exhausted and recovers on a fresh instance', async () => {
    const policy = await loadPolicy(MANIFEST_URL, { digest: manifest.digest, maxMemoryPages: 8 });
    const keys = Array.from({ length: 2000 }, (_, i) => `key_${i}`);

    const failed = policy.collect({ ...INPUT, event: { name: 'Page Viewed', keys } });
    const next = policy.collect(INPUT);

    expect(failed.error?.code).toBe(ErrorCode.PolicyMemoryExhausted);
    expect(failed.decision).toMatchObject({ allow: false, records: {} });
    expect(next.error).toBeUndefined();
    expect(next.decision.allow).toBe(true);
  });

  it('gives the same answers cached as fresh, canonically serialised evaluations, for random inputs', async () => {
    const [fresh, cached] = await Promise.all([
      loadPolicy(MANIFEST_URL, { cacheSize: 0 }),
      loadPolicy(MANIFEST_URL, { cacheSize: 8 }),
    ]);

    fc.assert(
      fc.property(
        fc.array(anInput, { minLength: 1, maxLength: 3 }),
        fc.array(aStep, { minLength: 1, maxLength: 30 }),
        (pool, steps) => {
          for (const step of steps) {
            // Ask, change the input in place as a careless caller might, and ask again.
            for (const input of [asked(pool, step), mutate(pool, step)]) {
              if (input === null) continue;

              const got = cached[step.kind](input as unknown as PolicyInput);
              const want = fresh[step.kind](viaGenericPath(input) as unknown as PolicyInput);

              expect(canonicalJson(got.decision)).toBe(canonicalJson(want.decision));
              expect(got.error?.code).toBe(want.error?.code);
            }
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});
