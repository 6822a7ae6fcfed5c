import type { Locale } from './locale.js';
import type { BannerMessages, PanelMessages } from './messages.js';

/**
 * Loads the banner messages of `locale` and returns them. Each locale is its own chunk, fetched
 * only when it is the active one (the IIFE builds pin one locale instead; see `tsup.config.ts`).
 */
export function loadMessages(locale: Locale): Promise<BannerMessages> {
  return locale === 'ja'
    ? import('./messages/ja.js').then((module) => module.ja)
    : import('./messages/en.js').then((module) => module.en);
}

/** Loads the preferences and privacy centre messages of `locale` and returns them. */
export function loadPanelMessages(locale: Locale): Promise<PanelMessages> {
  return locale === 'ja'
    ? import('./messages/ja-panels.js').then((module) => module.jaPanels)
    : import('./messages/en-panels.js').then((module) => module.enPanels);
}
