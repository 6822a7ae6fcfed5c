import { ConsentGateError, ErrorCode, createEmitter, isConsentGateError } from '@consentgate/core';
import type { Unsubscribe } from '@consentgate/core';
import { render } from 'preact';

import { assertOptions } from './assert-options.js';
import { checkChoices } from './check-choices.js';
import { followConsent } from './follow-consent.js';
import { resolveLocale } from './locale.js';
import { paintWidget } from './paint-widget.js';
import { startWidget } from './start-widget.js';
import { CSS, adoptStyles } from './styles.js';
import { createNavigation } from './view-navigation.js';
import type { Widget, WidgetEvents, WidgetOptions } from './widget.js';
import { createActions } from './widget-actions.js';
import type { WidgetContext } from './widget-context.js';
import { createWidgetState } from './widget-state.js';
import { createConsentWriter } from './write-consent.js';

/**
 * Creates the consent widget, renders it into a shadow root and returns it. It reads the latest
 * receipt and shows the banner when there is none for this notice revision (a hash of the
 * purposes, their texts and the policy digest), so a changed notice asks again. Only trusted
 * (real) user events change consent from the UI; the site's {@link Widget.setConsent} is
 * recorded as `'api'`. Every receipt is written through `storage` before `consent:updated` is
 * emitted, dispatched on `window` as a `CustomEvent` and posted to other tabs; when someone else
 * changes consent (the tracker, another tab), the widget re-reads `storage` and follows.
 *
 * @throws {@link ConsentGateError} `sdk/invalid-options`, synchronously, when an option is
 * invalid.
 *
 * @example
 * ```ts
 * const widget = createWidget({ notice, policyDigest: manifest.digest, storage: store });
 * widget.on('consent:updated', (record) => console.log(record?.purposes));
 * ```
 */
export function createWidget(options: WidgetOptions): Widget {
  assertOptions(options);
  const container = options.container ?? document.body;
  const doc = container.ownerDocument;
  const events = createEmitter<WidgetEvents>({
    onListenerError: (error) =>
      context.report(error, ErrorCode.SdkCallbackFailed, 'a widget listener threw'),
  });

  const host = doc.createElement('consentgate-widget');
  const root = host.attachShadow({ mode: 'open' });
  adoptStyles(root, CSS);
  container.append(host);

  const state = createWidgetState();
  const context: WidgetContext = {
    options,
    notice: options.notice,
    storage: options.storage,
    now: options.now ?? Date.now,
    doc,
    root,
    locale: resolveLocale(options.locale, doc),
    state,
    events,
    report(error, code = ErrorCode.StoreUnavailable, message = 'storage failed') {
      const wrapped = isConsentGateError(error)
        ? error
        : new ConsentGateError(code, message, { cause: error });
      events.emit('error', wrapped);
      return wrapped;
    },
    // `actions` is assigned below; nothing paints before `ready`'s first await.
    paint: () => paintWidget(context, actions),
  };
  const navigation = createNavigation(context);
  const ready = startWidget(context, navigation);
  const listener = followConsent(context, ready, navigation);
  const writer = createConsentWriter(context, ready, listener.post);
  const actions = createActions(context, navigation, writer);

  return {
    host,
    ready,
    show: () => navigation.open('banner'),
    showPreferences: () => navigation.open('preferences'),
    showPrivacyCentre: () => navigation.open('privacy-centre'),
    close: navigation.close,
    destroy() {
      if (state.destroyed) return;
      navigation.close();
      state.destroyed = true;
      listener.stop();
      render(null, root);
      host.remove();
    },
    async setConsent(choices, setOptions = {}) {
      const method = checkChoices(options.notice, choices, setOptions);
      if (!method.ok) return method;
      await ready;
      const result = await writer.commit({ ...state.consent?.purposes, ...choices }, method.value);
      if (result.ok && state.view === 'banner') navigation.close();
      else context.paint();
      return result;
    },
    getConsent: () => state.consent,
    on: (name, fn): Unsubscribe => events.on(name, fn),
  };
}
