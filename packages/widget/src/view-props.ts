import type { ConsentRecord, Notice } from '@consentgate/core';

import type { ChoicePreset, ConsentChoices } from './consent-choices.js';
import type { AuditItem, StoredItem } from './consent-storage.js';
import type { Locale } from './locale.js';
import type { Messages } from './messages.js';

/**
 * What the UI asks the widget to do. Handlers get the DOM event, and the widget ignores every
 * consent or data change whose event is not `isTrusted` (a script's `button.click()`).
 */
export interface WidgetActions {
  /** A first-layer or preferences button: accept all, reject all, do not sell. */
  readonly choose: (preset: ChoicePreset, event: Event) => void;
  /** A preferences switch changed. */
  readonly toggle: (purpose: string, event: Event) => void;
  /** "Save my choices". */
  readonly save: (event: Event) => void;
  /** Opens the preferences. */
  readonly customise: () => void;
  /** Opens the privacy centre. */
  readonly privacyCentre: () => void;
  /** Closes the current view (close button, Escape). */
  readonly close: () => void;
  /** Withdraws one purpose and deletes its data. */
  readonly withdraw: (purpose: string, event: Event) => void;
  /** Downloads everything as JSON. */
  readonly exportData: () => void;
  /** Deletes everything on this device. */
  readonly eraseAll: (event: Event) => void;
  /** Keyboard handling of an open dialog: Escape, and Tab kept inside. */
  readonly keydown: (event: KeyboardEvent) => void;
  /** Keeps focus in an open dialog when the backdrop is pressed. */
  readonly backdrop: (event: MouseEvent) => void;
}

/** What the privacy centre lists; `null` for a list that could not be read. */
export interface PrivacyData {
  readonly items: readonly StoredItem[] | null;
  readonly audit: readonly AuditItem[] | null;
  readonly history: readonly ConsentRecord[] | null;
}

/** Everything a view renders from. */
export interface ViewProps {
  readonly notice: Notice;
  readonly m: Messages;
  readonly locale: Locale;
  readonly actions: WidgetActions;
  /** The current answers for this notice revision, if any. */
  readonly consent: Readonly<ConsentRecord> | undefined;
  /** The preferences switches. */
  readonly draft: ConsentChoices;
  /** The privacy centre's data; `undefined` while it loads. */
  readonly data: PrivacyData | undefined;
  /** A confirmation for the live region. */
  readonly status: string;
  /** An error for the alert region. */
  readonly alert: string;
}
