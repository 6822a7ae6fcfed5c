import { ErrorCode, announceConsent, consentReceipt, err, ok } from '@consentgate/core';
import type { ConsentMethod, ConsentRecord, Result } from '@consentgate/core';

import { callStorage } from './call-storage.js';
import type { ConsentChoices } from './consent-choices.js';
import { freezeRecord } from './freeze-record.js';
import type { WidgetContext } from './widget-context.js';

/** Writing and announcing receipts, as {@link createConsentWriter} returns it. */
export interface ConsentWriter {
  /** Writes a receipt for `choices` once every earlier write is done, and returns it. Never rejects. */
  readonly commit: (
    choices: ConsentChoices,
    method: ConsentMethod,
  ) => Promise<Result<Readonly<ConsentRecord>>>;
  /**
   * Tells everyone that this widget changed the consent in force (`undefined`: it erased
   * everything): its listeners, the page (`consent:updated` on `window`), other tabs, and
   * `onConsent`.
   */
  readonly announce: (record: Readonly<ConsentRecord> | undefined) => void;
}

/**
 * Returns the writer of the widget in `context`. Writes wait for `ready` (the revision and the
 * current receipt); `post` tells other tabs.
 */
export function createConsentWriter(
  context: WidgetContext,
  ready: Promise<void>,
  post: () => void,
): ConsentWriter {
  const { state, notice, options } = context;

  function announce(record: Readonly<ConsentRecord> | undefined): void {
    context.events.emit('consent:updated', record);
    announceConsent(context.doc.defaultView, record);
    post();
    try {
      options.onConsent?.(record);
    } catch (error) {
      context.report(error, ErrorCode.SdkCallbackFailed, 'onConsent threw');
    }
  }

  async function write(
    choices: ConsentChoices,
    method: ConsentMethod,
  ): Promise<Result<Readonly<ConsentRecord>>> {
    try {
      await ready;
      const { revision } = state;
      if (revision === undefined) {
        throw new TypeError('no notice revision (crypto.subtle needs a secure context)');
      }
      const receipt = consentReceipt({
        notice,
        revision,
        choices,
        policyDigest: options.policyDigest,
        signals: { gpc: notice.gpc.detected },
        method,
        now: context.now(),
      });
      // The storage assigns id and previous (it owns the hash chain) and deletes what the
      // declined purposes collected: withdrawal is revocation in fact.
      const appended = await callStorage(
        () => context.storage.consent.append(receipt),
        ErrorCode.WidgetConsentNotSaved,
      );
      if (!appended.ok) {
        return err(
          context.report(appended.error, ErrorCode.WidgetConsentNotSaved, 'consent not saved'),
        );
      }
      const record = freezeRecord(appended.value);
      state.consent = record;
      announce(record);
      return ok(record);
    } catch (error) {
      return err(context.report(error, ErrorCode.WidgetConsentNotSaved, 'consent not saved'));
    }
  }

  function commit(
    choices: ConsentChoices,
    method: ConsentMethod,
  ): Promise<Result<Readonly<ConsentRecord>>> {
    const next = state.writes.then(() => write(choices, method));
    state.writes = next;
    return next;
  }

  return { commit, announce };
}
