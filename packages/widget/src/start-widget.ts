import { ErrorCode, noticeRevision } from '@consentgate/core';

import { callStorage } from './call-storage.js';
import { currentReceipt } from './current-receipt.js';
import { loadMessages } from './load-messages.js';
import { mergeMessages } from './messages.js';
import { preparePanels } from './prepare-panels.js';
import type { Navigation } from './view-navigation.js';
import type { WidgetContext } from './widget-context.js';

/**
 * Loads the banner messages, the newest receipt and the notice revision of the widget in
 * `context` at once, paints, and opens the first view: the one asked for meanwhile, else the
 * banner when no receipt answers this revision. Then loads the second layer in the background.
 * Resolves when the first view is on screen; never rejects (each failure emits `error`).
 */
export async function startWidget(context: WidgetContext, navigation: Navigation): Promise<void> {
  const { state, locale, notice, options } = context;
  const [messages, stored, revision] = await Promise.all([
    loadMessages(locale).catch((error: unknown) => {
      context.report(error, ErrorCode.WidgetChunkFailed, `messages for ${locale} did not load`);
      return undefined;
    }),
    callStorage(() => context.storage.consent.latest()),
    // Without crypto.subtle (an insecure context) there is no revision: the banner still asks,
    // and each attempt to save reports `widget/consent-not-saved`.
    noticeRevision(notice, options.policyDigest).catch(() => undefined),
  ]);
  if (state.destroyed) return;
  state.revision = revision;
  if (!stored.ok) context.report(stored.error);
  state.consent = currentReceipt(stored.ok ? stored.value : undefined, revision);
  // Without messages there is no UI, but getConsent() and setConsent() still work.
  if (!messages) return;
  state.m = mergeMessages(messages, options.messages);
  context.paint();
  const first = state.requested ?? (state.consent ? undefined : 'banner');
  if (first) navigation.open(first);
  // The second layer loads in the background once the banner is up.
  void preparePanels(context);
}
