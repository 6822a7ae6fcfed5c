import { readFileSync } from 'node:fs';

import { describe, expect, it, vi } from 'vitest';

import { ErrorCode, toSriDigest } from '@consentgate/core';
import type { PolicyInput } from '@consentgate/core';

import { createTestBundle, flipByte, manifestBytes } from '../../../test/support/policy-bundle.js';
import type { BundleManifest } from '../../../test/support/golden.js';
import { loadPolicy } from './load-policy.js';
import type { Policy } from './policy.js';

const dist = new URL('../../../policies/dist/', import.meta.url);
const wasm = new Uint8Array(readFileSync(new URL('policy.wasm', dist)));
const data = new Uint8Array(readFileSync(new URL('data.json', dist)));
const manifest = JSON.parse(readFileSync(new URL('manifest.json', dist), 'utf8')) as BundleManifest;

const NOW = 1763942400000;
const EU_CHECKOUT: PolicyInput = {
  now: NOW,
  jurisdiction: 'EU',
  consent: { revision: 'r1', purposes: { analytics: true } },
  event: { type: 'track', name: 'Checkout Started', keys: ['value', 'email'] },
};

/** Serves `files` by name the way a static host would, recording what was asked for. */
function serve(files: Record<string, Uint8Array<ArrayBuffer> | number>) {
  return vi.fn((url: URL) => {
    const name = url.pathname.split('/').pop() ?? '';
    const body = files[name];
    if (body === undefined || typeof body === 'number') {
      return Promise.resolve(new Response(null, { status: typeof body === 'number' ? body : 404 }));
    }
    const type = name.endsWith('.wasm') ? 'application/wasm' : 'application/json';
    return Promise.resolve(new Response(body, { headers: { 'content-type': type } }));
  });
}

/** Asserts that every decision of `policy` is a deny carrying `code`. */
function expectClosed(policy: Policy, code: string): void {
  expect(policy.error?.code).toBe(code);
  const collect = policy.collect(EU_CHECKOUT);
  expect(collect.decision).toMatchObject({ allow: false, records: {} });
  expect(collect.error?.code).toBe(code);
  expect(policy.egress({ ...EU_CHECKOUT, destination: 'collector' }).decision).toMatchObject({
    allow: false,
    fields: [],
  });
  expect(
    policy.script({ now: NOW, script: { purpose: 'analytics', src: '/a.js' } }).decision,
  ).toMatchObject({ allow: false });
}

describe(loadPolicy, () => {
  it('loads a bundle from bytes and decides', async () => {
    const policy = await loadPolicy({ manifest, wasm, data }, { digest: manifest.digest });

    const { decision, error } = policy.collect(EU_CHECKOUT);

    expect(policy.error).toBeNull();
    expect(error).toBeUndefined();
    expect(decision.allow).toBe(true);
    expect(Object.keys(decision.records)).toEqual(['analytics']);
    expect(decision.records.analytics?.expires_at).toBe(NOW + 30 * 86_400_000);
  });

  it('exposes the verified manifest and digest', async () => {
    const policy = await loadPolicy({ manifest, wasm, data }, { digest: manifest.digest });

    expect(policy.digest).toBe(manifest.digest);
    expect(policy.pinned).toBe(true);
    expect(policy.manifest).toMatchObject({ digest: manifest.digest, abi_version: '1.3' });
    expect(Object.isFrozen(policy.manifest)).toBe(true);
  });

  it('accepts the pinned digest in Subresource Integrity form', async () => {
    const policy = await loadPolicy(
      { manifest, wasm, data },
      { digest: toSriDigest(manifest.digest) },
    );

    expect(policy.error).toBeNull();
    expect(policy.pinned).toBe(true);
  });

  it('checks an unpinned bundle against its own manifest only', async () => {
    const policy = await loadPolicy({ manifest, wasm, data });

    expect(policy.error).toBeNull();
    expect(policy.pinned).toBe(false);
  });

  it('fetches policy.wasm and data.json next to manifest.json', async () => {
    const fetch = serve({
      'manifest.json': manifestBytes(manifest),
      'policy.wasm': wasm,
      'data.json': data,
    });

    const policy = await loadPolicy('https://cdn.example/p/v1/manifest.json', {
      digest: manifest.digest,
      fetch,
    });

    expect(policy.error).toBeNull();
    expect(fetch.mock.calls.map(([url]) => url.href).sort()).toEqual([
      'https://cdn.example/p/v1/data.json',
      'https://cdn.example/p/v1/manifest.json',
      'https://cdn.example/p/v1/policy.wasm',
    ]);
  });

  it('takes the manifest and data.json as parsed JSON', async () => {
    const parsed = JSON.parse(new TextDecoder().decode(data)) as object;

    const policy = await loadPolicy({ manifest, wasm, data: parsed }, { digest: manifest.digest });

    expect(policy.error).toBeNull();
  });

  it('uses bytes copied at the call, not the caller buffer afterwards', async () => {
    const mine = wasm.slice();

    const loading = loadPolicy({ manifest, wasm: mine, data }, { digest: manifest.digest });
    mine.fill(0);

    expect((await loading).error).toBeNull();
  });

  describe('refuses', () => {
    it('a bundle whose digest is not the pinned one', async () => {
      const policy = await loadPolicy({ manifest, wasm, data }, { digest: 'ab'.repeat(32) });

      expectClosed(policy, ErrorCode.PolicyIntegrityMismatch);
      expect(policy.digest).toBeNull();
    });

    it('a corrupted policy.wasm', async () => {
      const policy = await loadPolicy(
        { manifest, wasm: flipByte(wasm, 1000), data },
        { digest: manifest.digest },
      );

      expectClosed(policy, ErrorCode.PolicyIntegrityMismatch);
    });

    it('a truncated policy.wasm', async () => {
      const policy = await loadPolicy(
        { manifest, wasm: wasm.slice(0, wasm.length - 1), data },
        { digest: manifest.digest },
      );

      expectClosed(policy, ErrorCode.PolicyIntegrityMismatch);
      expect(policy.error?.message).toMatch(/bytes/);
    });

    it('a tampered data.json', async () => {
      const tampered = new TextEncoder().encode(
        new TextDecoder().decode(data).replace('"opt-in"', '"none"  '),
      );

      const policy = await loadPolicy(
        { manifest, wasm, data: tampered },
        { digest: manifest.digest },
      );

      expectClosed(policy, ErrorCode.PolicyIntegrityMismatch);
    });

    it('a manifest whose digest does not cover its files', async () => {
      const forged = {
        ...manifest,
        files: { ...manifest.files, 'data.json': { sha256: 'cd'.repeat(32), bytes: 2 } },
      };

      const policy = await loadPolicy({
        manifest: forged,
        wasm,
        data: new TextEncoder().encode('{}'),
      });

      expectClosed(policy, ErrorCode.PolicyIntegrityMismatch);
      expect(policy.error?.message).toBe('manifest digest');
    });

    it('a manifest that is not JSON', async () => {
      const policy = await loadPolicy({ manifest: new TextEncoder().encode('<html>'), wasm, data });

      expectClosed(policy, ErrorCode.PolicyIntegrityMismatch);
    });

    it('a manifest that lists other entrypoints than the module has', async () => {
      const bundle = await createTestBundle(wasm, data, {
        entrypoints: {
          ...manifest.entrypoints,
          'consentgate/collect/decision': 0,
          'consentgate/notice/decision': 1,
        },
      });

      const policy = await loadPolicy(bundle, { digest: bundle.digest });

      expectClosed(policy, ErrorCode.PolicyIntegrityMismatch);
      expect(policy.error?.message).toMatch(/entrypoints/);
    });

    it('a file larger than maxBytes', async () => {
      const policy = await loadPolicy({ manifest, wasm, data }, { maxBytes: 100_000 });

      expectClosed(policy, ErrorCode.PolicyTooLarge);
      expect(policy.error?.message).toMatch(/larger than maxBytes/);
    });

    it('a stream that grows past maxBytes, without reading it to the end', async () => {
      let pulled = 0;
      const endless = new ReadableStream<Uint8Array>({
        pull(controller) {
          pulled += 1;
          controller.enqueue(new Uint8Array(64 * 1024));
        },
      });
      const response = new Response(endless, { headers: { 'content-type': 'application/wasm' } });

      const policy = await loadPolicy(
        { manifest, wasm: response, data },
        { maxBytes: 1024 * 1024 },
      );

      expectClosed(policy, ErrorCode.PolicyTooLarge);
      expect(pulled).toBeLessThan(20);
    });

    it('a bundle file the server does not have', async () => {
      const fetch = serve({
        'manifest.json': manifestBytes(manifest),
        'policy.wasm': 404,
        'data.json': data,
      });

      const policy = await loadPolicy('https://cdn.example/manifest.json', { fetch });

      expectClosed(policy, ErrorCode.PolicyFetchFailed);
      expect(policy.error?.message).toMatch(/policy.wasm: HTTP 404/);
    });

    it('a bundle that cannot be fetched at all', async () => {
      const fetch = vi.fn(() => Promise.reject(new TypeError('Failed to fetch')));

      const policy = await loadPolicy('https://cdn.example/manifest.json', { fetch });

      expectClosed(policy, ErrorCode.PolicyFetchFailed);
      expect(policy.error?.cause).toBeInstanceOf(TypeError);
    });

    it('a load that timed out', async () => {
      const signal = AbortSignal.abort(new DOMException('slow', 'TimeoutError'));

      const policy = await loadPolicy({ manifest, wasm, data }, { signal });

      expectClosed(policy, ErrorCode.PolicyTimeout);
    });

    it('a load that was aborted for another reason', async () => {
      const controller = new AbortController();
      const fetch = vi.fn((_url: URL, init: RequestInit) => {
        controller.abort(new Error('navigated away'));
        return Promise.reject(init.signal?.reason as Error);
      });

      const policy = await loadPolicy('https://cdn.example/manifest.json', {
        fetch,
        signal: controller.signal,
      });

      expectClosed(policy, ErrorCode.PolicyFetchFailed);
    });

    it('an engine chunk that does not load', async () => {
      vi.resetModules();
      vi.doMock('./open-policy.js', () => {
        throw new TypeError('Failed to fetch dynamically imported module');
      });
      try {
        const fresh = await import('./load-policy.js');

        const policy = await fresh.loadPolicy({ manifest, wasm, data });

        expectClosed(policy, ErrorCode.PolicyEngineFailed);
      } finally {
        vi.doUnmock('./open-policy.js');
        vi.resetModules();
      }
    });
  });

  describe('throws synchronously', () => {
    it.each([
      ['options that are not an object', 'x'],
      ['a digest that is neither hex nor SRI', { digest: 'sha384-abc' }],
      ['a maxBytes that is not a positive integer', { maxBytes: 0 }],
      ['a maxMemoryPages below 2', { maxMemoryPages: 1 }],
      ['a negative cacheSize', { cacheSize: -1 }],
      ['a signal that is not an AbortSignal', { signal: {} }],
    ] as [string, unknown][])('on %s', (_case, options) => {
      const call = () => loadPolicy({ manifest, wasm, data }, options as never);

      expect(call).toThrow(expect.objectContaining({ code: ErrorCode.SdkInvalidOptions }));
    });

    it.each([
      ['a number', 42],
      ['null', null],
      ['a bundle without wasm', { manifest, data }],
      ['a bundle whose wasm is an object', { manifest, data, wasm: {} }],
      ['a relative URL without a base', 'manifest.json'],
    ])('on a source that is %s', (_case, source) => {
      const call = () => loadPolicy(source as never);

      expect(call).toThrow(expect.objectContaining({ code: ErrorCode.SdkInvalidOptions }));
    });
  });
});
