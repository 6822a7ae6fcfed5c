import { initialChoices } from './consent-choices.js';
import { loadPrivacyData } from './load-privacy-data.js';
import { preparePanels } from './prepare-panels.js';
import { focusedElement, restoreFocus } from './restore-focus.js';
import type { WidgetView } from './widget.js';
import type { WidgetContext } from './widget-context.js';

/** Opening and closing views, as {@link createNavigation} returns it. */
export interface Navigation {
  /** Opens `view` (loading the second layer first when it is needed) and moves focus into it. */
  readonly open: (view: WidgetView) => void;
  /** Closes the current view; one opened from the unanswered banner goes back to it. */
  readonly back: () => void;
  /** Closes whatever is open and returns focus where it was. */
  readonly close: () => void;
}

/** Returns the functions that open and close the views of the widget in `context`. */
export function createNavigation(context: WidgetContext): Navigation {
  const { state, events } = context;

  function open(next: WidgetView): void {
    if (state.destroyed) return;
    if (!state.m) {
      state.requested = next;
      return;
    }
    if (next !== 'banner' && !state.views) {
      void preparePanels(context).then((loaded) => loaded && open(next));
      return;
    }
    const previous = state.view;
    if (!previous) state.restoreFocus = focusedElement(context.doc);
    if (previous === 'banner') state.fromBanner = true;
    if (next === 'preferences')
      state.draft = initialChoices(context.notice, state.consent?.purposes);
    if (next === 'privacy-centre') void loadPrivacyData(context);
    state.status = state.alert = '';
    state.view = next;
    state.focusPending = true;
    context.paint();
    if (previous && previous !== next) events.emit('view:closed', previous);
    if (previous !== next) events.emit('view:opened', next);
  }

  function close(): void {
    const previous = state.view;
    if (!previous) return;
    state.view = undefined;
    state.fromBanner = false;
    state.status = state.alert = '';
    context.paint();
    const target = state.restoreFocus;
    state.restoreFocus = undefined;
    restoreFocus(target);
    events.emit('view:closed', previous);
  }

  function back(): void {
    if (state.view && state.view !== 'banner' && state.fromBanner && !state.consent) open('banner');
    else close();
  }

  return { open, back, close };
}
