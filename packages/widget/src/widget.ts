// The widget's public types, apart from the factory (create-widget.ts) that implements them, so
// a reader finds the API without scrolling past code and type-only imports make no circles.
import type {
  ConsentGateError,
  ConsentMethod,
  ConsentRecord,
  Emitter,
  Notice,
  Result,
} from '@consentgate/core';

import type { ConsentChoices } from './consent-choices.js';
import type { ConsentStorage } from './consent-storage.js';
import type { MessageOverrides } from './messages.js';

/** The views the widget can show; `undefined` where none is open. */
export type WidgetView = 'banner' | 'preferences' | 'privacy-centre';

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
   * Called after this widget stored a new receipt, or with `undefined` after everything was
   * erased. A throw is caught and emitted as `error` (`sdk/callback-failed`).
   *
   * @default undefined
   */
  onConsent?: (record: Readonly<ConsentRecord> | undefined) => void;
}

/** Events of a {@link Widget}, each emitted after the state it reports is committed. */
export type WidgetEvents = {
  /**
   * This widget stored a receipt (`undefined`: it erased everything, so there is no consent now).
   * A change made by someone else (the tracker, another tab) updates `getConsent()` and the open
   * view but is not re-emitted here: whoever made it announces it.
   */
  'consent:updated': [record: Readonly<ConsentRecord> | undefined];
  /** A view was opened. */
  'view:opened': [view: WidgetView];
  /** A view was closed. */
  'view:closed': [view: WidgetView];
  /** Something failed (storage, a listener, loading a chunk); the widget carried on. */
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
   * failures the storage's error (else `widget/consent-not-saved`).
   */
  setConsent(
    choices: ConsentChoices,
    options?: SetConsentOptions,
  ): Promise<Result<Readonly<ConsentRecord>>>;
  /**
   * Returns the current receipt if it answers this notice revision, else `undefined`. It follows
   * receipts written by someone else on this page or in another tab, too.
   */
  getConsent(): Readonly<ConsentRecord> | undefined;
  /** Adds a listener and returns the function that removes it. */
  on: Emitter<WidgetEvents>['on'];
}
