import type { ConsentGateError, Emitter, ErrorCode, Notice } from '@consentgate/core';

import type { ConsentStorage } from './consent-storage.js';
import type { Locale } from './locale.js';
import type { WidgetEvents, WidgetOptions } from './widget.js';
import type { WidgetState } from './widget-state.js';

/**
 * What every part of one widget shares: its options and surroundings, which never change, its
 * one {@link WidgetState}, and the two things every part does (report an error, repaint).
 */
export interface WidgetContext {
  readonly options: WidgetOptions;
  readonly notice: Notice;
  readonly storage: ConsentStorage;
  /** The clock (epoch ms). */
  readonly now: () => number;
  /** The document the host lives in (perhaps a frame's, not the global one). */
  readonly doc: Document;
  /** The host's shadow root, where the UI renders. */
  readonly root: ShadowRoot;
  readonly locale: Locale;
  readonly state: WidgetState;
  readonly events: Emitter<WidgetEvents>;
  /**
   * Emits `error` and returns the error: a `ConsentGateError` as it is, anything else wrapped
   * with `code` and `message`.
   *
   * @default code `store/unavailable`, message `'storage failed'`
   */
  report(error: unknown, code?: ErrorCode, message?: string): ConsentGateError;
  /** Renders the state into the shadow root. */
  paint(): void;
}
