import { DialogFrame } from './dialog-frame.js';
import { PurposeItem } from './purpose-item.js';
import type { ViewProps } from './view-props.js';

/**
 * Renders the preferences: one switch per purpose with its details, then "Reject all", "Accept
 * all" and "Save my choices" as three equal buttons, and links to "My data" and "Close".
 */
export function PreferencesDialog(props: ViewProps) {
  const { notice, m, locale, actions } = props;
  return (
    <DialogFrame
      view="preferences"
      title={m.preferencesTitle}
      intro={<p>{m.preferencesIntro}</p>}
      wide
      lang={locale}
      actions={actions}
    >
      {notice.gpc.applied && <p class="cg-gpc">{m.gpcHonoured}</p>}
      {notice.purposes.map((purpose, index) => (
        <PurposeItem key={purpose.id} {...props} purpose={purpose} index={index} />
      ))}
      {props.alert && (
        <p class="cg-alert" role="alert">
          {props.alert}
        </p>
      )}
      <div class="cg-actions">
        <button type="button" class="cg-btn" onClick={(event) => actions.choose('reject', event)}>
          {m.rejectAll}
        </button>
        <button type="button" class="cg-btn" onClick={(event) => actions.choose('accept', event)}>
          {m.acceptAll}
        </button>
        <button type="button" class="cg-btn" onClick={actions.save}>
          {m.save}
        </button>
      </div>
      <div class="cg-links">
        <button type="button" class="cg-link" onClick={actions.privacyCentre}>
          {m.myData}
        </button>
        <button type="button" class="cg-link" onClick={actions.close}>
          {m.close}
        </button>
      </div>
    </DialogFrame>
  );
}
