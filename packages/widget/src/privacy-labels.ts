import type { Notice } from '@consentgate/core';

import { localize } from './locale.js';
import type { Locale } from './locale.js';
import { codeText } from './messages.js';
import type { Messages } from './messages.js';

/** Entries listed per list of the privacy centre; the rest are counted and left to the export. */
export const MAX_LISTED = 50;

/** Returns a copy of `list` sorted newest first by `key`. */
export function newestFirst<T>(list: readonly T[], key: (item: T) => number): T[] {
  return [...list].sort((a, b) => key(b) - key(a));
}

/** Returns the function that writes an epoch-ms time as a date and time in `locale` ('' if none). */
export function dateText(locale: Locale): (ms: number) => string {
  const dates = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  return (ms) => (Number.isFinite(ms) ? dates.format(ms) : '');
}

/** Returns the title of purpose `id` in the notice, or the id itself. */
export function purposeTitle(notice: Notice, id: string, locale: Locale): string {
  const purpose = notice.purposes.find((candidate) => candidate.id === id);
  return (purpose && localize(purpose.title, locale)) || id;
}

/** Returns the name of destination `id` from the notice's recipients, or the id itself. */
export function destinationName(notice: Notice, id: string, locale: Locale): string {
  for (const purpose of notice.purposes) {
    const recipient = purpose.recipients.find((candidate) => candidate.id === id);
    if (recipient) return localize(recipient.name, locale) || id;
  }
  return id;
}

/**
 * Returns the text of a reason, a bare code or `purpose:code` as the collect entrypoint gives it:
 * the catalog's text, else the messages', else the code.
 */
export function reasonText(notice: Notice, reason: string, locale: Locale, m: Messages): string {
  const [purpose, code = ''] = reason.includes(':') ? reason.split(':', 2) : ['', reason];
  const text = localize(notice.reasons[code], locale) || codeText(m.reasons, code);
  return purpose ? `${purposeTitle(notice, purpose, locale)} · ${text}` : text;
}
