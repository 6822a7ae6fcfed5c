import { policyInput } from '@consentgate/core';
import type { Notice } from '@consentgate/core';
import type { ConsentGate } from 'consentgate';

import type { Destination, Outbound } from '../activity.js';
import { describeReason, localize, purposeTitle } from '../localize.js';
import { format } from '../messages.js';
import type { Messages } from '../messages.js';
import type { Locale } from '../prefs.js';
import { useActivity, useConsentState, useShop } from '../shop-context.js';

/** Props of {@link OutboundPanel}. */
export interface OutboundPanelProps {
  readonly open: boolean;
  readonly onClose: () => void;
}

/**
 * "What left this browser": every request this page sent to the collector or a third party, with
 * its destination, purpose and fields; the tagged third-party scripts and whether they ran; what
 * the policy stopped, with its reasons; and failures the site owner must fix.
 */
export function OutboundPanel({ open, onClose }: OutboundPanelProps) {
  const { cg, t, prefs, activity } = useShop();
  const { notice } = useConsentState(cg);
  const { outbound, blocked, stored, errors } = useActivity(activity);
  const locale = prefs.locale;
  return (
    <aside
      id="outbound-panel"
      class="outbound"
      hidden={!open}
      aria-labelledby="outbound-title"
      data-testid="outbound-panel"
    >
      <div class="outbound-head">
        <h2 id="outbound-title">{t.panelTitle}</h2>
        <button type="button" class="link-button" onClick={onClose}>
          {t.close}
        </button>
      </div>
      <p class="muted">{t.panelLead}</p>

      {errors.length > 0 && (
        <section class="owner-errors" data-testid="owner-errors" role="alert">
          <h3>{t.errorsTitle}</h3>
          <p>{t.errorsLead}</p>
          <ul>
            {errors.map((error, index) => (
              <li key={index}>
                <code>{error.code}</code> {error.message}
              </li>
            ))}
          </ul>
        </section>
      )}

      <section>
        <h3>{t.requestsTitle}</h3>
        {outbound.length === 0 ? (
          <p class="muted" data-testid="outbound-empty">
            {t.requestsEmpty}
          </p>
        ) : (
          <ol class="requests" data-testid="outbound-list">
            {[...outbound]
              .sort((a, b) => b.at - a.at || b.id - a.id)
              .map((request) => (
                <RequestItem
                  key={request.id}
                  request={request}
                  notice={notice}
                  t={t}
                  locale={locale}
                />
              ))}
          </ol>
        )}
      </section>

      <section>
        <h3>{t.tagsTitle}</h3>
        <ul class="tags">
          {taggedScripts().map((tag) => (
            <li key={tag.src} data-testid="tag" data-state={tag.ran ? 'ran' : 'blocked'}>
              <code>{tag.src}</code>
              <span class={tag.ran ? 'pill pill-on' : 'pill pill-off'}>
                {tag.ran ? t.tagRan : t.tagBlocked}
              </span>
              <span class="muted">
                {t.purpose}: {purposeTitle(tag.purpose, notice, locale)}
              </span>
              {!tag.ran &&
                scriptReasons(cg, tag, notice).map((reason) => (
                  <span class="reason" key={reason}>
                    {describeReason(reason, notice, locale)}
                  </span>
                ))}
            </li>
          ))}
        </ul>
      </section>

      <section>
        <h3>{t.blockedTitle}</h3>
        {blocked.length === 0 ? (
          <p class="muted">{t.blockedEmpty}</p>
        ) : (
          <ol class="blocked" data-testid="blocked-list">
            {[...blocked].reverse().map((item, index) => (
              <li key={index}>
                <strong>{item.name}</strong>
                {item.purpose && (
                  <span class="muted"> · {purposeTitle(item.purpose, notice, locale)}</span>
                )}
                {item.destination && <span class="muted"> → {item.destination}</span>}
                {item.reasons.map((reason) => (
                  <span class="reason" key={reason}>
                    {describeReason(reason, notice, locale)}
                  </span>
                ))}
              </li>
            ))}
          </ol>
        )}
      </section>
      <p class="muted">{format(t.storedCount, { n: stored })}</p>
    </aside>
  );
}

function RequestItem(props: {
  request: Outbound;
  notice: Notice | undefined;
  t: Messages;
  locale: Locale;
}) {
  const { request, notice, t, locale } = props;
  const url = new URL(request.url);
  const erasure = url.pathname.endsWith('/v1/erase');
  const purpose = purposeOf(request.destination, notice);
  const kind = t.kinds[request.kind as keyof Messages['kinds']] ?? t.kinds.other;
  return (
    <li data-testid="outbound-request" data-destination={request.destination}>
      <div class="request-head">
        <span class={`dest dest-${request.destination}`}>
          {destinationName(request.destination, notice, t, locale)}
        </span>
        <time dateTime={new Date(request.at).toISOString()}>
          {new Date(request.at).toLocaleTimeString(locale === 'ja' ? 'ja-JP' : 'en-GB', {
            hour: '2-digit',
            minute: '2-digit',
          })}
        </time>
      </div>
      <div class="request-meta">
        <span>{erasure ? t.erasure : kind}</span>
        <code title={request.url}>
          {url.origin === location.origin ? url.pathname : `${url.host}${url.pathname}`}
        </code>
      </div>
      {purpose && !erasure && (
        <div class="muted">
          {t.purpose}: {purposeTitle(purpose, notice, locale)}
        </div>
      )}
      {request.delivered.length > 0 && (
        <ul class="delivered">
          {request.delivered.map((message, index) => (
            <li key={index}>
              <strong>{message.name}</strong>{' '}
              <span class="muted">({purposeTitle(message.purpose, notice, locale)})</span>
              <div class="fields">
                {t.fields}: {message.fields.length > 0 ? message.fields.join(', ') : t.noFields}
              </div>
            </li>
          ))}
        </ul>
      )}
      {request.delivered.length === 0 && !erasure && (
        <div class="fields">
          {t.fields}: {request.fields.length > 0 ? request.fields.join(', ') : t.noFields}
        </div>
      )}
    </li>
  );
}

/** The catalog purpose whose data goes to this destination. */
function purposeOf(destination: Destination, notice: Notice | undefined): string | undefined {
  return notice?.purposes.find((p) => p.recipients.some((r) => r.id === destination))?.id;
}

function destinationName(
  destination: Destination,
  notice: Notice | undefined,
  t: Messages,
  locale: Locale,
): string {
  for (const purpose of notice?.purposes ?? []) {
    const recipient = purpose.recipients.find((r) => r.id === destination);
    if (recipient) return localize(recipient.name, locale);
  }
  return t.destinations[destination];
}

interface Tag {
  readonly src: string;
  readonly purpose: string;
  readonly ran: boolean;
}

/** The page's tagged third-party scripts: still inert, or activated by ConsentGate. */
function taggedScripts(): Tag[] {
  return [...document.querySelectorAll('script[data-cg-purpose]')].map((element) => ({
    src: element.getAttribute('data-src') ?? element.getAttribute('src') ?? '',
    purpose: element.getAttribute('data-cg-purpose') ?? '',
    ran: element.hasAttribute('data-cg-activated'),
  }));
}

/** Why the policy keeps a tag inert now: the same `script` decision the activator takes. */
function scriptReasons(cg: ConsentGate, tag: Tag, notice: Notice | undefined): readonly string[] {
  const policy = cg.policy;
  if (!policy || !notice) return [];
  // The widget's receipt answers the notice on screen (it checks the revision), as the
  // activator's does.
  const input = policyInput({
    now: Date.now(),
    jurisdiction: notice.jurisdiction,
    signals: {
      gpc: (navigator as { globalPrivacyControl?: unknown }).globalPrivacyControl === true,
    },
    receipt: cg.widget?.getConsent(),
    script: { purpose: tag.purpose, src: tag.src },
  });
  return policy.script(input).decision.reasons;
}
