// The same golden comparison as test/node, in real Chromium: the committed policy.wasm, compiled by
// the browser's own WebAssembly engine, must answer every case exactly as `opa eval` did.
import { loadPolicy } from '@open-policy-agent/opa-wasm';
import { beforeAll, describe, expect, it } from 'vitest';

import { canonicalJson, Entrypoint, sha256Hex } from '@consentgate/core';

import { GOLDEN_MISSING } from '../support/golden.js';
import type { BundleManifest, GoldenCase } from '../support/golden.js';

// Served by Vite from the repository root, the way a site would host the bundle.
const base = new URL('/policies/', location.origin);

type LoadedPolicy = Awaited<ReturnType<typeof loadPolicy>>;
let policy: LoadedPolicy;
let wasm: ArrayBuffer;
let manifest: BundleManifest;

beforeAll(async () => {
  const [wasmResponse, data, manifestResponse] = await Promise.all([
    fetch(new URL('dist/policy.wasm', base)),
    fetch(new URL('dist/data.json', base)).then((r) => r.json() as Promise<object>),
    fetch(new URL('dist/manifest.json', base)),
  ]);
  wasm = await wasmResponse.arrayBuffer();
  manifest = (await manifestResponse.json()) as BundleManifest;
  policy = await loadPolicy(wasm);
  policy.setData(data);
});

describe('policy.wasm in Chromium', () => {
  it('has the digest its manifest declares', async () => {
    expect(await sha256Hex(wasm)).toBe(manifest.files['policy.wasm'].sha256);
  });

  it('answers every golden case exactly as the Go evaluator did', async () => {
    const response = await fetch(new URL('test/golden.json', base));
    expect(response.ok, GOLDEN_MISSING).toBe(true);
    const cases = (await response.json()) as GoldenCase[];

    const mismatches = cases
      .map((c) => {
        const result = policy.evaluate(c.input, c.entrypoint) as { result: unknown }[];
        return { c, got: result[0]?.result };
      })
      .filter(({ c, got }) => canonicalJson(got) !== canonicalJson(c.expected));

    expect(cases.length).toBeGreaterThan(1000);
    expect(new Set(cases.map((c) => c.entrypoint))).toEqual(new Set(Object.values(Entrypoint)));
    expect(mismatches.slice(0, 3)).toEqual([]);
  });
});
