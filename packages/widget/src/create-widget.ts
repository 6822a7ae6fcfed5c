import {
  ConsentGateError,
  ErrorCode,
  createEmitter,
  err,
  isConsentGateError,
  ok,
} from '@consentgate/core';
import type {
  ConsentMethod,
  ConsentRecord,
  Emitter,
  Notice,
  Result,
  Unsubscribe,
} from '@consentgate/core';
import { h, render } from 'preact';

import { assertOptions } from './assert-options.js';
import { initialChoices, normaliseChoices, presetChoices } from './consent-choices.js';
import type { ChoicePreset, ConsentChoices } from './consent-choices.js';
import type { ConsentStorage } from './consent-storage.js';
import { loadMessages } from './load-messages.js';
import { loadPanels } from './load-panels.js';
import type { Panels } from './load-panels.js';
import { localize, resolveLocale } from './locale.js';
import { format, mergeMessages } from './messages.js';
import type { BannerMessages, MessageOverrides, Messages, PanelMessages } from './messages.js';
import { noticeRevision } from './notice-revision.js';
import { CSS, adoptStyles } from './styles.js';
import type { PrivacyData, WidgetActions, WidgetView } from './view-props.js';
import { WidgetRoot } from './widget-root.js';

/** How long an export's `blob:` URL lives after its download started, in milliseconds. */
const EXPORT_URL_LIFETIME_MS = 60_000;

/** Elements a keyboard user can reach inside a dialog, in DOM order. */
const FOCUSABLE = 'a[href],button:not([disabled]),input:not([disabled])';

/** Options for {@link createWidget}. */
export interface WidgetOptions {
  /** What the banner must show here: the policy's `notice` entrypoint decision. */
  notice: Notice;
  /**
   * Digest of the policy bundle in force (`manifest.json`'s `digest`). Part of the notice
   * revision and of every receipt.
   */
  policyDigest: string;
  /** Where receipts are written and the privacy centre reads from; a `@consentgate/store` Store. */
  storage: ConsentStorage;
  /**
   * The locale; only its primary subtag counts, and only `ja` and `en` ship messages.
   *
   * @default the page's `<html lang>`, else `'en'`
   */
  locale?: string;
  /**
   * Overrides for some messages of the active locale.
   *
   * @default {} (the shipped messages)
   */
  messages?: MessageOverrides;
  /**
   * The element the widget's host (`<consentgate-widget>`, with an open shadow root) is appended
   * to.
   *
   * @default document.body
   */
  container?: HTMLElement;
  /**
   * Whether to show the persistent floating button that reopens the preferences. Switch it off
   * only when the site offers its own always-visible link to `showPreferences()`.
   *
   * @default true
   */
  reopenButton?: boolean;
  /**
   * The clock, in epoch milliseconds; receipts' `given_at` and the export's file name use it.
   *
   * @default Date.now
   */
  now?: () => number;
  /**
   * Called after a new receipt was stored, or with `null` after everything was erased. A throw is
   * caught and emitted as `error`.
   *
   * @default undefined
   */
  onConsent?: (record: Readonly<ConsentRecord> | null) => void;
}

/** Events of a {@link Widget}, each emitted after the state it reports is committed. */
export type WidgetEvents = {
  /** A receipt was stored (`null`: everything was erased, so there is no consent now). */
  'consent:updated': [record: Readonly<ConsentRecord> | null];
  /** A view was opened. */
  'view:opened': [view: WidgetView];
  /** A view was closed. */
  'view:closed': [view: WidgetView];
  /** Something failed (storage, a listener, loading messages); the widget carried on. */
  error: [error: ConsentGateError];
};

/** Options for {@link Widget.setConsent}. */
export interface SetConsentOptions {
  /**
   * How the choice came about, as recorded in the receipt: `'api'` for the site's own UI or
   * account settings, `'signal'` for a browser signal the site applied.
   *
   * @default 'api'
   */
  method?: Extract<ConsentMethod, 'api' | 'signal'>;
}

/** A running widget: the consent UI of one page. */
export interface Widget {
  /** The host element; its open shadow root holds the UI. */
  readonly host: HTMLElement;
  /**
   * Resolves once the messages and the stored consent are loaded and the first view (the
   * banner, when the visitor must be asked) is on screen. Never rejects.
   */
  readonly ready: Promise<void>;
  /** Opens the banner (first layer). */
  show(): void;
  /** Opens the preferences. */
  showPreferences(): void;
  /** Opens the privacy centre ("My data"). */
  showPrivacyCentre(): void;
  /** Closes whatever is open, without recording a choice, and returns focus. */
  close(): void;
  /** Removes the widget from the page; later calls do nothing. */
  destroy(): void;
  /**
   * Records a choice made outside the widget (the site's own settings, a signal) with `method`
   * `'api'` or `'signal'`, and returns the stored receipt. Purposes not in `choices` keep their
   * current answer (off when there is none); locked purposes stay as the policy says. Never
   * rejects: unknown purposes or non-boolean answers give `sdk/invalid-options`, storage
   * failures the storage's error.
   */
  setConsent(
    choices: ConsentChoices,
    options?: SetConsentOptions,
  ): Promise<Result<Readonly<ConsentRecord>>>;
  /** Returns the current receipt if it answers this notice revision, else `null`. */
  getConsent(): Readonly<ConsentRecord> | null;
  /** Adds a listener and returns the function that removes it. */
  on: Emitter<WidgetEvents>['on'];
}

/** Freezes a copied receipt and its nested objects, so listeners get a read-only snapshot. */
function freeze(record: ConsentRecord): Readonly<ConsentRecord> {
  Object.freeze(record.purposes);
  Object.freeze(record.signals);
  return Object.freeze(record);
}

/** Returns the deepest focused element, through open shadow roots. */
function deepActiveElement(doc: Document): HTMLElement | null {
  let active = doc.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  // Any focused element has focus(); the cast avoids instanceof, which fails across frames.
  return active as HTMLElement | null;
}

/**
 * Creates the consent widget, renders it into a shadow root and returns it. It reads the latest
 * receipt and shows the banner when there is none for this notice revision (a hash of the
 * purposes, their texts and the policy digest), so a changed notice asks again. Only trusted
 * (real) user events change consent from the UI; the site's {@link Widget.setConsent} is
 * recorded as `'api'`. Every receipt is written through `storage` before `consent:updated` is
 * emitted and dispatched on `window` as a `CustomEvent`.
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
  const { notice, storage, policyDigest } = options;
  const now = options.now ?? Date.now;
  const container = options.container ?? document.body;
  const doc = container.ownerDocument;
  const locale = resolveLocale(options.locale, doc);
  const events = createEmitter<WidgetEvents>({
    onListenerError: (error) => report(error, ErrorCode.SdkInvalidOptions, 'a listener threw'),
  });

  const host = doc.createElement('consentgate-widget');
  const root = host.attachShadow({ mode: 'open' });
  adoptStyles(root, CSS);
  container.append(host);

  let m: BannerMessages | undefined;
  /** The second layer's messages, merged with the overrides, once loaded. */
  let pm: PanelMessages | undefined;
  let views: Panels['views'] | undefined;
  let panelsLoading: Promise<Panels | undefined> | undefined;
  /** A view was opened and its dialog should get focus once rendered. */
  let focusPending = false;
  let revision = '';
  /** The newest receipt if it answers this revision. */
  let consent: ConsentRecord | null = null;
  let view: WidgetView | null = null;
  /** Whether the banner was open before the current view, so closing it goes back there. */
  let fromBanner = false;
  let requested: WidgetView | null = null;
  let draft: ConsentChoices = {};
  let data: PrivacyData | undefined;
  let loads = 0;
  let status = '';
  let alert = '';
  let busy = false;
  let destroyed = false;
  let restoreFocus: HTMLElement | null = null;
  /** Receipts are written one after another, in the order they were made. */
  let writes: Promise<unknown> = Promise.resolve();

  function report(
    error: unknown,
    code: ErrorCode = ErrorCode.StoreUnavailable,
    message = 'storage failed',
  ): ConsentGateError {
    const wrapped = isConsentGateError(error)
      ? error
      : new ConsentGateError(code, message, { cause: error });
    events.emit('error', wrapped);
    return wrapped;
  }

  /** Calls storage, turning a throw or rejection (a broken contract) into a failed Result. */
  async function call<T>(operation: () => Promise<Result<T>>): Promise<Result<T>> {
    try {
      return await operation();
    } catch (error) {
      return err(
        new ConsentGateError(ErrorCode.StoreUnavailable, 'storage threw', { cause: error }),
      );
    }
  }

  function paint(): void {
    if (destroyed || !m) return;
    render(
      h(WidgetRoot, {
        view,
        views,
        reopen: options.reopenButton !== false,
        notice,
        // Views of the second layer render only once `pm` is loaded with them.
        m: { ...m, ...pm } as Messages,
        locale,
        actions,
        consent,
        draft,
        data,
        status,
        alert,
      }),
      root,
    );
    const dialog = root.querySelector<HTMLElement>('.cg-dialog');
    if (focusPending && dialog) {
      focusPending = false;
      dialog.focus();
    }
  }

  /** Loads the second-layer views once; `undefined` (and an `error` event) when that fails. */
  function preparePanels(): Promise<Panels | undefined> {
    panelsLoading ??= loadPanels(locale).then(
      (loaded) => {
        if (!views) adoptStyles(root, loaded.views.PANEL_CSS);
        pm = mergeMessages(loaded.messages, options.messages);
        views = loaded.views;
        return loaded;
      },
      (error: unknown) => {
        panelsLoading = undefined;
        report(error, ErrorCode.SdkInvalidOptions, 'widget panels did not load');
        return undefined;
      },
    );
    return panelsLoading;
  }

  function open(next: WidgetView): void {
    if (destroyed) return;
    if (!m) {
      requested = next;
      return;
    }
    if (next !== 'banner' && !views) {
      void preparePanels().then((loaded) => loaded && open(next));
      return;
    }
    const previous = view;
    if (!previous) restoreFocus = deepActiveElement(doc);
    if (previous === 'banner') fromBanner = true;
    if (next === 'preferences') draft = initialChoices(notice, consent?.purposes);
    if (next === 'privacy-centre') void loadData();
    status = alert = '';
    view = next;
    focusPending = true;
    paint();
    if (previous && previous !== next) events.emit('view:closed', previous);
    if (previous !== next) events.emit('view:opened', next);
  }

  /** Closes the current view; a view opened from the unanswered banner goes back to it. */
  function back(): void {
    if (view && view !== 'banner' && fromBanner && !consent) open('banner');
    else closeAll();
  }

  function closeAll(): void {
    const previous = view;
    if (!previous) return;
    view = null;
    fromBanner = false;
    status = alert = '';
    paint();
    const target = restoreFocus;
    restoreFocus = null;
    if (target?.isConnected && target !== doc.body) target.focus();
    events.emit('view:closed', previous);
  }

  function announce(record: Readonly<ConsentRecord> | null): void {
    events.emit('consent:updated', record);
    doc.defaultView?.dispatchEvent(new CustomEvent('consent:updated', { detail: record }));
    try {
      options.onConsent?.(record);
    } catch (error) {
      report(error, ErrorCode.SdkInvalidOptions, 'onConsent threw');
    }
  }

  async function write(
    choices: ConsentChoices,
    method: ConsentMethod,
  ): Promise<Result<Readonly<ConsentRecord>>> {
    try {
      await ready;
      if (!revision) throw new TypeError('no notice revision (crypto.subtle unavailable?)');
      // The storage assigns id and previous (it owns the hash chain) and deletes what the
      // declined purposes collected: withdrawal is revocation in fact.
      const appended = await call(() =>
        storage.consent.append({
          revision,
          purposes: normaliseChoices(notice, choices),
          jurisdiction: notice.jurisdiction,
          signals: { gpc: notice.gpc.detected },
          method,
          given_at: now(),
          policy_digest: policyDigest,
        }),
      );
      if (!appended.ok) return err(report(appended.error));
      const stored = appended.value;
      const record = freeze({
        ...stored,
        purposes: { ...stored.purposes },
        signals: { ...stored.signals },
      });
      consent = record;
      announce(record);
      return ok(record);
    } catch (error) {
      return err(report(error, ErrorCode.StoreUnavailable, 'consent not saved'));
    }
  }

  function commit(
    choices: ConsentChoices,
    method: ConsentMethod,
  ): Promise<Result<Readonly<ConsentRecord>>> {
    const next = writes.then(() => write(choices, method));
    writes = next;
    return next;
  }

  /** Writes a choice made in the UI; the dialog closes on success and says so on failure. */
  async function commitFromUi(
    choices: ConsentChoices,
    method: ConsentMethod,
    done?: () => string,
  ): Promise<boolean> {
    busy = true;
    const result = await commit(choices, method);
    busy = false;
    if (!result.ok) {
      alert = m?.saveFailed ?? '';
      paint();
      return false;
    }
    if (done) {
      status = done();
      paint();
    } else closeAll();
    return true;
  }

  async function loadData(): Promise<void> {
    const token = ++loads;
    data = undefined;
    const lists = await Promise.all([
      call(() => storage.events.list()),
      call(() => storage.audit.list()),
      call(() => storage.consent.history()),
    ]);
    if (token !== loads) return;
    const [items, audit, history] = lists.map((list) => {
      if (list.ok) return list.value;
      report(list.error);
      return null;
    }) as [PrivacyData['items'], PrivacyData['audit'], PrivacyData['history']];
    data = { items, audit, history };
    paint();
  }

  /** Whether the UI may change consent for `event`: a real user gesture, nothing in flight. */
  function allowed(event: Event): boolean {
    return event.isTrusted && !busy;
  }

  const actions: WidgetActions = {
    choose(preset: ChoicePreset, event) {
      if (allowed(event)) void commitFromUi(presetChoices(notice, preset), 'banner');
    },
    toggle(purpose, event) {
      const input = event.currentTarget as HTMLInputElement;
      if (allowed(event)) draft = { ...draft, [purpose]: input.checked };
      // Re-rendering also puts back a switch a script flipped.
      paint();
    },
    save(event) {
      if (allowed(event)) void commitFromUi(draft, 'banner');
    },
    customise: () => open('preferences'),
    privacyCentre: () => open('privacy-centre'),
    close: back,
    withdraw(purpose, event) {
      if (!allowed(event) || !pm) return;
      const messages = pm;
      const title =
        localize(notice.purposes.find((candidate) => candidate.id === purpose)?.title, locale) ||
        purpose;
      void commitFromUi({ ...consent?.purposes, [purpose]: false }, 'privacy-centre', () => {
        void loadData();
        return format(messages.withdrawn, { purpose: title });
      });
    },
    exportData() {
      void (async () => {
        const exported = await call(() => storage.export());
        if (!exported.ok) {
          report(exported.error);
          alert = pm?.loadFailed ?? '';
          paint();
          return;
        }
        const blob = new Blob([JSON.stringify(exported.value, null, 2)], {
          type: 'application/json',
        });
        const url = URL.createObjectURL(blob);
        const link = doc.createElement('a');
        link.href = url;
        link.download = `consentgate-${new Date(now()).toISOString().slice(0, 10)}.json`;
        root.append(link);
        link.click();
        link.remove();
        setTimeout(() => URL.revokeObjectURL(url), EXPORT_URL_LIFETIME_MS);
      })();
    },
    eraseAll(event) {
      if (!allowed(event)) return;
      busy = true;
      void (async () => {
        const erased = await call(() => storage.eraseAll());
        busy = false;
        if (!erased.ok) {
          report(erased.error);
          alert = pm?.eraseFailed ?? '';
          paint();
          return;
        }
        consent = null;
        // Nothing is answered any more: closing the privacy centre asks again.
        fromBanner = true;
        announce(null);
        status = pm?.erased ?? '';
        void loadData();
        paint();
      })();
    },
    keydown(event) {
      if (event.key === 'Escape') {
        // Escape never records a choice: the banner closes unanswered and asks again next time.
        event.preventDefault();
        event.stopPropagation();
        back();
        return;
      }
      if (event.key !== 'Tab') return;
      const dialog = event.currentTarget as HTMLElement;
      const focusable = [...dialog.querySelectorAll<HTMLElement>(FOCUSABLE)];
      const first = focusable[0];
      const last = focusable[focusable.length - 1];
      const active = root.activeElement;
      if (!first || !last) {
        event.preventDefault();
      } else if (event.shiftKey ? active === first || active === dialog : active === last) {
        event.preventDefault();
        (event.shiftKey ? last : first).focus();
      }
    },
    backdrop(event) {
      // A press on the backdrop would move focus out of the modal dialog to the page.
      if (event.target === event.currentTarget) event.preventDefault();
    },
  };

  const ready: Promise<void> = (async () => {
    const [messages, stored, computed] = await Promise.all([
      loadMessages(locale).catch((error: unknown) => {
        report(error, ErrorCode.SdkInvalidOptions, `messages for ${locale} did not load`);
        return undefined;
      }),
      call(() => storage.consent.latest()),
      noticeRevision(notice, policyDigest).catch((error: unknown) => {
        report(error, ErrorCode.SdkInvalidOptions, 'notice revision needs crypto.subtle');
        return '';
      }),
    ]);
    if (destroyed || !messages) return;
    m = mergeMessages(messages, options.messages);
    revision = computed;
    if (!stored.ok) report(stored.error);
    const latest = stored.ok ? stored.value : undefined;
    consent = latest && revision && latest.revision === revision ? latest : null;
    paint();
    const first = requested ?? (consent ? null : 'banner');
    if (first) open(first);
    // The second layer loads in the background once the banner is up.
    void preparePanels();
  })();

  return {
    host,
    ready,
    show: () => open('banner'),
    showPreferences: () => open('preferences'),
    showPrivacyCentre: () => open('privacy-centre'),
    close: closeAll,
    destroy() {
      if (destroyed) return;
      closeAll();
      destroyed = true;
      render(null, root);
      host.remove();
    },
    async setConsent(choices, setOptions = {}) {
      const { method = 'api' } = setOptions;
      const known = new Set(notice.purposes.map((purpose) => purpose.id));
      const entries = Object.entries(typeof choices === 'object' && choices ? choices : { '': 0 });
      if (
        (method !== 'api' && method !== 'signal') ||
        !entries.every(([id, yes]) => known.has(id) && typeof yes === 'boolean')
      ) {
        return err(
          new ConsentGateError(
            ErrorCode.SdkInvalidOptions,
            'setConsent: choices must map known purpose ids to booleans; method api or signal',
          ),
        );
      }
      await ready;
      const result = await commit({ ...consent?.purposes, ...choices }, method);
      if (result.ok && view === 'banner') closeAll();
      else paint();
      return result;
    },
    getConsent: () => consent,
    on: (name, fn): Unsubscribe => events.on(name, fn),
  };
}
