import type { ConsentRecord, Purpose } from '@consentgate/core';

/**
 * What an audit entry records. Audit entries are metadata only: names, purposes, destinations,
 * reasons and counts, never property values.
 */
export const AuditKind = {
  /** A policy allowed an event to be stored. */
  Allowed: 'allowed',
  /** A policy blocked an event; nothing was stored. */
  Blocked: 'blocked',
  /** A record was delivered to a destination (written by {@link Outbox.complete}). */
  Sent: 'sent',
  /** Records passed their expiry and were deleted by the sweeper (one entry per purpose and sweep). */
  Expired: 'expired',
  /** Everything was deleted at the visitor's request; the only entry {@link Store.eraseAll} keeps. */
  Erased: 'erased',
  /** A purpose's records were deleted because consent was withdrawn. */
  Purged: 'purged',
  /** Records were deleted early to make room when the storage quota ran out. */
  Evicted: 'evicted',
} as const;

/** One of the {@link AuditKind} values, such as `'expired'`. */
export type AuditKind = (typeof AuditKind)[keyof typeof AuditKind];

/** A minimised event record as it is kept on the device. */
export interface StoredEvent {
  /** Record id; with `purpose` and `expiresAt` it addresses the record. */
  readonly id: string;
  /** Event name, such as `'Product Viewed'`. */
  readonly name: string;
  /** The purpose this record serves; withdrawing it deletes the record. */
  readonly purpose: Purpose;
  /** Property values after minimisation (keep, hash, generalise); JSON-safe. */
  readonly fields: Readonly<Record<string, unknown>>;
  /** The data category of each field, such as `{ email: 'user.contact.email' }`, when known. */
  readonly categories?: Readonly<Record<string, string>>;
  /** When it was stored (epoch ms). */
  readonly createdAt: number;
  /** When it must be gone (epoch ms); reads never return it from this instant on. */
  readonly expiresAt: number;
  /** Digest of the policy bundle that allowed it. */
  readonly policyDigest: string;
  /** The Segment `messageId` of the tracked call, when there is one. */
  readonly messageId?: string;
}

/** A record to store with {@link Events.put}. */
export interface EventInput {
  /**
   * Record id. Give a stable id to make a retried write idempotent: writing the same id, purpose
   * and expiry again replaces the record instead of adding a second one.
   *
   * @default a random UUID
   */
  readonly id?: string;
  /** Event name. */
  readonly name: string;
  /** The purpose the policy allowed it for. */
  readonly purpose: Purpose;
  /** Minimised property values; must be structured-cloneable (plain JSON data is). */
  readonly fields: Readonly<Record<string, unknown>>;
  /**
   * The data category of each field; fields whose category is listed in
   * {@link StoreOptions.encryptCategories} are encrypted at rest.
   *
   * @default undefined (no field is encrypted)
   */
  readonly categories?: Readonly<Record<string, string>>;
  /** When it must be gone (epoch ms), normally the `collect` decision's `expires_at`. */
  readonly expiresAt: number;
  /**
   * When it was collected (epoch ms).
   *
   * @default the store's `now()`
   */
  readonly createdAt?: number;
  /** Digest of the policy bundle that allowed it. */
  readonly policyDigest: string;
  /**
   * The Segment `messageId` of the tracked call.
   *
   * @default undefined
   */
  readonly messageId?: string;
}

/** Why {@link Events.put} did not store a record. */
export type SkipReason =
  /** Its `expiresAt` had already passed. */
  | 'expired'
  /** The latest consent receipt says no to its purpose (withdrawn, possibly in another tab). */
  | 'consent-declined';

/** The outcome of {@link Events.put}. */
export interface PutReport {
  /** Records written, in input order. */
  readonly stored: readonly StoredEvent[];
  /** Records not written, each with why. */
  readonly skipped: readonly {
    readonly id: string;
    readonly purpose: Purpose;
    readonly reason: SkipReason;
  }[];
}

/** A pending delivery of one stored record to one destination. */
export interface OutboxEntry {
  /** Entry id. */
  readonly id: string;
  /** The {@link StoredEvent.id} to send. */
  readonly eventId: string;
  /** Destination id, as used by the `egress` entrypoint. */
  readonly destination: string;
  /** The record's purpose; withdrawing it deletes the entry. */
  readonly purpose: Purpose;
  /** Stable id the collector de-duplicates on; the same across retries. */
  readonly messageId: string;
  /** Delivery attempts so far. */
  readonly attempts: number;
  /** Not to be sent before this instant (epoch ms). */
  readonly nextAttemptAt: number;
  /** When it was enqueued (epoch ms). */
  readonly createdAt: number;
  /** The record's expiry: the entry is deleted with its record. */
  readonly expiresAt: number;
  /**
   * Whether the message may carry the pseudonymous `anonymousId`, as the policy decided when the
   * record was collected ({@link OutboxInput.attachAnonymousId}). Entries stored before this field
   * existed read as `false`.
   */
  readonly attachAnonymousId: boolean;
}

/** The fields of an {@link OutboxEntry} that address it; the entry itself qualifies. */
export type OutboxRef = Pick<OutboxEntry, 'id' | 'purpose' | 'expiresAt'>;

/** An entry to add with {@link Outbox.enqueue}. */
export interface OutboxInput {
  /** The stored record to deliver; its purpose and expiry carry over to the entry. */
  readonly event: Pick<StoredEvent, 'id' | 'purpose' | 'expiresAt'>;
  /** Destination id. */
  readonly destination: string;
  /**
   * Stable id the collector de-duplicates on.
   *
   * @default a random UUID
   */
  readonly messageId?: string;
  /**
   * Not to be sent before this instant (epoch ms).
   *
   * @default the store's `now()`
   */
  readonly nextAttemptAt?: number;
  /**
   * Whether the policy let this record's purpose carry the pseudonymous `anonymousId` when it was
   * collected (the collect decision's `anonymous_id`).
   *
   * @default false
   */
  readonly attachAnonymousId?: boolean;
}

/** An outbox entry that is due, with the record it delivers. */
export interface DueMessage {
  /** The outbox entry; pass it back to {@link Outbox.complete}, `markAttempt` or `remove`. */
  readonly entry: OutboxEntry;
  /** The record to send (decrypted). */
  readonly event: StoredEvent;
}

/** One entry of the audit trail: what happened, to which purpose, and why. Never values. */
export interface AuditEntry {
  /** Entry id. */
  readonly id: string;
  /** When it happened (epoch ms). */
  readonly at: number;
  /** What happened. */
  readonly kind: AuditKind;
  /** The event name, when it is about an event. */
  readonly event?: string;
  /** The record id, when it is about one stored record. */
  readonly eventId?: string;
  /** The purpose concerned. */
  readonly purpose?: Purpose;
  /** The destination concerned. */
  readonly destination?: string;
  /** Reason codes, such as `'consent-required'` or `'analytics:gpc-opt-out'`. */
  readonly reasons: readonly string[];
  /** Digest of the policy bundle that decided, when a policy decided. */
  readonly policyDigest?: string;
  /** How many records it covers (expired, purged, evicted). */
  readonly count?: number;
  /** When the entry itself is deleted (epoch ms); `Infinity` for the erasure receipt. */
  readonly expiresAt: number;
}

/** An entry to add with {@link Audit.append}. */
export interface AuditInput {
  /** What happened. */
  readonly kind: AuditKind;
  /**
   * When it happened (epoch ms).
   *
   * @default the store's `now()`
   */
  readonly at?: number;
  /** @default undefined */
  readonly event?: string;
  /** @default undefined */
  readonly eventId?: string;
  /** @default undefined */
  readonly purpose?: Purpose;
  /** @default undefined */
  readonly destination?: string;
  /** @default [] */
  readonly reasons?: readonly string[];
  /** @default undefined */
  readonly policyDigest?: string;
  /** @default undefined */
  readonly count?: number;
  /**
   * When the entry is deleted (epoch ms).
   *
   * @default `at` plus {@link StoreOptions.auditRetentionMs}
   */
  readonly expiresAt?: number;
}

/** A consent receipt to append: the store assigns `previous` (the hash chain) and, if absent, `id`. */
export type ConsentInput = Omit<ConsentRecord, 'id' | 'previous'> & {
  /**
   * Receipt id.
   *
   * @default a random UUID
   */
  readonly id?: string;
};

/** The outcome of {@link ConsentHistory.verifyChain}. */
export type ChainReport =
  | { readonly intact: true; readonly length: number }
  | {
      readonly intact: false;
      readonly length: number;
      /** Index (oldest first) of the first receipt whose `previous` does not match. */
      readonly brokenAt: number;
    };

/** Records deleted for one purpose. */
export interface PurposeCount {
  /** The purpose. */
  readonly purpose: Purpose;
  /** How many event records were deleted. */
  readonly count: number;
}

/** The outcome of {@link Store.sweep}. */
export interface SweepReport {
  /** Expired event records deleted, per purpose (purposes with none are left out). */
  readonly expired: readonly PurposeCount[];
  /** Expired outbox entries deleted. */
  readonly outbox: number;
  /** Expired audit entries deleted. */
  readonly audit: number;
  /** Transactions used; each deletes at most {@link StoreOptions.sweepBatchSize} per store. */
  readonly batches: number;
}

/** The outcome of {@link Store.purge}. */
export interface PurgeReport {
  /** The purpose purged. */
  readonly purpose: Purpose;
  /** Event records deleted. */
  readonly events: number;
  /** Outbox entries deleted. */
  readonly outbox: number;
}

/** Options for {@link Store.purge}. */
export interface PurgeOptions {
  /**
   * Reason codes for the `purged` audit entry.
   *
   * @default ['consent-withdrawn']
   */
  readonly reasons?: readonly string[];
  /**
   * Digest of the policy in force, for the audit entry.
   *
   * @default undefined
   */
  readonly policyDigest?: string;
}
