import type { ConsentMethod } from '@consentgate/core';

import { callStorage } from './call-storage.js';
import { presetChoices } from './consent-choices.js';
import type { ChoicePreset, ConsentChoices } from './consent-choices.js';
import { downloadJson } from './download-json.js';
import { trapFocus } from './focus-trap.js';
import { loadPrivacyData } from './load-privacy-data.js';
import { localize } from './locale.js';
import { format } from './messages.js';
import type { WidgetActions } from './view-props.js';
import type { Navigation } from './view-navigation.js';
import type { WidgetContext } from './widget-context.js';
import type { ConsentWriter } from './write-consent.js';

/** Downloads everything the storage holds as one JSON file; says so when it cannot be read. */
async function exportData(context: WidgetContext): Promise<void> {
  const { state } = context;
  const exported = await callStorage(() => context.storage.export());
  if (!exported.ok) {
    context.report(exported.error);
    state.alert = state.pm?.loadFailed ?? '';
    context.paint();
    return;
  }
  const day = new Date(context.now()).toISOString().slice(0, 10);
  downloadJson(exported.value, `consentgate-${day}.json`, context.root);
}

/** Deletes everything on this device, then announces that there is no consent. */
async function eraseAll(context: WidgetContext, writer: ConsentWriter): Promise<void> {
  const { state } = context;
  state.busy = true;
  const erased = await callStorage(() => context.storage.eraseAll());
  state.busy = false;
  if (!erased.ok) {
    context.report(erased.error);
    state.alert = state.pm?.eraseFailed ?? '';
    context.paint();
    return;
  }
  state.consent = undefined;
  // Nothing is answered any more: closing the privacy centre asks again.
  state.fromBanner = true;
  writer.announce(undefined);
  state.status = state.pm?.erased ?? '';
  void loadPrivacyData(context);
  context.paint();
}

/**
 * Returns what the views of the widget in `context` call. Only trusted (real) user events change
 * consent or data, and only one such change runs at a time.
 */
export function createActions(
  context: WidgetContext,
  navigation: Navigation,
  writer: ConsentWriter,
): WidgetActions {
  const { state, notice, locale } = context;

  /** Whether the UI may change consent for `event`: a real user gesture, nothing in flight. */
  const allowed = (event: Event): boolean => event.isTrusted && !state.busy;

  /** Writes a choice made in the UI; the dialog closes (or shows `done()`) or says it failed. */
  async function commitFromUi(
    choices: ConsentChoices,
    method: ConsentMethod,
    done?: () => string,
  ): Promise<void> {
    state.busy = true;
    const result = await writer.commit(choices, method);
    state.busy = false;
    if (!result.ok) {
      state.alert = state.m?.saveFailed ?? '';
      context.paint();
    } else if (done) {
      state.status = done();
      context.paint();
    } else navigation.close();
  }

  return {
    choose(preset: ChoicePreset, event) {
      if (allowed(event)) void commitFromUi(presetChoices(notice, preset), 'banner');
    },
    toggle(purpose, event) {
      const input = event.currentTarget as HTMLInputElement;
      if (allowed(event)) state.draft = { ...state.draft, [purpose]: input.checked };
      // Re-rendering also puts back a switch a script flipped.
      context.paint();
    },
    save(event) {
      if (allowed(event)) void commitFromUi(state.draft, 'banner');
    },
    customise: () => navigation.open('preferences'),
    privacyCentre: () => navigation.open('privacy-centre'),
    close: navigation.back,
    withdraw(purpose, event) {
      const messages = state.pm;
      if (!allowed(event) || !messages) return;
      const title =
        localize(notice.purposes.find((candidate) => candidate.id === purpose)?.title, locale) ||
        purpose;
      void commitFromUi({ ...state.consent?.purposes, [purpose]: false }, 'privacy-centre', () => {
        void loadPrivacyData(context);
        return format(messages.withdrawn, { purpose: title });
      });
    },
    exportData: () => void exportData(context),
    eraseAll(event) {
      if (allowed(event)) void eraseAll(context, writer);
    },
    keydown(event) {
      if (event.key === 'Escape') {
        // Escape never records a choice: the banner closes unanswered and asks again next time.
        event.preventDefault();
        event.stopPropagation();
        navigation.back();
        return;
      }
      trapFocus(event, context.root);
    },
    backdrop(event) {
      // A press on the backdrop would move focus out of the modal dialog to the page.
      if (event.target === event.currentTarget) event.preventDefault();
    },
  };
}
