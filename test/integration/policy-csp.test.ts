// @consentgate/policy under a real Content-Security-Policy in Chromium: on a page whose CSP lacks
// 'wasm-unsafe-eval' nothing is allowed (policy/csp-blocked) but the banner can still be shown;
// on a page that allows it the policy decides. Each page runs in an iframe served with its own CSP
// header by test/support/policy-csp-pages.ts and reports back with postMessage.
import { beforeAll, describe, expect, it } from 'vitest';

import { ErrorCode } from '@consentgate/core';

import type { BundleManifest } from '../support/golden.js';
import type { PolicyCspReport } from '../support/policy-csp-probe.js';
import { POLICY_CSP_PAGES } from '../support/policy-csp-pages.js';
import type { POLICY_CSP } from '../support/policy-csp-pages.js';

let digest: string;
/** The catalog's purposes in display order, as every notice lists them. */
let purposes: string[];

beforeAll(async () => {
  const [manifest, data] = await Promise.all(
    ['manifest.json', 'data.json'].map(async (name) => {
      const response = await fetch(`/policies/dist/${name}`);
      return (await response.json()) as unknown;
    }),
  );
  digest = (manifest as BundleManifest).digest;
  const catalog = (
    data as { consentgate: { catalog: { purposes: Record<string, { order: number }> } } }
  ).consentgate.catalog;
  purposes = Object.entries(catalog.purposes)
    .sort(([a, p], [b, q]) => p.order - q.order || (a < b ? -1 : 1))
    .map(([id]) => id);
});

/** Opens the probe page `page` in an iframe and returns its report. */
async function probe(page: keyof typeof POLICY_CSP): Promise<PolicyCspReport> {
  const iframe = document.createElement('iframe');
  const report = new Promise<PolicyCspReport>((resolve) => {
    window.addEventListener('message', function onMessage(event: MessageEvent<PolicyCspReport>) {
      if (event.source !== iframe.contentWindow) return;
      window.removeEventListener('message', onMessage);
      resolve(event.data);
    });
  });
  iframe.src = `${POLICY_CSP_PAGES}${page}.html?digest=${digest}`;
  document.body.append(iframe);
  try {
    const result = await report;
    if (result.failure !== undefined) throw new Error(`the probe page failed: ${result.failure}`);
    return result;
  } finally {
    iframe.remove();
  }
}

describe('a page whose CSP lacks wasm-unsafe-eval', () => {
  let report: PolicyCspReport;

  beforeAll(async () => {
    report = await probe('blocked');
  });

  it('is served with that CSP, which refuses to compile the policy', async () => {
    const response = await fetch(`${POLICY_CSP_PAGES}blocked.html`);

    expect(response.headers.get('content-security-policy')).toBe("script-src 'self'");
    expect(report.securityViolations).toBeGreaterThan(0);
  });

  it('denies with policy/csp-blocked', () => {
    expect(report.error).toBe(ErrorCode.PolicyCspBlocked);
    expect(report.collect).toEqual({ allow: false, error: ErrorCode.PolicyCspBlocked });
  });

  it('still has the banner data: a strict opt-in notice from the verified catalog', () => {
    expect(report.notice).toEqual({
      mode: 'opt-in',
      purposes,
      error: ErrorCode.PolicyCspBlocked,
    });
  });
});

describe('a page whose CSP allows wasm-unsafe-eval', () => {
  let report: PolicyCspReport;

  beforeAll(async () => {
    report = await probe('allowed');
  });

  it('decides with the policy', () => {
    expect(report.error).toBeNull();
    expect(report.collect).toEqual({ allow: true, error: null });
    expect(report.notice).toEqual({
      mode: 'opt-in',
      purposes,
      error: null,
    });
    expect(report.securityViolations).toBe(0);
  });

  it('leaves no globals on window (no window.sprintf)', () => {
    expect(report.leakedGlobals).toEqual([]);
  });
});
