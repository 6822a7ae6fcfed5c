import type { Notice } from '@consentgate/core';

import type { AuditItem } from './consent-storage.js';
import type { Locale } from './locale.js';
import { codeText, format } from './messages.js';
import type { Messages } from './messages.js';
import {
  MAX_LISTED,
  destinationName,
  newestFirst,
  purposeTitle,
  reasonText,
} from './privacy-labels.js';

/** Props of {@link AuditSection}. */
export interface AuditSectionProps {
  readonly notice: Notice;
  readonly m: Messages;
  readonly locale: Locale;
  /** The audit trail (read successfully). */
  readonly audit: readonly AuditItem[];
  /** Writes a time as the privacy centre shows it. */
  readonly when: (ms: number) => string;
}

/**
 * Renders the privacy centre's audit trail, newest first: what was blocked, stored or sent where,
 * and why, in the catalog's words.
 */
export function AuditSection(props: AuditSectionProps) {
  const { notice, m, locale, audit, when } = props;
  if (audit.length === 0) return <p class="cg-note">{m.auditEmpty}</p>;
  return (
    <>
      <ul class="cg-list">
        {newestFirst(audit, (entry) => entry.at)
          .slice(0, MAX_LISTED)
          .map((entry, index) => (
            <li key={index} class="cg-entry">
              <strong>{codeText(m.auditKind, entry.kind)}</strong>
              {entry.event && <span>{entry.event}</span>}
              {entry.purpose && <span>{purposeTitle(notice, entry.purpose, locale)}</span>}
              {entry.destination && (
                <span>
                  {format(m.auditTo, {
                    destination: destinationName(notice, entry.destination, locale),
                  })}
                </span>
              )}
              {entry.count !== undefined && <span>{format(m.records, { n: entry.count })}</span>}
              <small>{when(entry.at)}</small>
              {(entry.reasons ?? []).map((reason) => (
                <span class="cg-block cg-note" key={reason}>
                  {reasonText(notice, reason, locale, m)}
                </span>
              ))}
            </li>
          ))}
      </ul>
      {audit.length > MAX_LISTED && (
        <p class="cg-note">{format(m.more, { n: audit.length - MAX_LISTED })}</p>
      )}
    </>
  );
}
