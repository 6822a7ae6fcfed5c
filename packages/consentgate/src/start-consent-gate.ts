import type { ConsentGate, ConsentGateOptions } from './consent-gate.js';
import { createConsentGate } from './create-consent-gate.js';

/**
 * Starts ConsentGate on this page and returns it at once: the policy, the store and the widget
 * load in the background while calls wait. Visitor-facing calls never throw or reject; when the
 * policy cannot be loaded, verified or compiled, every decision denies and the banner still works.
 *
 * The npm entry for sites with a bundler: the widget and the policy engine are dynamic imports, so
 * the bundler splits them into chunks of their own. The script tag (`consentgate.js`) runs this
 * same function from its runtime chunk.
 *
 * @throws {@link ConsentGateError} `sdk/invalid-options` for missing or malformed options.
 *
 * @example
 * ```ts
 * const cg = startConsentGate({
 *   policy: '/policy/manifest.json',
 *   policyDigest: 'sha256-…',
 *   salt: 'a-long-random-site-secret',
 *   collector: 'https://collect.shop.example/v1/batch',
 *   jurisdiction: 'JP',
 * });
 * cg.track('Product Viewed', { sku: 'A1', price: 1200, currency: 'JPY' });
 * ```
 */
export function startConsentGate(options: ConsentGateOptions): ConsentGate {
  return createConsentGate(options, {
    loadWidget: options?.loadWidget ?? (() => import('@consentgate/widget')),
  });
}
