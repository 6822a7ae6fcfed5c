// A classic script before the script tag: calls ConsentGate the way a site does before it has
// loaded, with `push` on the array. The order matters: the first event comes before consent, the
// second after it.
import type { ConsentGateCommand } from '../../packages/consentgate/src/index.js';

const scope = window as unknown as { ConsentGate?: unknown };
const queue = (scope.ConsentGate ??= []) as ConsentGateCommand[];
queue.push(
  ['track', 'Product Viewed', { sku: 'Q1', price: 1200, currency: 'JPY' }],
  ['setConsent', { analytics: true }],
  ['track', 'Product Viewed', { sku: 'Q2', price: 1200, currency: 'JPY' }],
);
