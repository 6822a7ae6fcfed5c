import type { ConsentRecord } from '@consentgate/core';

import type { ConsentChoices } from './consent-choices.js';
import type { Panels } from './load-panels.js';
import type { BannerMessages, PanelMessages } from './messages.js';
import type { PrivacyData } from './view-props.js';
import type { WidgetView } from './widget.js';

/**
 * Everything about one widget that changes while it runs, in one object: what is loaded, what is
 * open, what the visitor answered, and what is in flight. `paint()` renders from it alone.
 */
export interface WidgetState {
  /** The banner messages merged with the overrides; nothing is painted before they load. */
  m: BannerMessages | undefined;
  /** The second layer's messages merged with the overrides, once loaded. */
  pm: PanelMessages | undefined;
  /** The second-layer views, once loaded. */
  views: Panels['views'] | undefined;
  /** The second layer while it loads (it loads once; a failure clears it for a retry). */
  panelsLoading: Promise<Panels | undefined> | undefined;
  /** The notice revision receipts cite; `undefined` until computed, or when it cannot be. */
  revision: string | undefined;
  /** The newest receipt if it answers {@link WidgetState.revision}. */
  consent: Readonly<ConsentRecord> | undefined;
  /** The open view. */
  view: WidgetView | undefined;
  /** A view asked for before the messages loaded; opened once they have. */
  requested: WidgetView | undefined;
  /** Whether the banner was open before the current view, so closing it goes back there. */
  fromBanner: boolean;
  /** A view was opened and its dialog should get focus once rendered. */
  focusPending: boolean;
  /** Where focus was before the first view opened; it goes back there on close. */
  restoreFocus: HTMLElement | undefined;
  /** The preferences switches. */
  draft: ConsentChoices;
  /** The privacy centre's lists; `undefined` while they load. */
  data: PrivacyData | undefined;
  /** Counts privacy-centre loads, so only the newest one is shown. */
  loads: number;
  /** A confirmation for the live region. */
  status: string;
  /** An error for the alert region. */
  alert: string;
  /** A choice made in the UI is being written; further clicks wait. */
  busy: boolean;
  /** `destroy()` was called. */
  destroyed: boolean;
  /** Receipts are written (and re-read) one after another, in the order they were asked for. */
  writes: Promise<unknown>;
}

/** Returns the state of a widget that has loaded nothing and shows nothing yet. */
export function createWidgetState(): WidgetState {
  return {
    m: undefined,
    pm: undefined,
    views: undefined,
    panelsLoading: undefined,
    revision: undefined,
    consent: undefined,
    view: undefined,
    requested: undefined,
    fromBanner: false,
    focusPending: false,
    restoreFocus: undefined,
    draft: {},
    data: undefined,
    loads: 0,
    status: '',
    alert: '',
    busy: false,
    destroyed: false,
    writes: Promise.resolve(),
  };
}
