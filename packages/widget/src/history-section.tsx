import type { ConsentRecord, Notice } from '@consentgate/core';

import type { Locale } from './locale.js';
import { codeText, format } from './messages.js';
import type { Messages } from './messages.js';
import { MAX_LISTED, newestFirst, purposeTitle } from './privacy-labels.js';

/** Props of {@link HistorySection}. */
export interface HistorySectionProps {
  readonly notice: Notice;
  readonly m: Messages;
  readonly locale: Locale;
  /** The consent receipts (read successfully). */
  readonly history: readonly ConsentRecord[];
  /** Writes a time as the privacy centre shows it. */
  readonly when: (ms: number) => string;
}

/** Renders the privacy centre's consent receipts, newest first: when, how, and every answer. */
export function HistorySection(props: HistorySectionProps) {
  const { notice, m, locale, history, when } = props;
  if (history.length === 0) return <p class="cg-note">{m.historyEmpty}</p>;
  return (
    <ul class="cg-list">
      {newestFirst(history, (record) => record.given_at)
        .slice(0, MAX_LISTED)
        .map((record) => (
          <li key={record.id} class="cg-entry">
            <strong>{when(record.given_at)}</strong>
            <span>{codeText(m.method, record.method)}</span>
            {Object.entries(record.purposes).map(([id, yes]) => (
              <span class="cg-block" key={id}>
                {format(m.choice, {
                  purpose: purposeTitle(notice, id, locale),
                  state: yes ? m.on : m.off,
                })}
              </span>
            ))}
          </li>
        ))}
    </ul>
  );
}
