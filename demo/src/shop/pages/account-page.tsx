import type { StoredEvent } from '@consentgate/store';
import { useEffect, useState } from 'preact/hooks';

import { COLLECTOR_URL } from '../consent-gate.js';
import { localize } from '../localize.js';
import { format } from '../messages.js';
import { useConsentState, useShop } from '../shop-context.js';

/** Page Engagement summaries listed. */
const SHOWN = 8;

/**
 * The visitor's account: buttons to the widget's privacy centre and preferences, and an inline
 * summary of what is on, what this device keeps per purpose, the latest receipt, and the
 * engagement aggregates computed here.
 */
export function AccountPage() {
  const { cg, t, prefs, rawSamples } = useShop();
  const { ready, notice, version } = useConsentState(cg);
  const [counts, setCounts] = useState<Readonly<Record<string, number>>>({});
  const [engagement, setEngagement] = useState<readonly StoredEvent[]>([]);
  const [samples, setSamples] = useState(rawSamples());
  const locale = prefs.locale;

  useEffect(() => {
    let live = true;
    const store = cg.store;
    if (!ready || !store || !notice) return;
    void Promise.all(
      notice.purposes.map(async (p) => {
        const count = await store.events.count({ purpose: p.id });
        return [p.id, count.ok ? count.value : 0] as const;
      }),
    ).then((entries) => {
      if (live) setCounts(Object.fromEntries(entries));
    });
    void store.events.list({ purpose: 'analytics' }).then((result) => {
      if (!live) return;
      const summaries = result.ok ? result.value.filter((e) => e.name === 'Page Engagement') : [];
      setEngagement([...summaries].sort((a, b) => b.createdAt - a.createdAt).slice(0, SHOWN));
    });
    return () => {
      live = false;
    };
  }, [cg, ready, notice, version]);

  useEffect(() => {
    // The raw samples change with scrolling; a slow refresh is enough to watch them fold.
    const timer = setInterval(() => setSamples(rawSamples()), 1000);
    return () => clearInterval(timer);
  }, [rawSamples]);

  const receipt = ready ? cg.widget?.getConsent() : undefined;
  const dateFormat = new Intl.DateTimeFormat(locale === 'ja' ? 'ja-JP' : 'en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
  });

  return (
    <>
      <h1>{t.accountTitle}</h1>
      <p class="lead">{t.accountLead}</p>
      <p class="actions">
        <button
          type="button"
          class="button"
          data-testid="open-privacy-centre"
          onClick={() => cg.showPrivacyCentre()}
        >
          {t.openPrivacyCentre}
        </button>
        <button type="button" class="button button-quiet" onClick={() => cg.showPreferences()}>
          {t.changePreferences}
        </button>
      </p>

      <div class="columns">
        <section class="panel" aria-labelledby="summary-title" data-testid="privacy-summary">
          <h2 id="summary-title">{t.summaryTitle}</h2>
          {!notice ? (
            <p class="muted">{t.loading}</p>
          ) : (
            <>
              <p>
                {t.rules}: <strong>{notice.regime}</strong>
                <span class="block muted">{t.modes[notice.mode]}</span>
              </p>
              {notice.gpc.detected && <p class="gpc-note">{t.gpcDetected}</p>}
              <ul class="purposes">
                {notice.purposes.map((p) => (
                  <li key={p.id} data-purpose={p.id}>
                    <div class="purpose-head">
                      <strong>{localize(p.title, locale)}</strong>
                      <span class={p.allowed ? 'pill pill-on' : 'pill pill-off'}>
                        {p.allowed ? t.purposeOn : t.purposeOff}
                      </span>
                    </div>
                    <div class="muted">
                      {format(t.retention, { n: p.retention_days })} ·{' '}
                      {p.recipients.length === 0
                        ? t.stays
                        : format(t.sentTo, {
                            names: p.recipients.map((r) => localize(r.name, locale)).join(', '),
                          })}
                    </div>
                    <div data-testid={`records-${p.id}`}>
                      {format(t.recordsOnDevice, { n: counts[p.id] ?? 0 })}
                    </div>
                  </li>
                ))}
              </ul>
              <h3>{t.receiptTitle}</h3>
              <p>
                {receipt
                  ? format(t.receiptLine, {
                      date: dateFormat.format(receipt.given_at),
                      method: t.methods[receipt.method],
                    })
                  : t.noReceipt}
              </p>
            </>
          )}
        </section>

        <section class="panel" aria-labelledby="engagement-title">
          <h2 id="engagement-title">{t.engagementTitle}</h2>
          <p class="muted">{t.engagementLead}</p>
          {engagement.length === 0 ? (
            <p>{t.engagementEmpty}</p>
          ) : (
            <ul class="engagement" data-testid="engagement">
              {engagement.map((e) => (
                <li key={e.id}>
                  {format(t.engagementLine, {
                    path: typeof e.fields.path === 'string' ? e.fields.path : '',
                    s: Math.round(Number(e.fields.dwell_ms ?? 0) / 1000),
                    p: Number(e.fields.scroll_depth ?? 0),
                  })}
                </li>
              ))}
            </ul>
          )}
          <p class="muted">{format(t.rawSamples, { n: samples })}</p>
          <p>
            <a href={new URL('/', COLLECTOR_URL).href} target="_blank" rel="noopener">
              {t.collectorLink}
            </a>
          </p>
        </section>
      </div>
    </>
  );
}
