import { ErrorCode } from '@consentgate/core';

import { loadPanels } from './load-panels.js';
import type { Panels } from './load-panels.js';
import { mergeMessages } from './messages.js';
import { adoptStyles } from './styles.js';
import type { WidgetContext } from './widget-context.js';

/**
 * Loads the second layer (preferences and privacy centre views, their CSS and messages) into the
 * state once and returns it; `undefined`, with an `error` event (`widget/chunk-failed`), when
 * the chunk did not load. A failed load is tried again on the next call.
 */
export function preparePanels(context: WidgetContext): Promise<Panels | undefined> {
  const { state, root } = context;
  state.panelsLoading ??= loadPanels(context.locale).then(
    (loaded) => {
      if (!state.views) adoptStyles(root, loaded.views.PANEL_CSS);
      state.pm = mergeMessages(loaded.messages, context.options.messages);
      state.views = loaded.views;
      return loaded;
    },
    (error: unknown) => {
      state.panelsLoading = undefined;
      context.report(error, ErrorCode.WidgetChunkFailed, 'widget panels did not load');
      return undefined;
    },
  );
  return state.panelsLoading;
}
