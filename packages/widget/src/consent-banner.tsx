import { DialogFrame } from './dialog-frame.js';
import { localize } from './locale.js';
import { format } from './messages.js';
import { SafeLink } from './safe-link.js';
import type { ViewProps } from './view-props.js';

/**
 * Renders the first layer: who is asking, every purpose in plain words, and two buttons of equal
 * weight (the same element and class): "Accept all" and "Reject all" in opt-in mode, "OK" and
 * "Do not sell or share my personal information" in opt-out mode; then "Customise". Nothing is
 * pre-ticked, because there is nothing to tick here. A GPC signal that applied is said so.
 */
export function ConsentBanner(props: ViewProps) {
  const { notice, m, locale, actions } = props;
  const optOut = notice.mode === 'opt-out';
  const intro = format(optOut ? m.bannerOptOut : m.bannerOptIn, {
    controller: localize(notice.controller.name, locale),
  });
  return (
    <DialogFrame
      view="banner"
      title={m.bannerTitle}
      lang={locale}
      actions={actions}
      intro={
        <>
          <p>{intro}</p>
          <ul>
            {notice.purposes.map((purpose) => (
              <li key={purpose.id}>
                <strong>{localize(purpose.title, locale)}</strong>
                {purpose.required && <small class="cg-suffix">{m.alwaysOnSuffix}</small>}
                <span class="cg-block">{localize(purpose.description, locale)}</span>
              </li>
            ))}
          </ul>
        </>
      }
    >
      {notice.gpc.applied && <p class="cg-gpc">{m.gpcHonoured}</p>}
      {props.alert && (
        <p class="cg-alert" role="alert">
          {props.alert}
        </p>
      )}
      <div class="cg-actions">
        <button
          type="button"
          class="cg-btn"
          onClick={(event) => actions.choose(optOut ? 'do-not-sell' : 'reject', event)}
        >
          {optOut ? m.doNotSell : m.rejectAll}
        </button>
        <button type="button" class="cg-btn" onClick={(event) => actions.choose('accept', event)}>
          {optOut ? m.acknowledge : m.acceptAll}
        </button>
      </div>
      <div class="cg-links">
        <button type="button" class="cg-link" onClick={actions.customise}>
          {m.customise}
        </button>
        <SafeLink href={notice.controller.contact.url}>{m.privacyPolicy}</SafeLink>
      </div>
    </DialogFrame>
  );
}
