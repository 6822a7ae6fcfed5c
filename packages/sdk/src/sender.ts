// The sender's contract: where destinations receive batches, what a flush reports, and what the
// sender needs. The factory lives in create-sender.ts.
import type {
  ConsentGateError,
  ConsentRecord,
  Purpose,
  Signals,
  WireMessage,
} from '@consentgate/core';
import type { Policy } from '@consentgate/policy';
import type { DueMessage, Store } from '@consentgate/store';

/** Where one destination receives batches. */
export interface DestinationOptions {
  /** The collector endpoint accepting `POST` batches (wire protocol v1). */
  readonly url: string;
  /**
   * The endpoint accepting erasure requests (`POST { anonymousId, receiptIds }`), called by
   * `Tracker.erase`; without it the destination is not asked to delete anything.
   *
   * @default undefined
   */
  readonly eraseUrl?: string;
}

/**
 * A Segment-spec message as the sender puts it on the wire: `WireMessage` of `@consentgate/core`
 * (wire protocol v1), under the name this package has always exported.
 */
export type OutgoingMessage = WireMessage;

/** A message delivered to a destination, as `event:sent` reports it. */
export interface SentMessage {
  readonly messageId: string;
  readonly destination: string;
  readonly purpose: Purpose;
  readonly name: string;
  readonly fields: readonly string[];
}

/** What one flush did. */
export interface FlushReport {
  /** False when another tab held the sender lock, or the browser is offline. */
  readonly ran: boolean;
  readonly sent: number;
  readonly blocked: number;
  readonly retried: number;
  readonly dropped: number;
}

/** Where the sender reads the consent in force. */
export interface ConsentReader {
  /** The notice revision a receipt must answer to count, or `undefined` when none can count. */
  readonly revision: string | undefined;
  /**
   * Re-reads the receipt from the store (the truth all tabs share) and returns it when it counts
   * for {@link ConsentReader.revision}, or `undefined` ("no consent").
   */
  reload(): Promise<ConsentRecord | undefined>;
}

/** Where the sender reports what it did; each is called after the store committed it. */
export interface SenderSink {
  /** A destination accepted `message`. */
  sent(message: SentMessage): void;
  /** `message` was refused (consent, egress, the collector) and removed, with reasons. */
  blocked(message: DueMessage, reasons: readonly string[]): void;
  /** Something failed; the sender carried on with the safe behaviour. */
  error(error: ConsentGateError): void;
}

/** What {@link createSender} needs: the policy and store it sends under, and the environment. */
export interface SenderOptions {
  /** The policy deciding egress again right before each request. */
  readonly policy: Policy;
  /** The store holding the outbox. */
  readonly store: Store;
  /** The consent in force, re-read inside the sender lock. */
  readonly consent: ConsentReader;
  /** The site's salt, from which the pseudonymous `anonymousId` is derived. */
  readonly salt: string;
  /** The visitor's jurisdiction, as resolved when the tracker started. */
  readonly jurisdiction: string;
  /** Browser privacy signals, read before each egress decision; must not throw. */
  readonly signals: () => Signals;
  readonly destinations: Readonly<Record<string, DestinationOptions>>;
  readonly fetch: typeof fetch;
  readonly now: () => number;
  readonly random: () => number;
  /** Delivery attempts per message before it is given up. */
  readonly maxAttempts: number;
  /** Most messages taken from the outbox per flush. */
  readonly batchLimit: number;
  /** The Web Locks name shared by every tab of the origin. */
  readonly lockName: string;
  /** True while the page is hidden: requests then use `keepalive`. */
  readonly isHidden: () => boolean;
  readonly isOnline: () => boolean;
  /** The library named in each message's `context.library`. */
  readonly library: { readonly name: string; readonly version: string };
  readonly sink: SenderSink;
}

/** The sender created by {@link createSender}. */
export interface Sender {
  /** Sends what is due, if this tab gets the sender lock; never rejects. */
  flush(): Promise<FlushReport>;
  /**
   * Aborts in-flight requests carrying records of `purpose`, or every in-flight request when no
   * purpose is given.
   */
  abort(purpose?: Purpose): void;
}
