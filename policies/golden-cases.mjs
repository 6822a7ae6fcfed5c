// Inputs for the golden test of the WebAssembly target: `npm run policies` evaluates each one with
// the Go evaluator (`opa eval`) and stores the answers in policies/test/golden.json; the Node and
// browser tests demand identical answers from policy.wasm. Cases cross every jurisdiction, consent
// state and GPC value with every event, destination and script the catalog knows, plus hostile ones.

/** A fixed clock: policies never read time themselves. */
const NOW = 1763942400000;

const JURISDICTIONS = ['EU', 'US-CA', 'JP', 'DE', 'BR', undefined];

const CONSENT_STATES = {
  absent: undefined,
  acknowledged: { revision: 'r1', given_at: NOW - 1000, purposes: {} },
  'all-no': {
    revision: 'r1',
    given_at: NOW - 1000,
    purposes: { analytics: false, personalization: false, marketing: false },
  },
  'all-yes': {
    revision: 'r1',
    given_at: NOW - 1000,
    purposes: { analytics: true, personalization: true, marketing: true },
  },
  'analytics-only': {
    revision: 'r1',
    given_at: NOW - 1000,
    purposes: { analytics: true, personalization: false, marketing: false },
  },
  'marketing-only': {
    revision: 'r1',
    given_at: NOW - 1000,
    purposes: { analytics: false, personalization: false, marketing: true },
  },
  'not-booleans': {
    revision: 'r1',
    given_at: NOW - 1000,
    purposes: { analytics: 'true', personalization: 1, marketing: null },
  },
};

const EVENTS = {
  'Page Viewed': ['path', 'title', 'referrer'],
  'Product Viewed': ['sku', 'name', 'category', 'price', 'currency'],
  'Product Added': ['sku', 'quantity', 'price', 'currency'],
  'Checkout Started': [
    'value',
    'currency',
    'item_count',
    'name',
    'email',
    'phone',
    'address',
    'postal_code',
    'note',
  ],
  'Order Completed': ['order_id', 'revenue', 'currency', 'item_count', 'email', 'postal_code'],
  'Page Engagement': ['path', 'dwell_ms', 'scroll_depth'],
};

const PURPOSES = [
  'essential',
  'analytics',
  'personalization',
  'marketing',
  'functional',
  'telemetry',
];
const DESTINATIONS = ['collector', 'ads', 'chat', 'tracker.example'];
const SCRIPTS = [
  { purpose: 'marketing', src: '/vendors/ads-pixel.js' },
  { purpose: 'analytics', src: '/vendors/ads-pixel.js' },
  { purpose: 'marketing', src: '/vendors/unknown.js' },
  { purpose: 'functional', src: '/vendors/chat-widget.js' },
];

function context(jurisdiction, consent, gpc) {
  const input = { now: NOW, signals: { gpc } };
  if (jurisdiction !== undefined) input.jurisdiction = jurisdiction;
  if (consent !== undefined) input.consent = consent;
  return input;
}

/** @returns {{ package: string, entrypoint: string, input: object }[]} */
export function goldenCases() {
  const cases = [];
  const add = (area, input) => cases.push({ entrypoint: `consentgate/${area}/decision`, input });
  for (const jurisdiction of JURISDICTIONS) {
    for (const [state, consent] of Object.entries(CONSENT_STATES)) {
      for (const gpc of [false, true]) {
        const base = context(jurisdiction, consent, gpc);
        add('notice', base);
        for (const script of SCRIPTS) add('script', { ...base, script });
        for (const [name, keys] of Object.entries(EVENTS)) {
          add('collect', {
            ...base,
            event: { type: 'track', name, keys: [...keys, 'ip', 'shoe_size'] },
          });
        }
        add('collect', {
          ...base,
          event: { type: 'track', name: 'Password Typed', keys: ['password'] },
        });
        // Egress crosses every destination and purpose for the richest events, for a subset of
        // consent states (the others only differ through the same purpose rules).
        if (['absent', 'acknowledged', 'all-yes', 'analytics-only'].includes(state)) {
          for (const name of ['Order Completed', 'Product Viewed', 'Page Viewed']) {
            for (const purpose of PURPOSES) {
              for (const destination of DESTINATIONS) {
                add('egress', {
                  ...base,
                  destination,
                  event: { type: 'track', name, purpose, keys: [...EVENTS[name], 'ip'] },
                });
              }
            }
          }
        }
      }
    }
  }
  // Malformed inputs must still produce a (denying) decision, identically in both evaluators.
  add('collect', { jurisdiction: 'EU', event: { name: 'Product Viewed', keys: ['sku'] } });
  add('collect', {
    now: 'yesterday',
    jurisdiction: 'EU',
    event: { name: 'Product Viewed', keys: ['sku'] },
  });
  add('collect', {
    now: NOW,
    jurisdiction: 'US-CA',
    consent: { purposes: {} },
    event: { name: 'Product Viewed', keys: 'sku' },
  });
  add('collect', {
    now: NOW,
    jurisdiction: 42,
    consent: { purposes: [] },
    event: { name: 7, keys: [1, null, 'sku'] },
  });
  add('egress', { jurisdiction: 'EU', consent: { purposes: { analytics: true } } });
  add('script', { jurisdiction: 'US-CA', consent: { purposes: {} }, script: { src: 42 } });
  add('notice', { jurisdiction: ['EU'], signals: { gpc: 'yes' } });
  return cases;
}
