import { readFileSync } from 'node:fs';

import { describe, expect, it, vi } from 'vitest';

import { ErrorCode } from '@consentgate/core';
import type { PolicyInput } from '@consentgate/core';

import { fakeOpaWasm } from '../../../test/support/fake-opa-wasm.js';
import type { FakeOpaOptions } from '../../../test/support/fake-opa-wasm.js';
import { createTestBundle, TINY_DATA } from '../../../test/support/policy-bundle.js';
import type { BundleManifest } from '../../../test/support/golden.js';
import { loadPolicy } from './load-policy.js';
import { openPolicy } from './open-policy.js';

const dist = new URL('../../../policies/dist/', import.meta.url);
const wasm = new Uint8Array(readFileSync(new URL('policy.wasm', dist)));
const data = new Uint8Array(readFileSync(new URL('data.json', dist)));
const manifest = JSON.parse(readFileSync(new URL('manifest.json', dist), 'utf8')) as BundleManifest;

const NOW = 1763942400000;
const INPUT: PolicyInput = {
  now: NOW,
  jurisdiction: 'EU',
  event: { type: 'track', name: 'Page Viewed', keys: ['path'] },
};

/** Loads a bundle around a fake OPA module that behaves as `options` say. */
async function loadFake(options: FakeOpaOptions, extra: { maxMemoryPages?: number } = {}) {
  const bundle = await createTestBundle(fakeOpaWasm(options), TINY_DATA);
  return loadPolicy(bundle, { digest: bundle.digest, ...extra });
}

/** A collect result set holding `decision`. */
const resultSet = (decision: unknown) => JSON.stringify([{ result: decision }]);

const ALLOW_COLLECT = {
  allow: true,
  event: 'Page Viewed',
  records: {
    analytics: {
      purpose: 'analytics',
      retention_days: 30,
      expires_at: NOW + 30 * 86_400_000,
      anonymous_id: true,
      fields: { path: { action: 'keep' } },
      dropped: {},
    },
  },
  denied: {},
  reasons: [],
};

describe(openPolicy, () => {
  it('returns the decision of a well-formed result', async () => {
    const policy = await loadFake({ result: resultSet(ALLOW_COLLECT) });

    const { decision, error } = policy.collect(INPUT);

    expect(error).toBeUndefined();
    expect(decision).toEqual(ALLOW_COLLECT);
  });

  it('returns frozen decisions, so a caller cannot change what the cache hands out', async () => {
    const policy = await loadFake({ result: resultSet(ALLOW_COLLECT) });

    const answer = policy.collect(INPUT);

    expect(Object.isFrozen(answer)).toBe(true);
    expect(Object.isFrozen(answer.decision.records.analytics?.fields.path)).toBe(true);
    expect(() => {
      (answer.decision as { allow: boolean }).allow = false;
    }).toThrow(TypeError);
    expect(policy.collect(INPUT).decision.allow).toBe(true);
  });

  describe('denies, emits error and returns the code for', () => {
    it.each([
      ['an empty result set', '[]', ErrorCode.PolicyUndefinedResult],
      ['a null result', resultSet(null), ErrorCode.PolicyUndefinedResult],
      ['a result set without a result', '[{}]', ErrorCode.PolicyUndefinedResult],
      ['a result that is not JSON', '[{"result": {', ErrorCode.PolicyMalformedResult],
      [
        'two results',
        `[${resultSet(ALLOW_COLLECT).slice(1, -1)},${resultSet(ALLOW_COLLECT).slice(1, -1)}]`,
        ErrorCode.PolicyMalformedResult,
      ],
      [
        'a string allow',
        resultSet({ ...ALLOW_COLLECT, allow: 'true' }),
        ErrorCode.PolicyMalformedResult,
      ],
      [
        'reasons that are not strings',
        resultSet({ ...ALLOW_COLLECT, reasons: [1] }),
        ErrorCode.PolicyMalformedResult,
      ],
      [
        'records that are an array',
        resultSet({ ...ALLOW_COLLECT, records: [] }),
        ErrorCode.PolicyMalformedResult,
      ],
      [
        'an allow without records',
        resultSet({ ...ALLOW_COLLECT, records: {} }),
        ErrorCode.PolicyMalformedResult,
      ],
      [
        'a deny that still has records',
        resultSet({ ...ALLOW_COLLECT, allow: false }),
        ErrorCode.PolicyMalformedResult,
      ],
      [
        'an unknown field action',
        resultSet({
          ...ALLOW_COLLECT,
          records: {
            analytics: {
              ...ALLOW_COLLECT.records.analytics,
              fields: { path: { action: 'encrypt' } },
            },
          },
        }),
        ErrorCode.PolicyMalformedResult,
      ],
      [
        'an unknown generalisation method',
        resultSet({
          ...ALLOW_COLLECT,
          records: {
            analytics: {
              ...ALLOW_COLLECT.records.analytics,
              fields: { path: { action: 'generalise', method: 'blur' } },
            },
          },
        }),
        ErrorCode.PolicyMalformedResult,
      ],
      [
        'a record filed under another purpose',
        resultSet({ ...ALLOW_COLLECT, records: { marketing: ALLOW_COLLECT.records.analytics } }),
        ErrorCode.PolicyMalformedResult,
      ],
    ])('%s', async (_case, result, code) => {
      const policy = await loadFake({ result });
      const onError = vi.fn();
      policy.on('error', onError);

      const { decision, error } = policy.collect(INPUT);

      expect(error?.code).toBe(code);
      expect(decision).toEqual({
        allow: false,
        event: 'Page Viewed',
        records: {},
        denied: {},
        reasons: [code],
      });
      expect(onError).toHaveBeenCalledExactlyOnceWith(error);
    });

    it('a trap while evaluating', async () => {
      const policy = await loadFake({ eval: 'trap' });

      const { decision, error } = policy.egress({ ...INPUT, destination: 'collector' });

      expect(error?.code).toBe(ErrorCode.PolicyEvalFailed);
      expect(error?.cause).toBeInstanceOf(WebAssembly.RuntimeError);
      expect(decision).toEqual({
        allow: false,
        destination: 'collector',
        purpose: null,
        fields: [],
        dropped: {},
        reasons: [],
      });
    });

    it('an opa_abort while evaluating', async () => {
      const policy = await loadFake({ eval: 'abort' });

      const { decision, error } = policy.script({
        now: NOW,
        script: { purpose: 'marketing', src: '/p.js' },
      });

      expect(error?.code).toBe(ErrorCode.PolicyEvalFailed);
      expect((error?.cause as Error).message).toBe('opa_abort: fake policy aborted');
      expect(decision).toEqual({ allow: false, src: '/p.js', purpose: null, reasons: [] });
    });

    it('memory that runs out while evaluating', async () => {
      const policy = await loadFake({ eval: 'exhaust' }, { maxMemoryPages: 8 });

      const { decision, error } = policy.collect(INPUT);

      expect(error?.code).toBe(ErrorCode.PolicyMemoryExhausted);
      expect(decision.allow).toBe(false);
    });

    it.each([
      ['a BigInt', { ...INPUT, now: 1n }],
      [
        'a cycle',
        (() => {
          const input: Record<string, unknown> = { now: NOW };
          input.self = input;
          return input;
        })(),
      ],
      [
        'a getter that throws a string',
        {
          now: NOW,
          get event(): never {
            // A dependency throwing a string, as opa-wasm does; the policy must wrap it.
            // eslint-disable-next-line @typescript-eslint/only-throw-error
            throw 'no';
          },
        },
      ],
      [
        'a getter that throws an object',
        {
          now: NOW,
          get event(): never {
            // eslint-disable-next-line @typescript-eslint/only-throw-error
            throw { reason: 'no' };
          },
        },
      ],
    ])('an input with %s', async (_case, input) => {
      const policy = await loadFake({ result: resultSet(ALLOW_COLLECT) });

      const { decision, error } = policy.collect(input as unknown as PolicyInput);

      expect(error?.code).toBe(ErrorCode.PolicyEvalFailed);
      expect(decision).toMatchObject({ allow: false, records: {} });
    });

    it('an entrypoint the module does not have', async () => {
      const entrypoints = { 'consentgate/collect/decision': 1 };
      const bundle = await createTestBundle(
        fakeOpaWasm({ entrypoints: JSON.stringify(entrypoints) }),
        TINY_DATA,
        { entrypoints },
      );
      const policy = await loadPolicy(bundle, { digest: bundle.digest });

      const { decision, error } = policy.script({
        now: NOW,
        script: { purpose: 'ads', src: '/p.js' },
      });

      expect(policy.error).toBeNull();
      expect(error?.code).toBe(ErrorCode.PolicyUndefinedResult);
      expect(decision.allow).toBe(false);
    });
  });

  /** An input whose event has `count` property keys. */
  const withKeys = (count: number): PolicyInput => ({
    ...INPUT,
    event: { name: 'Page Viewed', keys: Array.from({ length: count }, (_, i) => `key_${i}`) },
  });

  it('decides again after running out of memory mid-evaluation, on a fresh instance', async () => {
    const policy = await loadPolicy({ manifest, wasm, data }, { maxMemoryPages: 8 });
    const fresh = await loadPolicy({ manifest, wasm, data });

    const failed = policy.collect(withKeys(2000));
    const next = policy.collect(INPUT);

    expect(failed.error?.code).toBe(ErrorCode.PolicyMemoryExhausted);
    expect((failed.error?.cause as Error).message).toMatch(/opa_malloc/);
    expect(next.error).toBeUndefined();
    expect(next.decision).toEqual(fresh.collect(INPUT).decision);
  });

  it('refuses an input that does not fit in maxMemoryPages', async () => {
    const policy = await loadPolicy({ manifest, wasm, data }, { maxMemoryPages: 8 });

    const failed = policy.collect(withKeys(20_000));
    const next = policy.collect(INPUT);

    expect(failed.error?.code).toBe(ErrorCode.PolicyMemoryExhausted);
    expect(failed.error?.cause).toBeInstanceOf(RangeError);
    expect(next.error).toBeUndefined();
  });

  it('does not let memory creep over many evaluations', async () => {
    // 16 pages leave about 800 KiB of heap. One collect evaluation allocates about 8 KiB, so
    // without the heap reset per evaluation these 2000 would need some 16 MiB.
    const policy = await loadPolicy({ manifest, wasm, data }, { cacheSize: 0, maxMemoryPages: 16 });
    const inputs = Array.from({ length: 2000 }, (_, i) => ({ ...INPUT, now: NOW + i }));

    const answers = inputs.map((input) => policy.collect(input));

    expect(answers.filter((a) => a.error)).toEqual([]);
  });

  it('denies with policy/not-loaded after dispose', async () => {
    const policy = await loadFake({ result: resultSet(ALLOW_COLLECT) });
    policy.collect(INPUT);

    policy.dispose();
    const { decision, error } = policy.collect(INPUT);

    expect(error?.code).toBe(ErrorCode.PolicyNotLoaded);
    expect(decision.allow).toBe(false);
  });

  it('keeps emitting to the other listeners when one throws', async () => {
    const policy = await loadFake({ eval: 'trap' });
    const second = vi.fn();
    policy.on('error', () => {
      throw new Error('listener bug');
    });
    policy.on('error', second);

    const answer = policy.collect(INPUT);

    expect(answer.decision.allow).toBe(false);
    expect(second).toHaveBeenCalledOnce();
  });

  describe('refuses to load, with policy/abi-unsupported,', () => {
    it.each([
      ['ABI 2.0', { abi: [2, 0] }],
      ['ABI 1.1 (no opa_eval fast path)', { abi: [1, 1] }],
      ['a module that needs host builtins', { builtins: '{"yaml.marshal":0}' }],
      ['a module that imports something else', { extraImport: true }],
      ['a module without opa_eval', { omitExport: 'opa_eval' }],
      ['a module without an ABI version', { omitExport: 'opa_wasm_abi_version' }],
      ['a module with its own memory', { ownMemory: true }],
      ['a module with a malformed entrypoint table', { entrypoints: '{"a":"zero"}' }],
    ] as [string, FakeOpaOptions][])('%s', async (_case, options) => {
      const bundle = await createTestBundle(fakeOpaWasm(options), TINY_DATA, {
        abi_version: `${(options.abi ?? [1, 3]).join('.')}`,
      });

      const policy = await loadPolicy(bundle, { digest: bundle.digest });

      expect(policy.error?.code).toBe(ErrorCode.PolicyAbiUnsupported);
      expect(policy.collect(INPUT)).toMatchObject({
        decision: { allow: false, records: {} },
        error: { code: ErrorCode.PolicyAbiUnsupported },
      });
    });
  });

  it('refuses bytes that are not WebAssembly with policy/compile-failed', async () => {
    const bundle = await createTestBundle(new TextEncoder().encode('not wasm'), TINY_DATA);

    const policy = await loadPolicy(bundle, { digest: bundle.digest });

    expect(policy.error?.code).toBe(ErrorCode.PolicyCompileFailed);
    expect(policy.error?.cause).toBeInstanceOf(WebAssembly.CompileError);
  });

  it('refuses data the module cannot parse with policy/compile-failed', async () => {
    const policy = await loadFake({ failDataParse: true });

    expect(policy.error?.code).toBe(ErrorCode.PolicyCompileFailed);
  });

  it('refuses a bundle whose data does not fit in maxMemoryPages', async () => {
    const policy = await loadPolicy({ manifest, wasm, data }, { maxMemoryPages: 2 });

    expect(policy.error?.code).toBe(ErrorCode.PolicyMemoryExhausted);
  });
});
