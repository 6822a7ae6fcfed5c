// A deferred script after the script tag: calls the method stubs of `window.ConsentGate` while
// the runtime is still loading (the test holds it back), keeps their promises and tells the test.
import type { ProbeWindow } from './consentgate-probe.js';
import { STUBS_CALLED } from './consentgate-probe.js';

const scope = window as unknown as ProbeWindow;
const probe = scope.__probe;
const cg = scope.ConsentGate;

probe.stubsBeforeLoad = cg.instance === undefined;
probe.results.S1 = cg.track('Product Viewed', { sku: 'S1', price: 800, currency: 'JPY' });
probe.results.identify = cg.identify('user-1', { plan: 'gold' });
probe.results.S2 = cg.track('Product Viewed', { sku: 'S2', price: 900, currency: 'JPY' });
parent.postMessage(STUBS_CALLED, location.origin);
