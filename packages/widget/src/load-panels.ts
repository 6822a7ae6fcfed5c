import { loadPanelMessages } from './load-messages.js';
import type { Locale } from './locale.js';
import type { PanelMessages } from './messages.js';
import type * as PanelViews from './panels.js';

/** The second layer: the preferences and privacy centre views, their CSS and messages. */
export interface Panels {
  readonly views: typeof PanelViews;
  readonly messages: PanelMessages;
}

/**
 * Loads the second layer for `locale` and returns it. The views are a separate chunk in the ESM
 * build, and so is each locale's messages; the IIFE builds inline them.
 */
export async function loadPanels(locale: Locale): Promise<Panels> {
  const [views, messages] = await Promise.all([import('./panels.js'), loadPanelMessages(locale)]);
  return { views, messages };
}
