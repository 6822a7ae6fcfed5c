import type { Notice } from '@consentgate/core';

import { ContactLine } from './contact-line.js';
import { DialogFrame } from './dialog-frame.js';
import { localize } from './locale.js';
import type { Locale } from './locale.js';
import { codeText, format } from './messages.js';
import type { Messages } from './messages.js';
import type { ViewProps } from './view-props.js';

/** Entries listed per list; the rest are counted and left to the export. */
const MAX_LISTED = 50;

/** Returns the title of purpose `id` in the notice, or the id itself. */
function purposeTitle(notice: Notice, id: string, locale: Locale): string {
  const purpose = notice.purposes.find((candidate) => candidate.id === id);
  return (purpose && localize(purpose.title, locale)) || id;
}

/** Returns the name of destination `id` from the notice's recipients, or the id itself. */
function destinationName(notice: Notice, id: string, locale: Locale): string {
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
function reasonText(notice: Notice, reason: string, locale: Locale, m: Messages): string {
  const [purpose, code = ''] = reason.includes(':') ? reason.split(':', 2) : ['', reason];
  const text = localize(notice.reasons[code], locale) || codeText(m.reasons, code);
  return purpose ? `${purposeTitle(notice, purpose, locale)} · ${text}` : text;
}

/** Sorts newest first by `key` and returns a new array. */
function newest<T>(list: readonly T[], key: (item: T) => number): T[] {
  return [...list].sort((a, b) => key(b) - key(a));
}

/**
 * Renders "My data": per purpose what is stored on this device and until when, with a one-click
 * withdrawal for every purpose that is on; the audit trail (what was blocked or sent where, and
 * why); the consent receipts; "Export as JSON" and "Delete everything", each one click; and the
 * privacy contact. Confirmations go to a live region.
 */
export function PrivacyCentre(props: ViewProps) {
  const { notice, m, locale, actions, data, consent } = props;
  const dates = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  const when = (ms: number) => (Number.isFinite(ms) ? dates.format(ms) : '');
  const items = data?.items ?? [];
  const purposeIds = [
    ...new Set([
      ...notice.purposes.map((purpose) => purpose.id),
      ...items.map((item) => item.purpose),
    ]),
  ];
  return (
    <DialogFrame
      view="privacy-centre"
      title={m.centreTitle}
      intro={<p>{m.centreIntro}</p>}
      wide
      lang={locale}
      actions={actions}
    >
      <p class="cg-note" role="status">
        {props.status}
      </p>
      {props.alert && (
        <p class="cg-alert" role="alert">
          {props.alert}
        </p>
      )}
      {!data ? (
        <p>{m.loading}</p>
      ) : (
        <>
          <section aria-labelledby="cg-stored">
            <h3 id="cg-stored">{m.storedTitle}</h3>
            {data.items === null && <p>{m.loadFailed}</p>}
            {data.items &&
              purposeIds.map((id) => {
                const purpose = notice.purposes.find((candidate) => candidate.id === id);
                const title = purposeTitle(notice, id, locale);
                const own = newest(
                  items.filter((item) => item.purpose === id),
                  (item) => item.expiresAt,
                );
                const granted = consent?.purposes[id] === true;
                return (
                  <div key={id} class="cg-purpose">
                    <div class="cg-row">
                      <h4>{title}</h4>
                      <span>
                        <span class="cg-badge">
                          {purpose?.required ? m.alwaysOn : granted ? m.on : m.off}
                        </span>
                        {granted && !purpose?.required && (
                          <button
                            type="button"
                            class="cg-btn2"
                            aria-label={format(m.withdrawFor, { purpose: title })}
                            onClick={(event) => actions.withdraw(id, event)}
                          >
                            {m.withdraw}
                          </button>
                        )}
                      </span>
                    </div>
                    {own.length === 0 ? (
                      <p class="cg-note">{m.storedEmpty}</p>
                    ) : (
                      <ul class="cg-list">
                        {own.slice(0, MAX_LISTED).map((item, index) => (
                          <li key={index}>
                            {item.name}
                            <small class="cg-block">
                              {format(m.until, { date: when(item.expiresAt) })}
                            </small>
                          </li>
                        ))}
                      </ul>
                    )}
                    {own.length > MAX_LISTED && (
                      <p class="cg-note">{format(m.more, { n: own.length - MAX_LISTED })}</p>
                    )}
                  </div>
                );
              })}
          </section>
          <section aria-labelledby="cg-audit">
            <h3 id="cg-audit">{m.auditTitle}</h3>
            {data.audit === null && <p>{m.loadFailed}</p>}
            {data.audit?.length === 0 && <p class="cg-note">{m.auditEmpty}</p>}
            {data.audit && data.audit.length > 0 && (
              <ul class="cg-list">
                {newest(data.audit, (entry) => entry.at)
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
                      {entry.count !== undefined && (
                        <span>{format(m.records, { n: entry.count })}</span>
                      )}
                      <small>{when(entry.at)}</small>
                      {(entry.reasons ?? []).map((reason) => (
                        <span class="cg-block cg-note" key={reason}>
                          {reasonText(notice, reason, locale, m)}
                        </span>
                      ))}
                    </li>
                  ))}
              </ul>
            )}
            {data.audit && data.audit.length > MAX_LISTED && (
              <p class="cg-note">{format(m.more, { n: data.audit.length - MAX_LISTED })}</p>
            )}
          </section>
          <section aria-labelledby="cg-history">
            <h3 id="cg-history">{m.historyTitle}</h3>
            {data.history === null && <p>{m.loadFailed}</p>}
            {data.history?.length === 0 && <p class="cg-note">{m.historyEmpty}</p>}
            {data.history && data.history.length > 0 && (
              <ul class="cg-list">
                {newest(data.history, (record) => record.given_at)
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
            )}
          </section>
        </>
      )}
      <div class="cg-actions">
        <button type="button" class="cg-btn2" onClick={actions.exportData}>
          {m.exportData}
        </button>
        <button type="button" class="cg-btn2" onClick={actions.eraseAll}>
          {m.eraseAll}
        </button>
      </div>
      <ContactLine notice={notice} m={m} />
      <div class="cg-links">
        <button type="button" class="cg-link" onClick={actions.close}>
          {m.close}
        </button>
      </div>
    </DialogFrame>
  );
}
