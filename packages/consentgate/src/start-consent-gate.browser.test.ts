// startConsentGate, the npm entry, in Chromium: the committed policy bundle, real IndexedDB, the
// widget switched off (the script-tag tests in test/integration/ drive the banner).
import { afterEach, describe, expect, it, vi } from 'vitest';

import { ConsentGateError, ErrorCode, toSriDigest } from '@consentgate/core';

import { startConsentGate } from './start-consent-gate.js';
import type { ConsentGate, ConsentGateOptions } from './consent-gate.js';

const SALT = 'a-test-salt-of-some-length';
const cleanups: (() => void)[] = [];

afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
  vi.restoreAllMocks();
});

function start(options: Partial<ConsentGateOptions> = {}): ConsentGate {
  const cg = startConsentGate({
    policy: '/policies/dist/manifest.json',
    salt: SALT,
    jurisdiction: 'EU',
    storeName: `consentgate-npm-${crypto.randomUUID()}`,
    widget: false,
    ...options,
  });
  cleanups.push(() => {
    cg.tracker.destroy();
    cg.store?.close();
  });
  return cg;
}

describe(startConsentGate, () => {
  it('throws sdk/invalid-options for a missing salt, before loading anything', () => {
    const fetch = vi.spyOn(globalThis, 'fetch');

    const call = () => startConsentGate({ policy: '/policies/dist/manifest.json', salt: '' });

    expect(call).toThrow(ConsentGateError);
    expect(call).toThrow(/salt/);
    expect(fetch).not.toHaveBeenCalled();
  });

  it('reports a policy that failed once, however many events it denies', async () => {
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => {});
    const cg = start({ policyDigest: toSriDigest('0'.repeat(64)) });
    const errors: string[] = [];
    cg.on('error', (error) => errors.push(error.code));

    await cg.ready;
    const results = [
      await cg.track('Product Viewed', { sku: 'A1' }),
      await cg.track('Product Viewed', { sku: 'A2' }),
      await cg.page(),
    ];

    expect(results.map((r) => r.stored)).toEqual([0, 0, 0]);
    expect(errors).toEqual([ErrorCode.PolicyIntegrityMismatch]);
    expect(consoleError).toHaveBeenCalledOnce();
    expect(consoleError.mock.calls[0]?.[0]).toMatch(
      /^ConsentGate \[policy\/integrity-mismatch\]: /,
    );
  });

  it('passes the tracker events through on()', async () => {
    const cg = start();
    const heard: string[] = [];
    cg.on('consent:updated', () => heard.push('consent:updated'));
    cg.on('event:stored', (record) => heard.push(`stored ${record.purpose}`));
    cg.on('event:blocked', (event) => heard.push(`blocked ${event.purpose ?? event.name}`));

    await cg.ready;
    await cg.setConsent({ analytics: true });
    await cg.track('Product Viewed', { sku: 'A1' });

    expect(heard.slice(0, 2)).toEqual(['consent:updated', 'stored analytics']);
    expect(heard.slice(2).sort()).toEqual(['blocked marketing', 'blocked personalization']);
  });

  it('throws sdk/invalid-options for an event it does not have', () => {
    const cg = start();

    const call = () => cg.on('event:nope' as 'error', () => {});

    expect(call).toThrow(expect.objectContaining({ code: ErrorCode.SdkInvalidOptions }) as Error);
  });
});
