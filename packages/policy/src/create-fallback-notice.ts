import type { Notice } from '@consentgate/core';

import { deepFreeze } from './deep-freeze.js';
import { isNotice } from './is-decision.js';

type Json = Record<string, unknown>;

/**
 * Builds the notice a banner shows when the policy cannot run (WebAssembly blocked by CSP, a
 * failed evaluation), from the bundle's verified data.json, and returns it frozen; `null` when the
 * catalog does not have the expected shape.
 *
 * It is the policy's strict default made stricter: every purpose that needs consent anywhere is
 * opt-in, switched off and not allowed, including purposes that need no consent (nothing can be
 * collected without the policy, so the notice must not claim otherwise). The visitor's answers
 * are still recorded against the same catalog version.
 *
 * @param data - The parsed data.json (`{ consentgate: { catalog } }`).
 * @param input - The notice input; only `signals.gpc` and `consent.purposes` are read.
 */
export function createFallbackNotice(data: unknown, input: unknown): Notice | null {
  try {
    const catalog = ((data as Json).consentgate as Json).catalog as Json;
    const rules = ((catalog.jurisdictions as Json | undefined)?.default ?? {}) as Json;
    const consent = (rules.consent ?? {}) as Json;
    const bases = (rules.legal_basis ?? {}) as Json;
    const gpc = ((input as Json | null)?.signals as Json | undefined)?.gpc === true;
    const given = ((input as Json | null)?.consent as Json | undefined)?.purposes;
    const choices = (typeof given === 'object' && given !== null ? given : {}) as Json;
    const categories = catalog.categories as Json;
    const destinations = catalog.destinations as Record<string, Json>;
    const purposes = Object.entries(catalog.purposes as Record<string, Json>)
      .sort(([a, p], [b, q]) => (p.order as number) - (q.order as number) || (a < b ? -1 : 1))
      .map(([id, purpose]) => {
        const required = consent[id] === 'none';
        const blocked = gpc && purpose.sale_share === true;
        const reasons: string[] = [];
        if (!required && choices[id] === false) reasons.push('consent-declined');
        if (!required && choices[id] !== true && choices[id] !== false) {
          reasons.push('consent-required');
        }
        if (blocked) reasons.push('gpc-opt-out');
        return {
          id,
          consent: required ? 'none' : 'opt-in',
          required,
          default: required,
          locked: required || blocked,
          allowed: false,
          legal_basis: bases[id] ?? 'consent',
          sale_share: purpose.sale_share,
          local_only: purpose.local_only,
          retention_days: purpose.retention_days,
          title: purpose.title,
          description: purpose.description,
          categories: Object.keys(purpose.fields as Json)
            .sort()
            .map((category) => ({ id: category, label: categories[category] })),
          recipients: (purpose.recipients as string[]).map((recipient) => ({
            id: recipient,
            name: destinations[recipient]?.name,
            third_party: destinations[recipient]?.third_party,
          })),
          reasons: reasons.sort(),
        };
      });
    const notice = {
      jurisdiction: 'default',
      regime: rules.regime ?? 'strict default',
      mode: 'opt-in',
      version: catalog.version,
      gpc: { detected: gpc, applied: gpc && purposes.some((p) => p.sale_share === true) },
      controller: catalog.controller,
      purposes,
      reasons: catalog.reasons,
    };
    return isNotice(notice) ? deepFreeze(notice) : null;
  } catch {
    return null;
  }
}
