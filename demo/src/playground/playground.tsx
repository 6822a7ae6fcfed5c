import { useEffect, useMemo, useState } from 'preact/hooks';

import type { FieldAction, LocalizedText, PolicyInput } from '@consentgate/core';

import type { Engine } from './engine.js';
import { MESSAGES } from './messages.js';
import type { Locale, Messages } from './messages.js';

/** Properties no storefront event declares, offered so people can watch them being refused. */
const EXTRA_KEYS = ['ip', 'shoe_size'];

const JURISDICTIONS = ['EU', 'US-CA', 'JP', 'DE', 'BR'] as const;

/** A fixed clock keeps the shown expiry dates stable while people click around. */
const NOW = Date.UTC(2026, 10, 27);

type Choice = 'unanswered' | 'yes' | 'no';

/** Props of {@link Playground}. */
export interface PlaygroundProps {
  /** A loaded engine, or the error that stopped loading it. */
  readonly engine: Engine | Error | undefined;
  /** @default 'ja' */
  readonly initialLocale?: Locale;
}

/** Lets a privacy team try the compiled policy: pick a situation and an event, see every decision. */
export function Playground({ engine, initialLocale = 'ja' }: PlaygroundProps) {
  const [locale, setLocale] = useState<Locale>(initialLocale);
  const t = MESSAGES[locale];
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);

  return (
    <main class="pg">
      <p class="pg-back">
        <a href="/">{t.back}</a>
      </p>
      <header class="pg-header">
        <h1>{t.title}</h1>
        <button type="button" onClick={() => setLocale(locale === 'ja' ? 'en' : 'ja')}>
          {t.language}
        </button>
      </header>
      <p class="pg-lead">{t.lead}</p>
      {engine === undefined && <p role="status">{t.loading}</p>}
      {engine instanceof Error && (
        <p role="alert" class="pg-error">
          {t.failed} <code>{engine.message}</code>
        </p>
      )}
      {engine && !(engine instanceof Error) && <Decisions engine={engine} t={t} locale={locale} />}
    </main>
  );
}

function Decisions({ engine, t, locale }: { engine: Engine; t: Messages; locale: Locale }) {
  const eventNames = Object.keys(engine.catalog.events);
  const [jurisdiction, setJurisdiction] = useState<string>('EU');
  const [gpc, setGpc] = useState(false);
  const [answered, setAnswered] = useState(false);
  const [choices, setChoices] = useState<Record<string, Choice>>({});
  const [eventName, setEventName] = useState(eventNames[0] ?? '');
  const schemaKeys = Object.keys(engine.catalog.events[eventName]?.properties ?? {});
  const [keys, setKeys] = useState<ReadonlySet<string>>(new Set(schemaKeys));

  const base = useMemo(() => {
    const purposes: Record<string, boolean> = {};
    for (const [id, choice] of Object.entries(choices)) {
      if (choice !== 'unanswered') purposes[id] = choice === 'yes';
    }
    const input: PolicyInput = {
      now: NOW,
      jurisdiction,
      signals: { gpc },
      ...(answered
        ? { consent: { revision: engine.catalogVersion, purposes, given_at: NOW } }
        : {}),
    };
    return input;
  }, [jurisdiction, gpc, answered, choices, engine]);

  const notice = engine.notice(base);
  const collect = engine.collect({
    ...base,
    event: { type: 'track', name: eventName, keys: [...keys] },
  });
  const text = (value: LocalizedText | undefined) => value?.[locale] ?? '';
  const reason = (code: string) => {
    const [scope, bare] = code.includes(':') ? code.split(':') : [undefined, code];
    const words = text(notice.reasons[bare ?? code]) || code;
    return scope ? `${scope}: ${words}` : words;
  };

  const selectEvent = (name: string) => {
    setEventName(name);
    setKeys(new Set(Object.keys(engine.catalog.events[name]?.properties ?? {})));
  };
  const toggleKey = (key: string) => {
    const next = new Set(keys);
    if (next.has(key)) next.delete(key);
    else next.add(key);
    setKeys(next);
  };

  return (
    <div class="pg-grid">
      <section aria-labelledby="pg-context">
        <h2 id="pg-context">{t.context}</h2>
        <label class="pg-field">
          {t.jurisdiction}
          <select value={jurisdiction} onChange={(e) => setJurisdiction(e.currentTarget.value)}>
            {JURISDICTIONS.map((j) => (
              <option key={j} value={j}>
                {j}
              </option>
            ))}
          </select>
        </label>
        <label class="pg-check">
          <input type="checkbox" checked={gpc} onChange={(e) => setGpc(e.currentTarget.checked)} />
          {t.gpc}
        </label>
        <fieldset>
          <legend>{t.consent}</legend>
          <label class="pg-check">
            <input
              type="checkbox"
              checked={!answered}
              onChange={(e) => setAnswered(!e.currentTarget.checked)}
            />
            {t.noAnswer}
          </label>
          {notice.purposes.map((p) => (
            <label class="pg-field" key={p.id}>
              {text(p.title)}
              {p.required ? (
                <span class="pg-muted">{t.required}</span>
              ) : (
                <select
                  disabled={!answered}
                  value={choices[p.id] ?? 'unanswered'}
                  onChange={(e) =>
                    setChoices({ ...choices, [p.id]: e.currentTarget.value as Choice })
                  }
                >
                  <option value="unanswered">{t.unanswered}</option>
                  <option value="yes">{t.yes}</option>
                  <option value="no">{t.no}</option>
                </select>
              )}
            </label>
          ))}
        </fieldset>
        <label class="pg-field">
          {t.event}
          <select value={eventName} onChange={(e) => selectEvent(e.currentTarget.value)}>
            {eventNames.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </label>
        <fieldset>
          <legend>{t.properties}</legend>
          {[...schemaKeys, ...EXTRA_KEYS].map((key) => (
            <label class="pg-check" key={key}>
              <input type="checkbox" checked={keys.has(key)} onChange={() => toggleKey(key)} />
              <code>{key}</code>{' '}
              {EXTRA_KEYS.includes(key) && <span class="pg-muted">{t.extra}</span>}
            </label>
          ))}
        </fieldset>
        <p class="pg-muted">
          {t.version} {engine.catalogVersion} · {t.digest}{' '}
          <code>{engine.digest.slice(0, 12)}…</code>
        </p>
      </section>

      <section aria-labelledby="pg-notice">
        <h2 id="pg-notice">{t.notice}</h2>
        <p>
          {t.mode}: <strong data-testid="notice-mode">{notice.mode}</strong> · {notice.regime}
          {notice.gpc.applied && <span class="pg-badge"> {t.gpcApplied}</span>}
        </p>
        <ul class="pg-list">
          {notice.purposes.map((p) => (
            <li key={p.id}>
              <strong>{text(p.title)}</strong> — {p.consent}, {p.retention_days} {t.days},{' '}
              {p.recipients.map((r) => text(r.name)).join(', ') || t.none}
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="pg-collect">
        <h2 id="pg-collect">
          {t.collect}:{' '}
          <span data-testid="collect-verdict" class={collect.allow ? 'pg-yes' : 'pg-no'}>
            {collect.allow ? t.allowed : t.denied}
          </span>
        </h2>
        {Object.values(collect.records).map((record) => (
          <article class="pg-record" key={record.purpose} data-testid={`record-${record.purpose}`}>
            <h3>
              {t.purpose}: {record.purpose} · {t.retention} {record.retention_days} {t.days} ·{' '}
              {t.expires} {new Date(record.expires_at).toISOString().slice(0, 10)}
            </h3>
            <p>
              {t.fields}:{' '}
              {Object.entries(record.fields)
                .map(([k, action]) => `${k} → ${describeAction(action)}`)
                .join(', ') || t.none}
            </p>
            <p>
              {t.dropped}:{' '}
              {Object.entries(record.dropped)
                .map(([k, code]) => `${k} (${reason(code)})`)
                .join(', ') || t.none}
            </p>
            <h4>{t.egress}</h4>
            <ul class="pg-list">
              {Object.keys(engine.catalog.destinations).map((destination) => {
                const d = engine.egress({
                  ...base,
                  destination,
                  event: {
                    name: eventName,
                    purpose: record.purpose,
                    keys: Object.keys(record.fields),
                  },
                });
                return (
                  <li key={destination}>
                    {t.send} <code>{destination}</code>:{' '}
                    <span class={d.allow ? 'pg-yes' : 'pg-no'}>
                      {d.allow ? t.allowed : t.denied}
                    </span>
                    {d.allow
                      ? ` [${d.fields.join(', ')}]`
                      : ` — ${d.reasons.map(reason).join('; ')}`}
                  </li>
                );
              })}
            </ul>
          </article>
        ))}
        {collect.reasons.length > 0 && (
          <>
            <h3>{t.reasons}</h3>
            <ul class="pg-list" data-testid="collect-reasons">
              {collect.reasons.map((code) => (
                <li key={code}>{reason(code)}</li>
              ))}
            </ul>
          </>
        )}
      </section>

      <section aria-labelledby="pg-script">
        <h2 id="pg-script">{t.script}</h2>
        <ul class="pg-list">
          {Object.entries(engine.catalog.scripts).map(([src, entry]) => {
            const d = engine.script({ ...base, script: { src, purpose: entry.purpose } });
            return (
              <li key={src}>
                <code>{src}</code> ({entry.purpose}):{' '}
                <span class={d.allow ? 'pg-yes' : 'pg-no'}>{d.allow ? t.allowed : t.denied}</span>
                {!d.allow && ` — ${d.reasons.map(reason).join('; ')}`}
              </li>
            );
          })}
        </ul>
      </section>
    </div>
  );
}

function describeAction(action: FieldAction): string {
  if (action.action !== 'generalise') return action.action;
  return `generalise(${action.method}${action.length === undefined ? '' : `, ${action.length}`})`;
}
