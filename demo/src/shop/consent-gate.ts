// How the storefront starts ConsentGate: the one call a site makes, with the policy bundle served
// from /policy/, the digest pinned at build time, and the two destinations of the catalog.
import { startConsentGate } from 'consentgate';
import type { ConsentGate } from 'consentgate';

import type { Prefs } from './prefs.js';

/** The first-party collector's batch endpoint (`npm start` runs it on port 8787). */
export const COLLECTOR_URL: string =
  import.meta.env.VITE_COLLECTOR_URL ?? 'http://127.0.0.1:8787/v1/batch';

/** The ads network stand-in's endpoints (served by the demo's Vite server). */
export const ADS_URL = '/vendors/ads/v1/batch';
const ADS_ERASE_URL = '/vendors/ads/v1/erase';

/**
 * The site's hashing secret. A real site generates its own and keeps it out of public repositories;
 * the demo's is public so anyone can check that a hashed email is not the raw one.
 */
const SALT = 'sakura-goods-demo-salt-2026';

/** Starts ConsentGate for this page and returns it; never throws for a visitor. */
export function startShopConsentGate(prefs: Prefs): ConsentGate {
  return startConsentGate({
    policy: '/policy/manifest.json',
    policyDigest: __POLICY_DIGEST__,
    salt: SALT,
    collector: COLLECTOR_URL,
    destinations: { ads: { url: ADS_URL, eraseUrl: ADS_ERASE_URL } },
    jurisdiction: prefs.jurisdiction,
    locale: prefs.locale,
    // What the tagged third parties set; deleted when their purpose is withdrawn.
    cookies: { marketing: ['_ads_id'], functional: ['_chat_session'] },
  });
}
