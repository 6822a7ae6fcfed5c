// @consentgate/policy in real Chromium: the committed bundle, fetched, verified and compiled by the
// browser's own WebAssembly engine through the package's thin OPA host, must answer every golden
// case exactly as the Go evaluator (`opa eval`) did, cached or not.
import { beforeAll, describe, expect, it } from 'vitest';

import { canonicalJson, Entrypoint } from '@consentgate/core';
import type { PolicyInput } from '@consentgate/core';
import { loadPolicy } from '@consentgate/policy';
import type { Policy } from '@consentgate/policy';

import { GOLDEN_MISSING } from '../support/golden.js';
import type { BundleManifest, GoldenCase } from '../support/golden.js';

let manifest: BundleManifest;
let cases: GoldenCase[];
let uncached: Policy;
let cached: Policy;

beforeAll(async () => {
  manifest = (await (await fetch('/policies/dist/manifest.json')).json()) as BundleManifest;
  const golden = await fetch('/policies/test/golden.json');
  cases = golden.ok ? ((await golden.json()) as GoldenCase[]) : [];
  [uncached, cached] = await Promise.all([
    loadPolicy('/policies/dist/manifest.json', { digest: manifest.digest, cacheSize: 0 }),
    loadPolicy('/policies/dist/manifest.json', { digest: manifest.digest }),
  ]);
});

function decide(policy: Policy, c: GoldenCase): unknown {
  const kind = c.entrypoint.split('/')[1] as 'notice' | 'collect' | 'egress' | 'script';
  return policy[kind](c.input as unknown as PolicyInput).decision;
}

describe(loadPolicy, () => {
  it('loads the committed bundle from its URL, pinned to its digest', () => {
    expect(uncached.error).toBeNull();
    expect(uncached.digest).toBe(manifest.digest);
    expect(uncached.pinned).toBe(true);
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
    const expected = cases.map((c) => canonicalJson(c.expected));

    const first = cases.map((c) => canonicalJson(decide(cached, c)));
    const second = cases.map((c) => canonicalJson(decide(cached, c)));

    expect(first.filter((answer, i) => answer !== expected[i])).toEqual([]);
    expect(second.filter((answer, i) => answer !== expected[i])).toEqual([]);
  });
});
