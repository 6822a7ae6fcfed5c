// The public types of `consentgate`: what `startConsentGate` takes and returns, and the
// `window.ConsentGate` queue of the script tag. Types apart from behaviour (STYLE §11): the
// factories import from here, so type-only imports make no circles.
import type {
  ConsentGateError,
  ConsentRecord,
  Listener,
  Purpose,
  Result,
  Unsubscribe,
} from '@consentgate/core';
import type { Policy } from '@consentgate/policy';
import type {
  DestinationOptions,
  EraseReport,
  Tracker,
  TrackerEvents,
  TrackResult,
} from '@consentgate/sdk';
import type { Store } from '@consentgate/store';
import type * as WidgetModule from '@consentgate/widget';
import type { Widget } from '@consentgate/widget';

/** Options for {@link startConsentGate}; the script tag reads the same from `data-*` attributes. */
export interface ConsentGateOptions {
  /** URL of the policy bundle's `manifest.json` (`data-policy`). */
  readonly policy: string;
  /**
   * The bundle digest the site trusts, hex or `sha256-<base64>` (`data-policy-digest`). Without
   * it the bundle is only checked against its own manifest.
   *
   * @default undefined
   */
  readonly policyDigest?: string;
  /** A per-site secret of at least 16 characters mixed into every hash (`data-salt`). */
  readonly salt: string;
  /**
   * The first-party collector's batch endpoint (`data-collector`); its erasure endpoint is the
   * same URL with `/v1/batch` replaced by `/v1/erase`.
   *
   * @default undefined (nothing is sent anywhere)
   */
  readonly collector?: string;
  /**
   * More destinations by catalog id, such as `{ ads: { url } }`.
   *
   * @default {}
   */
  readonly destinations?: Readonly<Record<string, DestinationOptions>>;
  /**
   * The visitor's jurisdiction (`data-jurisdiction`), or a function asking the site's server.
   *
   * @default 'default' (the strictest rules)
   */
  readonly jurisdiction?: string | (() => string | PromiseLike<string>);
  /**
   * Locale of the banner (`data-locale`).
   *
   * @default the page's `<html lang>`, else `'en'`
   */
  readonly locale?: string;
  /**
   * IndexedDB database name (`data-store`).
   *
   * @default 'consentgate'
   */
  readonly storeName?: string;
  /**
   * Show the banner, preferences and privacy centre. Off, the site drives consent through
   * {@link ConsentGate.setConsent} itself.
   *
   * @default true
   */
  readonly widget?: boolean;
  /**
   * The floating button that reopens the preferences.
   *
   * @default true
   */
  readonly reopenButton?: boolean;
  /**
   * Google Consent Mode v2 defaults and updates through `window.dataLayer`
   * (`data-consent-mode="false"` switches it off).
   *
   * @default true
   */
  readonly consentMode?: boolean;
  /**
   * Cookies each purpose's tags set, deleted on withdrawal.
   *
   * @default {}
   */
  readonly cookies?: Readonly<Record<string, readonly string[]>>;
  /**
   * Receives every failure. The default writes one clear line per failure to the console, so a
   * site owner sees why nothing is collected.
   *
   * @default console.error
   */
  readonly onError?: (error: ConsentGateError) => void;
  /**
   * Loads the widget; the script-tag build passes its own lazily loaded, integrity-checked chunk.
   *
   * @default () => import('@consentgate/widget')
   */
  readonly loadWidget?: () => Promise<typeof WidgetModule>;
}

/** Events of a {@link ConsentGate}. */
export type ConsentGateEvents = {
  /** The consent in force changed (banner, API, another tab, erasure). */
  'consent:updated': [record: Readonly<ConsentRecord> | undefined];
  /** Something failed; ConsentGate carried on failing closed. */
  error: [error: ConsentGateError];
  /** An event (or one purpose's record of it, or its delivery) was refused, with reasons. */
  'event:blocked': TrackerEvents['event:blocked'];
  /** A minimised record was committed to IndexedDB. */
  'event:stored': TrackerEvents['event:stored'];
  /** A record was delivered to a destination. */
  'event:sent': TrackerEvents['event:sent'];
};

/** A running ConsentGate: the tracker, the widget, and shortcuts to both. */
export interface ConsentGate {
  /** Resolves once the banner (if any) is up and decisions can be taken; never rejects. */
  readonly ready: Promise<void>;
  /** The tracking pipeline. */
  readonly tracker: Tracker;
  /** The banner, preferences and privacy centre, once loaded (undefined with `widget: false`). */
  readonly widget: Widget | undefined;
  /** The loaded policy, once loaded. */
  readonly policy: Policy | undefined;
  /** The local store, once open. */
  readonly store: Store | undefined;
  /** See {@link Tracker.track}. */
  track(name: string, properties?: Readonly<Record<string, unknown>>): Promise<TrackResult>;
  /** See {@link Tracker.page}. */
  page(properties?: Readonly<Record<string, unknown>>): Promise<TrackResult>;
  /** See {@link Tracker.identify}. */
  identify(userId: string, traits?: Readonly<Record<string, unknown>>): Promise<TrackResult>;
  /** Records the site's own consent UI's choices (method `api`). */
  setConsent(choices: Readonly<Record<string, boolean>>): Promise<Result<ConsentRecord>>;
  /** Withdraws one purpose, or all optional ones. */
  withdraw(purpose?: Purpose): Promise<Result<ConsentRecord>>;
  /** Erases the collector's copy and everything on this device. */
  erase(): Promise<Result<EraseReport>>;
  /** True when the policy allows the purpose now. */
  granted(purpose: Purpose): boolean;
  /** The consent in force. */
  getConsent(): ConsentRecord | undefined;
  /** Opens the preferences. */
  showPreferences(): void;
  /** Opens the privacy centre ("My data"). */
  showPrivacyCentre(): void;
  /**
   * Adds a listener and returns the function that removes it.
   *
   * @throws {@link ConsentGateError} `sdk/invalid-options` for an event name not in
   * {@link ConsentGateEvents}.
   */
  on<Name extends keyof ConsentGateEvents>(
    name: Name,
    fn: Listener<ConsentGateEvents[Name]>,
  ): Unsubscribe;
}

/**
 * Methods of {@link ConsentGate} that `window.ConsentGate` records before the runtime has loaded
 * and replays once it has. The one list: {@link QueueMethod}, {@link ConsentGateQueue} and the
 * queue's stubs are all made from it.
 */
export const QUEUE_METHODS = [
  'track',
  'page',
  'identify',
  'setConsent',
  'withdraw',
  'erase',
  'showPreferences',
  'showPrivacyCentre',
  'on',
] as const;

/** One of the {@link QUEUE_METHODS}: a method of {@link ConsentGate} the queue records. */
export type QueueMethod = (typeof QUEUE_METHODS)[number];

/**
 * One command for `ConsentGate.push`: a method name with its arguments, or a function called with
 * the running {@link ConsentGate} once it has loaded.
 *
 * @example
 * ```ts
 * ConsentGate.push(['track', 'Product Viewed', { sku: 'A1' }], (cg) => cg.showPreferences());
 * ```
 */
export type ConsentGateCommand =
  | {
      [M in Exclude<QueueMethod, 'on'>]: readonly [method: M, ...args: Parameters<ConsentGate[M]>];
    }[Exclude<QueueMethod, 'on'>]
  | {
      [E in keyof ConsentGateEvents]: readonly [
        method: 'on',
        name: E,
        fn: Listener<ConsentGateEvents[E]>,
      ];
    }[keyof ConsentGateEvents]
  | ((gate: ConsentGate) => void);

/**
 * `window.ConsentGate` on a page with the script tag: usable at once, before the runtime has
 * loaded. Calls made before are recorded and replayed in order (listeners first); their promises
 * resolve with the real results. Nothing on it throws or rejects.
 */
export interface ConsentGateQueue extends Pick<
  ConsentGate,
  QueueMethod | 'granted' | 'getConsent'
> {
  /** Runs each command: now when loaded, else once the runtime has loaded, in order. */
  push(...commands: ConsentGateCommand[]): void;
  /**
   * Resolves once the runtime has started, the queued calls have been handed to it and it is
   * ready, or once loading failed. Never rejects.
   */
  readonly ready: Promise<void>;
  /** The running ConsentGate, once loaded; `undefined` before, or when loading failed. */
  readonly instance?: ConsentGate;
}
