import { readFileSync } from 'node:fs';

import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';

import { ErrorCode } from '@consentgate/core';
import type { Notice } from '@consentgate/core';

import type { BundleManifest } from '../../../test/support/golden.js';
import { createFallbackNotice } from './create-fallback-notice.js';
import { loadPolicy } from './load-policy.js';
import type { Policy } from './policy.js';

const dist = new URL('../../../policies/dist/', import.meta.url);
const bundle = {
  manifest: JSON.parse(readFileSync(new URL('manifest.json', dist), 'utf8')) as BundleManifest,
  wasm: readFileSync(new URL('policy.wasm', dist)),
  data: readFileSync(new URL('data.json', dist)),
};
const data = JSON.parse(bundle.data.toString('utf8')) as unknown;

let policy: Policy;

beforeAll(async () => {
  policy = await loadPolicy(bundle, { digest: bundle.manifest.digest });
});

afterEach(() => {
  vi.restoreAllMocks();
});

/** The policy's own notice with nothing allowed, which is what the fallback must equal. */
function nothingAllowed(notice: Notice | null): unknown {
  return notice && { ...notice, purposes: notice.purposes.map((p) => ({ ...p, allowed: false })) };
}

describe(createFallbackNotice, () => {
  it.each([
    ['no consent', {}],
    ['GPC', { signals: { gpc: true } }],
    ['consent to analytics only', { consent: { purposes: { analytics: true, marketing: false } } }],
    [
      'every purpose declined and GPC',
      {
        signals: { gpc: true },
        consent: { purposes: { analytics: false, marketing: false, personalization: false } },
      },
    ],
  ])('equals the policy strict-default notice with nothing allowed, for %s', (_case, input) => {
    const strict = policy.notice({ now: 0, jurisdiction: 'nowhere', ...input });

    const fallback = createFallbackNotice(data, input);

    expect(strict.error).toBeUndefined();
    expect(fallback).toEqual(nothingAllowed(strict.decision));
    expect(Object.isFrozen(fallback?.purposes[0])).toBe(true);
  });

  it('is strict whatever jurisdiction is asked for', () => {
    const fallback = createFallbackNotice(data, { jurisdiction: 'US-CA' });

    expect(fallback?.mode).toBe('opt-in');
    expect(fallback?.jurisdiction).toBe('default');
    expect(fallback?.purposes.filter((p) => p.default).map((p) => p.id)).toEqual(['essential']);
  });

  it.each([
    ['no catalog', {}],
    ['a catalog without purposes', { consentgate: { catalog: { version: '1' } } }],
    ['something that is not JSON data', null],
  ])('returns null for %s', (_case, broken) => {
    expect(createFallbackNotice(broken, {})).toBeNull();
  });
});

describe('a policy whose WebAssembly cannot be compiled', () => {
  it('denies with policy/csp-blocked and still answers notice from the catalog', async () => {
    // What Chromium does on a page whose CSP lacks 'wasm-unsafe-eval' (see the browser tests).
    const refused = () => {
      throw new WebAssembly.CompileError('Refused to compile or instantiate WebAssembly module');
    };
    vi.spyOn(WebAssembly, 'compile').mockImplementation(() =>
      Promise.reject(new WebAssembly.CompileError('CSP')),
    );
    vi.spyOn(WebAssembly, 'Module').mockImplementation(refused);

    const blocked = await loadPolicy(bundle, { digest: bundle.manifest.digest });
    const notice = blocked.notice({ now: 0, jurisdiction: 'EU' });

    expect(blocked.error?.code).toBe(ErrorCode.PolicyCspBlocked);
    expect(blocked.digest).toBe(bundle.manifest.digest);
    expect(
      blocked.collect({ now: 0, event: { name: 'Page Viewed', keys: [] } }).decision.allow,
    ).toBe(false);
    expect(notice.error?.code).toBe(ErrorCode.PolicyCspBlocked);
    expect(notice.decision).toEqual(createFallbackNotice(data, {}));
  });
});
