import type { LocalizedText } from '@consentgate/core';

/** The locales the widget ships complete messages for. */
export type Locale = 'en' | 'ja';

/**
 * Picks the widget's locale and returns it: `requested` if given, else the page's
 * `<html lang>`; only the primary subtag counts (`ja-JP` → `ja`), and anything but Japanese
 * becomes English.
 */
export function resolveLocale(requested: string | undefined, doc: Document): Locale {
  const tag = (requested ?? doc.documentElement.lang).trim().toLowerCase();
  return tag.split('-')[0] === 'ja' ? 'ja' : 'en';
}

/**
 * Returns the catalog text for `locale`, falling back to English, then to an empty string. The
 * catalog is untrusted: a non-string entry is ignored rather than rendered.
 */
export function localize(text: LocalizedText | undefined, locale: Locale): string {
  const value = text?.[locale] ?? text?.en;
  return typeof value === 'string' ? value : '';
}
