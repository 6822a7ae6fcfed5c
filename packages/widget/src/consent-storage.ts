import type { ConsentReceipt, ConsentRecord, Result } from '@consentgate/core';

/**
 * One item kept on this device, as the privacy centre lists it. `@consentgate/store`'s stored
 * events fit this shape; extra fields are ignored.
 */
export interface StoredItem {
  /** The purpose it was collected for; withdrawing that purpose deletes it. */
  readonly purpose: string;
  /** What it is, such as the event name `'Product Viewed'`. */
  readonly name?: string;
  /** When it was stored (epoch ms). */
  readonly createdAt?: number;
  /** When it is deleted at the latest (epoch ms). */
  readonly expiresAt: number;
}

/**
 * One entry of the audit trail: something that was blocked, stored or sent, and why. Extra fields
 * are ignored.
 */
export interface AuditItem {
  /** When it happened (epoch ms). */
  readonly at: number;
  /**
   * What happened, such as `'blocked'`, `'sent'`, `'expired'` or `'purged'`; shown through
   * `messages.auditKind`.
   */
  readonly kind: string;
  /** The event concerned, by name. */
  readonly event?: string;
  /** The purpose concerned. */
  readonly purpose?: string;
  /** Where it was sent, or would have been. */
  readonly destination?: string;
  /** Reason codes (`code` or `purpose:code`), shown with the notice's texts for them. */
  readonly reasons?: readonly string[];
  /** How many records it covers (expired, purged, evicted). */
  readonly count?: number;
}

// A receipt as the widget hands it to the storage (everything but `id` and `previous`): core's
// type, so a receipt the tracker writes has the same shape.
export type { ConsentReceipt } from '@consentgate/core';

/**
 * The storage the widget reads and writes: exactly the calls it makes, each resolving to a
 * `Result` and never rejecting. A `Store` from `@consentgate/store`'s `openStore` fits it as is;
 * tests and sites without IndexedDB can pass any object of this shape.
 *
 * @example
 * ```ts
 * const store = await openStore('consentgate');
 * if (store.ok) createWidget({ notice, policyDigest, storage: store.value });
 * ```
 */
export interface ConsentStorage {
  /** The append-only, hash-chained consent history. */
  readonly consent: {
    /**
     * Appends a receipt and resolves with it as stored, `id` and `previous` (the SHA-256 of the
     * receipt before it) assigned. It must also delete, in the same step, whatever was collected
     * for each purpose the receipt declines: that is how a withdrawal deletes data.
     * `@consentgate/store` does both by default (`purgeDeclined`). The widget emits
     * `consent:updated` only after this resolves `ok`.
     */
    append(receipt: ConsentReceipt): Promise<Result<ConsentRecord>>;
    /** The newest receipt, or `undefined` (or `null`) when the visitor never answered. */
    latest(): Promise<Result<ConsentRecord | null | undefined>>;
    /** Every receipt, in any order (the privacy centre sorts them newest first). */
    history(): Promise<Result<readonly ConsentRecord[]>>;
  };
  /** Events kept on this device. */
  readonly events: {
    /** The unexpired items. */
    list(): Promise<Result<readonly StoredItem[]>>;
  };
  /** The audit trail. */
  readonly audit: {
    /** The unexpired entries, in any order (the privacy centre sorts them newest first). */
    list(): Promise<Result<readonly AuditItem[]>>;
  };
  /** Deletes everything on this device, the consent history included. */
  eraseAll(): Promise<Result<unknown>>;
  /** Returns everything on this device as one JSON-serialisable value. */
  export(): Promise<Result<unknown>>;
}
