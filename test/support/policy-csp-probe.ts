// Runs inside a page served by policy-csp-pages.ts: loads the committed bundle with
// @consentgate/policy under that page's CSP and posts what happened to the parent frame.
import type { PolicyInput } from '@consentgate/core';

/** What the probe reports. */
export interface PolicyCspReport {
  /** `policy.error?.code`, or `null` when the policy is ready. */
  readonly error: string | null;
  readonly collect: { readonly allow: boolean; readonly error: string | null };
  readonly notice: {
    readonly mode: string | null;
    readonly purposes: readonly string[];
    readonly error: string | null;
  };
  /** How many `securitypolicyviolation` events the page saw (CSP refusing to compile wasm). */
  readonly securityViolations: number;
  /** Own properties that appeared on `window` while the policy loaded and decided. */
  readonly leakedGlobals: readonly string[];
  /** Set instead of the rest when the probe itself threw. */
  readonly failure?: string;
}

const CONSENTED: PolicyInput = {
  now: 1763942400000,
  jurisdiction: 'EU',
  consent: { revision: 'r1', purposes: { analytics: true } },
  event: { type: 'track', name: 'Page Viewed', keys: ['path'] },
};

// Vitest's browser transform routes every dynamic import() through its runner, which exists only
// in Vitest's own frames. This is a plain page, so the probe passes import() straight through (set
// before the globals snapshot below, so it is not counted as a leak).
(globalThis as { __vitest_browser_runner__?: unknown }).__vitest_browser_runner__ ??= {
  wrapDynamicImport: (load: () => Promise<unknown>) => load(),
};

let securityViolations = 0;
document.addEventListener('securitypolicyviolation', () => {
  securityViolations += 1;
});

try {
  const before = new Set(Object.getOwnPropertyNames(window));
  const digest = new URLSearchParams(location.search).get('digest') ?? undefined;
  const { loadPolicy } = await import('@consentgate/policy');
  const policy = await loadPolicy('/policies/dist/manifest.json', digest ? { digest } : {});
  const collect = policy.collect(CONSENTED);
  const notice = policy.notice(CONSENTED);

  const report: PolicyCspReport = {
    error: policy.error?.code ?? null,
    collect: { allow: collect.decision.allow, error: collect.error?.code ?? null },
    notice: {
      mode: notice.decision?.mode ?? null,
      purposes: notice.decision?.purposes.map((p) => p.id) ?? [],
      error: notice.error?.code ?? null,
    },
    securityViolations,
    leakedGlobals: Object.getOwnPropertyNames(window).filter((name) => !before.has(name)),
  };
  parent.postMessage(report, location.origin);
} catch (error) {
  // Report instead of leaving the test waiting for a message that never comes.
  parent.postMessage({ failure: String(error) }, location.origin);
}
