import type { NoticePurpose } from '@consentgate/core';

import { localize } from './locale.js';
import { codeText, format } from './messages.js';
import type { ViewProps } from './view-props.js';

/** Props of {@link PurposeItem}. */
export interface PurposeItemProps extends ViewProps {
  readonly purpose: NoticePurpose;
  /** Position in the notice; makes the element ids unique without using catalog text. */
  readonly index: number;
}

/**
 * Renders one purpose in the preferences: its switch (or "Always on" with the reason when it is
 * strictly necessary, or off and disabled with the reason when GPC locked it), why (the
 * description), what data in plain words, how long, who receives it and the legal basis.
 */
export function PurposeItem(props: PurposeItemProps) {
  const { purpose, index, m, locale, notice, actions } = props;
  const titleId = `cg-p${index}`;
  const descriptionId = `cg-d${index}`;
  const lockedReasons = purpose.required ? [] : purpose.locked ? purpose.reasons : [];
  return (
    <section class="cg-purpose" aria-labelledby={titleId}>
      <div class="cg-row">
        <h3 id={titleId}>{localize(purpose.title, locale)}</h3>
        {purpose.required ? (
          <span class="cg-badge">{m.alwaysOn}</span>
        ) : (
          <input
            type="checkbox"
            role="switch"
            class="cg-sw"
            checked={props.draft[purpose.id] === true}
            disabled={purpose.locked}
            aria-labelledby={titleId}
            aria-describedby={descriptionId}
            // A script's click() is untrusted, but the input and change events it causes are
            // trusted; cancelling the click itself is what keeps the switch where it was.
            onClick={(event) => event.isTrusted || event.preventDefault()}
            onChange={(event) => actions.toggle(purpose.id, event)}
          />
        )}
      </div>
      <p id={descriptionId}>{localize(purpose.description, locale)}</p>
      {purpose.required && <p class="cg-note">{m.requiredReason}</p>}
      {lockedReasons.map((code) => (
        <p class="cg-note" key={code}>
          {localize(notice.reasons[code], locale) || code}
        </p>
      ))}
      <dl>
        <dt>{m.factData}</dt>
        <dd>
          <ul>
            {purpose.categories.map((category) => (
              <li key={category.id}>{localize(category.label, locale) || category.id}</li>
            ))}
          </ul>
        </dd>
        <dt>{m.factRetention}</dt>
        <dd>{format(m.days, { n: purpose.retention_days })}</dd>
        <dt>{m.factRecipients}</dt>
        <dd>
          {purpose.recipients.length === 0 ? (
            m.deviceOnly
          ) : (
            <ul>
              {purpose.recipients.map((recipient) => {
                const name = localize(recipient.name, locale) || recipient.id;
                // Catalogs often say it in the name already; do not say it twice.
                const said = name.includes(m.thirdParty.replace(/[()（）]/g, ''));
                return (
                  <li key={recipient.id}>
                    {name}
                    {recipient.third_party && !said && (
                      <small class="cg-suffix">{m.thirdParty}</small>
                    )}
                  </li>
                );
              })}
            </ul>
          )}
        </dd>
        <dt>{m.factBasis}</dt>
        <dd>
          {codeText(m.legalBasis, purpose.legal_basis)}
          <small class="cg-block">{codeText(m.requirement, purpose.consent)}</small>
        </dd>
      </dl>
    </section>
  );
}
