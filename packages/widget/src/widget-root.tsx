import { ConsentBanner } from './consent-banner.js';
import type { Panels } from './load-panels.js';
import { ReopenButton } from './reopen-button.js';
import type { ViewProps } from './view-props.js';
import type { WidgetView } from './widget.js';

/** Props of {@link WidgetRoot}. */
export interface WidgetRootProps extends ViewProps {
  /** The open view, if any. */
  readonly view: WidgetView | undefined;
  /** Whether the persistent reopen button is rendered. */
  readonly reopen: boolean;
  /** The second-layer views, once loaded. */
  readonly views: Panels['views'] | undefined;
}

/**
 * Renders everything in the shadow root: the reopen button first (so its element survives views
 * opening and closing, and focus can return to it), then the open view.
 */
export function WidgetRoot(props: WidgetRootProps) {
  const { view, views } = props;
  return (
    <>
      {props.reopen && (
        <ReopenButton label={props.m.reopen} lang={props.locale} onOpen={props.actions.customise} />
      )}
      {view === 'banner' && <ConsentBanner {...props} />}
      {view === 'preferences' && views && <views.PreferencesDialog {...props} />}
      {view === 'privacy-centre' && views && <views.PrivacyCentre {...props} />}
    </>
  );
}
