import { readFileSync } from 'node:fs';

import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';

import { canonicalJson } from '@consentgate/core';
import type { PolicyInput } from '@consentgate/core';

import {
  anInput,
  aStep,
  asked,
  mutate,
  viaGenericPath,
} from '../../../test/support/policy-arbitraries.js';
import type { BundleManifest } from '../../../test/support/golden.js';
import { createDecisionCache } from './create-decision-cache.js';
import { loadPolicy } from './load-policy.js';
import type { Policy } from './policy.js';

const dist = new URL('../../../policies/dist/', import.meta.url);
const bundle = {
  manifest: JSON.parse(readFileSync(new URL('manifest.json', dist), 'utf8')) as BundleManifest,
  wasm: readFileSync(new URL('policy.wasm', dist)),
  data: readFileSync(new URL('data.json', dist)),
};

describe(createDecisionCache, () => {
  it('returns what was stored', () => {
    const cache = createDecisionCache<number>(2);

    cache.set('a', 1);

    expect(cache.get('a')).toBe(1);
    expect(cache.get('b')).toBeUndefined();
  });

  it('evicts the least recently used entry when full', () => {
    const cache = createDecisionCache<number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.get('a');

    cache.set('c', 3);

    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(1);
    expect(cache.get('c')).toBe(3);
    expect(cache.size).toBe(2);
  });

  it('stores nothing with a capacity of 0', () => {
    const cache = createDecisionCache<number>(0);

    cache.set('a', 1);

    expect(cache.get('a')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('forgets everything on clear', () => {
    const cache = createDecisionCache<number>(2);
    cache.set('a', 1);

    cache.clear();

    expect(cache.size).toBe(0);
  });
});

describe('the decision cache of a policy', () => {
  let fresh: Policy;

  beforeAll(async () => {
    fresh = await loadPolicy(bundle, { cacheSize: 0 });
  });

  it('gives the same answers as fresh, canonically serialised evaluations, for random inputs', async () => {
    // A small cache, so that eviction happens within one run.
    const cached = await loadPolicy(bundle, { cacheSize: 8 });

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
      { numRuns: 300 },
    );
  });

  it('answers a repeated event from the cache, moved to the new now', async () => {
    const cached = await loadPolicy(bundle);
    const input: PolicyInput = {
      now: 1000,
      jurisdiction: 'JP',
      consent: { purposes: { analytics: true } },
      event: { name: 'Page Viewed', keys: ['path', 'referrer'] },
    };
    const first = cached.collect(input);

    const later = cached.collect({
      ...input,
      now: 5000,
      event: { name: 'Page Viewed', keys: ['referrer', 'path', 'path'] },
    });
    const again = cached.collect({ ...input, now: 5000 });

    expect(later.decision.records.analytics?.expires_at).toBe(5000 + 30 * 86_400_000);
    expect(first.decision.records.analytics?.expires_at).toBe(1000 + 30 * 86_400_000);
    expect(again).toBe(later);
    expect(Object.isFrozen(later.decision.records.analytics)).toBe(true);
  });
});
