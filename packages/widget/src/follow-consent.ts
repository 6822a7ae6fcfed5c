import { CONSENT_UPDATED, consentFromEvent } from '@consentgate/core';

import { callStorage } from './call-storage.js';
import { currentReceipt } from './current-receipt.js';
import { listenForConsent } from './listen-for-consent.js';
import type { ConsentListener } from './listen-for-consent.js';
import { loadPrivacyData } from './load-privacy-data.js';
import type { Navigation } from './view-navigation.js';
import type { WidgetContext } from './widget-context.js';

/**
 * Keeps the widget in `context` in step with consent changed by someone else: the tracker's
 * `setConsent()` or `withdraw()`, another bundle, another tab. On each hint it re-reads the newest
 * receipt from the storage; when that changed, the banner closes if the receipt answers this
 * revision, and the open view repaints. Returns the listener, whose `post` tells other tabs of
 * this widget's own changes.
 */
export function followConsent(
  context: WidgetContext,
  ready: Promise<void>,
  navigation: Navigation,
): ConsentListener {
  const { state } = context;

  async function reread(): Promise<void> {
    await ready;
    if (state.destroyed) return;
    const latest = await callStorage(() => context.storage.consent.latest());
    if (!latest.ok) {
      context.report(latest.error);
      return;
    }
    const next = currentReceipt(latest.value, state.revision);
    if (state.destroyed || next?.id === state.consent?.id) return;
    state.consent = next;
    if (next && state.view === 'banner') {
      navigation.close();
      return;
    }
    if (state.view === 'privacy-centre') void loadPrivacyData(context);
    context.paint();
  }

  return listenForConsent(context.doc.defaultView, (event) => {
    // A DOM event names the receipt now in force. The one this widget holds is news to nobody:
    // it is this widget's own announcement (an erasure names none, and then none is held).
    if (event.type === CONSENT_UPDATED && consentFromEvent(event)?.id === state.consent?.id) return;
    // Queued with the writes, so a re-read never lands between a write and its result.
    state.writes = state.writes.then(reread);
  });
}
