import type { ConsentRecord } from '@consentgate/core';

/**
 * Copies `record` and its nested objects, freezes the copy and returns it, so that listeners get a
 * read-only snapshot and the storage keeps its own object.
 */
export function freezeRecord(record: Readonly<ConsentRecord>): Readonly<ConsentRecord> {
  return Object.freeze({
    ...record,
    purposes: Object.freeze({ ...record.purposes }),
    signals: Object.freeze({ ...record.signals }),
  });
}
