import { consentState } from '@consentgate/core';
import type { ConsentRecord } from '@consentgate/core';

import { freezeRecord } from './freeze-record.js';

/**
 * Returns a frozen copy of `record` if it answers the notice `revision`, else `undefined`: a
 * receipt for another revision, or any receipt while the revision is unknown, is no consent.
 * Core's `consentState` decides, as it does for the tracker.
 */
export function currentReceipt(
  record: Readonly<ConsentRecord> | null | undefined,
  revision: string | undefined,
): Readonly<ConsentRecord> | undefined {
  return record && consentState(record, revision) ? freezeRecord(record) : undefined;
}
