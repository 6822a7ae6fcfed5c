import { callStorage } from './call-storage.js';
import type { PrivacyData } from './view-props.js';
import type { WidgetContext } from './widget-context.js';

/**
 * Reads what the privacy centre lists (stored items, audit trail, consent history) into the state
 * and repaints, and resolves when done. A list that could not be read becomes `null` (the view
 * says so) and emits `error`; a load overtaken by a newer one is dropped.
 */
export async function loadPrivacyData(context: WidgetContext): Promise<void> {
  const { state, storage } = context;
  const token = ++state.loads;
  state.data = undefined;
  const lists = await Promise.all([
    callStorage(() => storage.events.list()),
    callStorage(() => storage.audit.list()),
    callStorage(() => storage.consent.history()),
  ]);
  if (token !== state.loads) return;
  const [items, audit, history] = lists.map((list) => {
    if (list.ok) return list.value;
    context.report(list.error);
    return null;
  }) as [PrivacyData['items'], PrivacyData['audit'], PrivacyData['history']];
  state.data = { items, audit, history };
  context.paint();
}
