/** A window-like object whose `dataLayer` Google tags read. */
export interface DataLayerTarget {
  dataLayer?: unknown[];
}

const DENIED = 'denied';
const GRANTED = 'granted';

/**
 * Pushes the Google Consent Mode v2 default to `target.dataLayer`: every signal denied except
 * `functionality_storage` and `security_storage`, as `gtag('consent', 'default', …)` would.
 *
 * The same command `@consentgate/sdk`'s `createConsentMode().setDefaults()` pushes, written out
 * here because the bootstrap must stay tiny; a unit test keeps the two equal.
 */
export function pushConsentModeDefaults(target: DataLayerTarget): void {
  const gtag = function (..._command: unknown[]) {
    // Tags only recognise commands pushed as a real `arguments` object, as gtag() pushes them.
    // eslint-disable-next-line prefer-rest-params -- see above
    (target.dataLayer ??= []).push(arguments);
  };
  gtag('consent', 'default', {
    ad_storage: DENIED,
    ad_user_data: DENIED,
    ad_personalization: DENIED,
    analytics_storage: DENIED,
    functionality_storage: GRANTED,
    personalization_storage: DENIED,
    security_storage: GRANTED,
    wait_for_update: 500,
  });
}

/** Returns whether a `data-consent-mode` value leaves Consent Mode on: all but `false` do. */
export function consentModeEnabled(attribute: string | undefined): boolean {
  return attribute !== 'false';
}
