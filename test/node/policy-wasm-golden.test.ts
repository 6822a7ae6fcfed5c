// The compiled WebAssembly target must answer exactly as the Rego the privacy team tested: every
// golden case was evaluated by the Go evaluator (`opa eval`) when `npm run policies` ran.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { loadPolicy } from '@open-policy-agent/opa-wasm';
import { beforeAll, describe, expect, it } from 'vitest';

import { canonicalJson, Entrypoint } from '@consentgate/core';
import type { CollectDecision, EgressDecision, Notice } from '@consentgate/core';

import { conformsToContract, GOLDEN_MISSING } from '../support/golden.js';
import type { BundleManifest, GoldenCase } from '../support/golden.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dist = `${root}policies/dist/`;
const goldenFile = `${root}policies/test/golden.json`;

const wasm = readFileSync(`${dist}policy.wasm`);
const data = readFileSync(`${dist}data.json`);
const manifest = JSON.parse(readFileSync(`${dist}manifest.json`, 'utf8')) as BundleManifest;

type LoadedPolicy = Awaited<ReturnType<typeof loadPolicy>>;
let policy: LoadedPolicy;

beforeAll(async () => {
  policy = await loadPolicy(wasm);
  policy.setData(JSON.parse(data.toString('utf8')) as object);
});

function evaluate<T>(entrypoint: string, input: unknown): T {
  const result = policy.evaluate(input, entrypoint) as { result: T }[];
  expect(result).toHaveLength(1);
  return result[0]!.result; // length asserted above
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('policies/dist', () => {
  it('matches the digests its manifest declares', () => {
    expect(sha256(wasm)).toBe(manifest.files['policy.wasm'].sha256);
    expect(wasm.length).toBe(manifest.files['policy.wasm'].bytes);
    expect(sha256(data)).toBe(manifest.files['data.json'].sha256);
  });

  it('exports every entrypoint the contract names', () => {
    expect(Object.keys(manifest.entrypoints).sort()).toEqual(Object.values(Entrypoint).sort());
    expect(Object.keys(policy.entrypoints as Record<string, number>).sort()).toEqual(
      Object.values(Entrypoint).sort(),
    );
  });

  it('needs no builtin from the JavaScript host', () => {
    // A builtin the wasm runtime lacks is listed by the module's `builtins()` export and would be
    // resolved by opa-wasm's JavaScript (which drags in `yaml` and `sprintf-js`).
    expect(requiredHostBuiltins(wasm)).toEqual({});
  });
});

describe('policy.wasm against the Go evaluator', () => {
  const cases = existsSync(goldenFile)
    ? (JSON.parse(readFileSync(goldenFile, 'utf8')) as GoldenCase[])
    : [];

  it('covers every entrypoint with many cases', () => {
    expect(existsSync(goldenFile), GOLDEN_MISSING).toBe(true);
    const perEntrypoint = new Map<string, number>();
    for (const c of cases)
      perEntrypoint.set(c.entrypoint, (perEntrypoint.get(c.entrypoint) ?? 0) + 1);

    expect([...perEntrypoint.keys()].sort()).toEqual(Object.values(Entrypoint).sort());
    for (const count of perEntrypoint.values()) expect(count).toBeGreaterThanOrEqual(80);
  });

  it('gives the same answer for every golden case', () => {
    const mismatches = cases
      .map((c, index) => ({ index, c, got: evaluate<unknown>(c.entrypoint, c.input) }))
      .filter(({ c, got }) => canonicalJson(got) !== canonicalJson(c.expected));

    expect(mismatches.slice(0, 3)).toEqual([]);
  });

  it('answers every case in the shape the core contract declares', () => {
    const problems = cases.flatMap((c) =>
      conformsToContract(c.entrypoint, c.expected).map((p) => `${c.entrypoint}: ${p}`),
    );

    expect(problems).toEqual([]);
  });
});

describe('policy.wasm decisions people rely on', () => {
  const NOW = 1763942400000;
  const checkout = ['value', 'email', 'address', 'postal_code', 'name', 'phone', 'note', 'ip'];

  it('stores nothing but essential data before consent in the EU', () => {
    const d = evaluate<CollectDecision>(Entrypoint.Collect, {
      now: NOW,
      jurisdiction: 'EU',
      event: { name: 'Checkout Started', keys: checkout },
    });

    expect(d.allow).toBe(false);
    expect(d.records).toEqual({});
    expect(d.reasons).toEqual(['analytics:consent-required', 'marketing:consent-required']);
  });

  it('hashes email for marketing and generalises the address for analytics', () => {
    const d = evaluate<CollectDecision>(Entrypoint.Collect, {
      now: NOW,
      jurisdiction: 'JP',
      consent: { purposes: { analytics: true, marketing: true } },
      event: { name: 'Checkout Started', keys: checkout },
    });

    expect(d.records.marketing?.fields.email).toEqual({ action: 'hash' });
    expect(d.records.analytics?.fields.email).toBeUndefined();
    expect(d.records.analytics?.fields.address).toEqual({ action: 'generalise', method: 'region' });
    expect(d.records.analytics?.fields.postal_code).toEqual({
      action: 'generalise',
      method: 'prefix',
      length: 3,
    });
    expect(d.records.analytics?.dropped).toMatchObject({
      ip: 'never-collected',
      note: 'never-collected',
    });
    expect(d.records.analytics?.expires_at).toBe(NOW + 30 * 86_400_000);
  });

  it('honours GPC as an opt-out of sale and share in California', () => {
    const input = {
      jurisdiction: 'US-CA',
      signals: { gpc: true },
      consent: { purposes: { marketing: true } },
      destination: 'ads',
      event: { name: 'Order Completed', purpose: 'marketing', keys: ['email', 'revenue'] },
    };

    const egress = evaluate<EgressDecision>(Entrypoint.Egress, input);
    const notice = evaluate<Notice>(Entrypoint.Notice, input);

    expect(egress.allow).toBe(false);
    expect(egress.reasons).toEqual(['gpc-opt-out']);
    expect(notice.gpc).toEqual({ detected: true, applied: true });
  });
});

/** Instantiates the module bare and reads its `builtins()` table (the ABI's host-builtin list). */
function requiredHostBuiltins(bytes: Buffer): Record<string, number> {
  const memory = new WebAssembly.Memory({ initial: 2 });
  const abort = () => {
    throw new Error('opa_abort');
  };
  const instance = new WebAssembly.Instance(new WebAssembly.Module(new Uint8Array(bytes)), {
    env: {
      memory,
      opa_abort: abort,
      opa_println: () => {},
      opa_builtin0: abort,
      opa_builtin1: abort,
      opa_builtin2: abort,
      opa_builtin3: abort,
      opa_builtin4: abort,
    },
  });
  const exports = instance.exports as {
    builtins: () => number;
    opa_json_dump: (addr: number) => number;
  };
  const text = new Uint8Array(memory.buffer, exports.opa_json_dump(exports.builtins()));
  return JSON.parse(new TextDecoder().decode(text.subarray(0, text.indexOf(0)))) as Record<
    string,
    number
  >;
}
