// The storefront's entry: one full page load per URL, so third-party tags are decided afresh on
// every page, as on a classic shop.
import { createEngagement } from '@consentgate/sdk';
import type { ConsentGate } from 'consentgate';
import { render } from 'preact';

import { createActivity } from './activity.js';
import { COLLECTOR_URL, startShopConsentGate } from './consent-gate.js';
import { MESSAGES } from './messages.js';
import { readPrefs } from './prefs.js';
import { matchRoute, routeTitle } from './routes.js';
import { ShopApp } from './shop-app.js';
import './shop.css';

declare global {
  interface Window {
    /** The running ConsentGate, for the browser console. */
    consentGate?: ConsentGate;
  }
}

/** Longest a link waits for this page's engagement summary to be recorded. */
const LEAVE_WAIT_MS = 400;

const prefs = readPrefs();
const t = MESSAGES[prefs.locale];
const route = matchRoute(new URL(location.href));
document.documentElement.lang = prefs.locale;
document.title = routeTitle(route, t, prefs.locale);

const cg = startShopConsentGate(prefs);
window.consentGate = cg;
const activity = createActivity(cg, COLLECTOR_URL);

// Dwell time and scroll depth are folded on the device into one summary per page; only that
// summary is handed to the tracker (and the policy decides whether it is kept or sent).
let summarised: Promise<unknown> = Promise.resolve();
const engagement = createEngagement({
  report: (summary) => {
    summarised = cg.track('Page Engagement', { ...summary });
  },
});
engagement.start();

/** Leaves for `href` once this page's summary was handed over (or a short wait passed). */
function navigate(href: string): void {
  engagement.stop();
  void Promise.race([
    summarised,
    new Promise((resolve) => setTimeout(resolve, LEAVE_WAIT_MS)),
  ]).then(() => location.assign(href));
}

document.addEventListener('click', (event) => {
  if (event.defaultPrevented || event.button !== 0) return;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const link = (event.target as Element | null)?.closest?.('a[href]');
  if (!(link instanceof HTMLAnchorElement) || link.target || link.hasAttribute('download')) return;
  const url = new URL(link.href);
  if (url.origin !== location.origin) return;
  if (url.pathname === location.pathname && url.search === location.search && url.hash) return;
  event.preventDefault();
  navigate(url.href);
});

void cg.page();

const root = document.getElementById('app');
if (root) {
  render(
    <ShopApp
      shop={{ cg, activity, prefs, t, navigate, rawSamples: () => engagement.rawSampleCount }}
      route={route}
    />,
    root,
  );
}
