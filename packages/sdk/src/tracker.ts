// The tracker's public contract: options, results and events. The factory lives in
// create-tracker.ts; keeping the types here lets the pieces it wires import them without a cycle.
import type {
  ConsentGateError,
  ConsentMethod,
  ConsentRecord,
  Listener,
  Notice,
  Purpose,
  Result,
  Signals,
  Unsubscribe,
} from '@consentgate/core';
import type { Policy } from '@consentgate/policy';
import type { Store, StoredEvent } from '@consentgate/store';

import type { ConsentModeOptions } from './consent-mode.js';
import type { DestinationOptions, FlushReport, SentMessage } from './sender.js';

/** Options for {@link createTracker}. */
export interface TrackerOptions {
  /**
   * The policy bundle, as `loadPolicy` from `@consentgate/policy` returns it (or a promise of it).
   * Until it is loaded, events wait in memory; if it fails, every event is denied.
   */
  readonly policy: Policy | PromiseLike<Policy | Result<Policy>>;
  /**
   * The visitor's storage, as `openStore` from `@consentgate/store` returns it (or a promise).
   * Until it is open, events wait in memory; if it fails, nothing is stored or sent.
   */
  readonly store: Store | PromiseLike<Store | Result<Store>>;
  /** A per-site secret mixed into every hashed value; at least `MIN_SALT_LENGTH` (16) characters. */
  readonly salt: string;
  /**
   * Where each destination of the catalog receives batches; destinations not listed here are
   * never sent anything.
   *
   * @default {} (nothing leaves the device)
   */
  readonly destinations?: Readonly<Record<string, DestinationOptions>>;
  /**
   * The visitor's jurisdiction (`'EU'`, `'US-CA'`, `'JP'`, a country code…), or a function that
   * asks the site's own server. ConsentGate never looks up IP addresses with third parties.
   *
   * @default 'default' (the strictest rules)
   */
  readonly jurisdiction?: string | (() => string | PromiseLike<string>);
  /**
   * Browser privacy signals, read before each decision.
   *
   * @default reads `navigator.globalPrivacyControl`
   */
  readonly signals?: () => Signals;
  /** @default Date.now */
  readonly now?: () => number;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /**
   * Most events kept in memory while the policy or store is loading; the oldest are dropped
   * beyond it (counted, and reported as `sdk/queue-overflow`).
   *
   * @default 100
   */
  readonly queueLimit?: number;
  /**
   * Interval of the background flush (retries, other tabs' outbox); `0` turns it off.
   *
   * @default 10000
   */
  readonly flushIntervalMs?: number;
  /**
   * Delivery attempts per message before it is given up (removed and audited).
   *
   * @default 10
   */
  readonly maxAttempts?: number;
  /**
   * Cookies that each purpose's tags set, deleted when the purpose is withdrawn.
   *
   * @default {}
   */
  readonly cookies?: Readonly<Record<string, readonly string[]>>;
  /**
   * Activate `<script type="text/plain" data-cg-purpose>` and `<iframe data-cg-purpose data-src>`
   * when the policy's `script` entrypoint allows them.
   *
   * @default true in browsers
   */
  readonly activateTags?: boolean;
  /**
   * Bridge to Google Consent Mode v2: denied defaults now, updates on every consent change.
   *
   * @default false
   */
  readonly consentMode?: boolean | ConsentModeOptions;
  /** @default Math.random */
  readonly random?: () => number;
}

/** What one `track` call did. */
export interface TrackResult {
  /** Records stored (one per allowed purpose). */
  readonly stored: number;
  /** Why it was (partly) not stored: `"<purpose>:<code>"` or a bare code. */
  readonly reasons: readonly string[];
}

/** An event as `event:blocked` reports it: metadata only. */
export interface BlockedEvent {
  readonly name: string;
  readonly messageId?: string;
  readonly purpose?: Purpose;
  readonly destination?: string;
}

/** Events a {@link Tracker} emits. */
export type TrackerEvents = {
  /** An event (or one purpose's record of it, or its delivery) was refused, with reasons. */
  'event:blocked': [event: Readonly<BlockedEvent>, reasons: readonly string[]];
  /** A minimised record was committed to IndexedDB. */
  'event:stored': [record: Readonly<StoredEvent>];
  /** A record was delivered to a destination. */
  'event:sent': [message: Readonly<SentMessage>];
  /** The consent in force changed (here, in the widget, or in another tab). */
  'consent:updated': [record: Readonly<ConsentRecord> | undefined];
  /** Something failed; the tracker carries on with the safe behaviour (deny, retry, no-op). */
  error: [error: ConsentGateError];
};

/** What {@link Tracker.erase} did. */
export interface EraseReport {
  /** Destinations that confirmed the erasure, and those that could not be reached or refused. */
  readonly remote: readonly {
    readonly destination: string;
    readonly ok: boolean;
    readonly status: number;
  }[];
}

/** Options for {@link Tracker.setConsent}. */
export interface SetConsentOptions {
  /**
   * How the choice was made; recorded in the receipt. The widget records `banner`; a site's own
   * settings page calling the API records `api`.
   *
   * @default 'api'
   */
  readonly method?: ConsentMethod;
}

/** The tracker returned by {@link createTracker}. */
export interface Tracker {
  /** Resolves once the policy, the store and the consent in force are known (or failed). */
  readonly ready: Promise<void>;
  /**
   * Records an event: decided by the policy, minimised, stored, queued for the destinations the
   * policy allows. Never throws or rejects.
   */
  track(name: string, properties?: Readonly<Record<string, unknown>>): Promise<TrackResult>;
  /** Records a `Page Viewed` event with the page's path, title and referrer. */
  page(properties?: Readonly<Record<string, unknown>>): Promise<TrackResult>;
  /**
   * Records an `Identify` event. The storefront catalog declares none, so the policy refuses it:
   * ConsentGate does not tie events to a known person unless a privacy team adds that purpose.
   */
  identify(userId: string, traits?: Readonly<Record<string, unknown>>): Promise<TrackResult>;
  /** The consent receipt in force, or `undefined` before the visitor answered. */
  getConsent(): ConsentRecord | undefined;
  /** True when the policy allows `purpose` under the consent in force right now. */
  granted(purpose: Purpose): boolean;
  /** The notice for this visitor, or `undefined` while the policy loads. */
  getNotice(): Notice | undefined;
  /**
   * Records explicit choices (missing non-required purposes count as "no") and returns the
   * receipt. Declined purposes' records and outbox entries are deleted in the same transaction.
   */
  setConsent(
    choices: Readonly<Record<string, boolean>>,
    options?: SetConsentOptions,
  ): Promise<Result<ConsentRecord>>;
  /** Withdraws one purpose, or every optional purpose when none is given. */
  withdraw(purpose?: Purpose): Promise<Result<ConsentRecord>>;
  /** Sends what is due now (if this tab holds the sender lock). */
  flush(): Promise<FlushReport>;
  /**
   * Erases everything: asks each destination with an `eraseUrl` to delete what it received from
   * this visitor (by pseudonymous id and consent receipt ids), then deletes everything on the
   * device but a minimal "erased at" receipt. The local erasure happens even when a destination
   * cannot be reached; the report says which confirmed.
   */
  erase(): Promise<Result<EraseReport>>;
  /** Adds a listener and returns the function that removes it. */
  on<Name extends keyof TrackerEvents>(name: Name, fn: Listener<TrackerEvents[Name]>): Unsubscribe;
  /** Stops timers, listeners and the tag activator. Pending calls resolve as denied. */
  destroy(): void;
}
