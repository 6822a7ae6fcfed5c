import { h, render } from 'preact';

import type { Messages } from './messages.js';
import type { WidgetActions } from './view-props.js';
import type { WidgetContext } from './widget-context.js';
import { WidgetRoot } from './widget-root.js';

/**
 * Renders the state of the widget in `context` into its shadow root, then moves focus into a
 * dialog that was just opened, and returns nothing. Does nothing before the banner messages are
 * loaded or after `destroy()`.
 */
export function paintWidget(context: WidgetContext, actions: WidgetActions): void {
  const { state, root } = context;
  if (state.destroyed || !state.m) return;
  render(
    h(WidgetRoot, {
      view: state.view,
      views: state.views,
      reopen: context.options.reopenButton !== false,
      notice: context.notice,
      // Views of the second layer render only once `pm` is loaded with them.
      m: { ...state.m, ...state.pm } as Messages,
      locale: context.locale,
      actions,
      consent: state.consent,
      draft: state.draft,
      data: state.data,
      status: state.status,
      alert: state.alert,
    }),
    root,
  );
  const dialog = root.querySelector<HTMLElement>('.cg-dialog');
  if (state.focusPending && dialog) {
    state.focusPending = false;
    dialog.focus();
  }
}
