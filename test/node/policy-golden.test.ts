// @consentgate/policy's own WebAssembly host (no opa-wasm) must answer every golden case exactly as
// the Go evaluator did (`opa eval`, recorded by `npm run policies`), cached or not.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { beforeAll, describe, expect, it } from 'vitest';

import { canonicalJson, Entrypoint } from '@consentgate/core';
import type { PolicyInput } from '@consentgate/core';
import { loadPolicy } from '@consentgate/policy';
import type { Policy } from '@consentgate/policy';

import { GOLDEN_MISSING } from '../support/golden.js';
import type { BundleManifest, GoldenCase } from '../support/golden.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dist = `${root}policies/dist/`;
const goldenFile = `${root}policies/test/golden.json`;
const manifest = JSON.parse(readFileSync(`${dist}manifest.json`, 'utf8')) as BundleManifest;
const cases = existsSync(goldenFile)
  ? (JSON.parse(readFileSync(goldenFile, 'utf8')) as GoldenCase[])
  : [];

const bundle = () => ({
  manifest: readFileSync(`${dist}manifest.json`),
  wasm: readFileSync(`${dist}policy.wasm`),
  data: readFileSync(`${dist}data.json`),
});

let uncached: Policy;
let cached: Policy;

beforeAll(async () => {
  [uncached, cached] = await Promise.all([
    loadPolicy(bundle(), { digest: manifest.digest, cacheSize: 0 }),
    loadPolicy(bundle(), { digest: manifest.digest }),
  ]);
});

/** Calls the typed helper for a golden case's entrypoint and returns the decision it gave. */
function decide(policy: Policy, c: GoldenCase): unknown {
  const input = c.input as unknown as PolicyInput;
  switch (c.entrypoint) {
    case Entrypoint.Notice:
      return policy.notice(input).decision;
    case Entrypoint.Collect:
      return policy.collect(input).decision;
    case Entrypoint.Egress:
      return policy.egress(input).decision;
    default:
      return policy.script(input).decision;
  }
}

describe(loadPolicy, () => {
  it('loads the committed bundle pinned to its digest', () => {
    expect(uncached.error).toBeNull();
    expect(uncached.pinned).toBe(true);
    expect(uncached.digest).toBe(manifest.digest);
  });

  it('answers every golden case exactly as the Go evaluator did', () => {
    expect(cases.length, GOLDEN_MISSING).toBeGreaterThan(1000);

    const mismatches = cases.filter(
      (c) => canonicalJson(decide(uncached, c)) !== canonicalJson(c.expected),
    );

    expect(new Set(cases.map((c) => c.entrypoint))).toEqual(new Set(Object.values(Entrypoint)));
    expect(mismatches.slice(0, 3)).toEqual([]);
  });

  it('answers every golden case the same from its cache, twice over', () => {
    const first = cases.map((c) => canonicalJson(decide(cached, c)));

    const second = cases.map((c) => canonicalJson(decide(cached, c)));

    const expected = cases.map((c) => canonicalJson(c.expected));
    expect(first.filter((answer, i) => answer !== expected[i])).toEqual([]);
    expect(second.filter((answer, i) => answer !== expected[i])).toEqual([]);
  });

  it('reports no error for any golden case', () => {
    const errors = cases
      .map((c) => {
        const input = c.input as unknown as PolicyInput;
        const kind = c.entrypoint.split('/')[1] as 'notice' | 'collect' | 'egress' | 'script';
        return uncached[kind](input).error?.code;
      })
      .filter((code) => code !== undefined);

    expect(errors).toEqual([]);
  });
});
