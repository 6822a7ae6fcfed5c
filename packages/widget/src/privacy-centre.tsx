import { AuditSection } from './audit-section.js';
import { ContactLine } from './contact-line.js';
import { DialogFrame } from './dialog-frame.js';
import { HistorySection } from './history-section.js';
import { dateText } from './privacy-labels.js';
import { StoredSection } from './stored-section.js';
import type { ViewProps } from './view-props.js';

/**
 * Renders "My data": per purpose what is stored on this device and until when, with a one-click
 * withdrawal for every purpose that is on; the audit trail (what was blocked or sent where, and
 * why); the consent receipts; "Export as JSON" and "Delete everything", each one click; and the
 * privacy contact. Confirmations go to a live region.
 */
export function PrivacyCentre(props: ViewProps) {
  const { notice, m, locale, actions, data } = props;
  const when = dateText(locale);
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
            {data.items === null ? (
              <p>{m.loadFailed}</p>
            ) : (
              <StoredSection {...props} items={data.items} when={when} />
            )}
          </section>
          <section aria-labelledby="cg-audit">
            <h3 id="cg-audit">{m.auditTitle}</h3>
            {data.audit === null ? (
              <p>{m.loadFailed}</p>
            ) : (
              <AuditSection notice={notice} m={m} locale={locale} audit={data.audit} when={when} />
            )}
          </section>
          <section aria-labelledby="cg-history">
            <h3 id="cg-history">{m.historyTitle}</h3>
            {data.history === null ? (
              <p>{m.loadFailed}</p>
            ) : (
              <HistorySection
                notice={notice}
                m={m}
                locale={locale}
                history={data.history}
                when={when}
              />
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
