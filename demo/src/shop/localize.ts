import type { LocalizedText, Notice } from '@consentgate/core';

import type { Locale } from './prefs.js';

/** A catalog text in the visitor's language. */
export function localize(text: LocalizedText | undefined, locale: Locale): string {
  return text?.[locale] ?? text?.en ?? '';
}

/**
 * A decision's reason as a person reads it. Reasons come as `code`, `purpose:code`, or, for a
 * collector's refusal, `collector:code:detail`; each known code gets the catalog's text.
 */
export function describeReason(reason: string, notice: Notice | undefined, locale: Locale): string {
  const parts = reason.split(':');
  const texts = notice?.reasons ?? {};
  const title = (id: string) => notice?.purposes.find((p) => p.id === id)?.title;
  for (let i = parts.length - 1; i >= 0; i -= 1) {
    const text = texts[parts[i] ?? ''];
    if (!text) continue;
    const scope = parts.slice(0, i).map((part) => localize(title(part), locale) || part);
    return [...scope, localize(text, locale)].join(locale === 'ja' ? '：' : ': ');
  }
  return reason;
}

/** The title of a purpose in the visitor's language, or its id. */
export function purposeTitle(id: string | undefined, notice: Notice | undefined, locale: Locale) {
  if (!id) return '';
  return localize(notice?.purposes.find((p) => p.id === id)?.title, locale) || id;
}
