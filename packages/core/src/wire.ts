// Wire protocol v1: what the SDK's sender posts and what a collector answers. Both sides import
// these types and limits, so a change to the protocol is one diff.
import type { ConsentRecord, Purpose } from './contract.js';

/** The wire protocol version this module describes. */
export const WIRE_VERSION = 1;

/**
 * The largest batch body the sender posts, in bytes (UTF-8 JSON, envelope included). 64 KiB is
 * the budget browsers give `keepalive` requests and `sendBeacon` across all in-flight ones.
 */
export const MAX_BATCH_BYTES = 64 * 1024;

/** A JSON value as it travels on the wire. */
export type WireJson =
  string | number | boolean | null | readonly WireJson[] | { readonly [key: string]: WireJson };

/** One Segment-spec `track` message as the sender posts it. */
export interface WireMessage {
  readonly type: 'track';
  /** The event name. */
  readonly event: string;
  /** Properties after minimisation, restricted to the fields the egress decision allows. */
  readonly properties: Readonly<Record<string, WireJson>>;
  /** Stable id the collector de-duplicates on; the same across retries. */
  readonly messageId: string;
  /** When the event happened, ISO 8601. */
  readonly timestamp: string;
  /** The pseudonymous visitor id, present only when the policy lets the purpose carry one. */
  readonly anonymousId?: string;
  readonly context: {
    readonly library: { readonly name: string; readonly version: string };
    readonly consentgate: {
      /** The purpose the record was collected for. */
      readonly purpose: Purpose;
      /** The digest of the policy that decided. */
      readonly policyDigest: string;
      /** The receipt the batch carries; the collector decides again under it. */
      readonly receiptId: string;
    };
  };
}

/** The body of one `POST` to a collector: messages of one destination and purpose. */
export interface WireBatch {
  readonly batch: readonly WireMessage[];
  /** When the batch was sent, ISO 8601. */
  readonly sentAt: string;
  /** The consent receipt in force; every message cites it by `receiptId`. */
  readonly receipt: Readonly<ConsentRecord>;
}

/** One message a collector refused, with why. */
export interface WireRejection {
  readonly messageId?: string;
  readonly event?: string;
  readonly purpose?: string;
  readonly reasons: readonly string[];
}

/** A collector's answer to a {@link WireBatch}. */
export interface WireAnswer {
  /** How many messages were stored (duplicates of earlier ones count as accepted). */
  readonly accepted?: number;
  /** Messages refused for good, each with reasons; the sender drops and audits them. */
  readonly rejected?: readonly WireRejection[];
}

/** The body of an erasure request (`POST` to a destination's `eraseUrl`). */
export interface WireEraseRequest {
  /** The pseudonymous visitor id, when the visitor had one. */
  readonly anonymousId?: string;
  /** Every consent receipt id of the visitor's history. */
  readonly receiptIds: readonly string[];
}
