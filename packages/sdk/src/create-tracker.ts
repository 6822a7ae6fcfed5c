import {
  ConsentGateError,
  createEmitter,
  ErrorCode,
  err,
  noticeRevision,
  ok,
  sha256Hex,
} from '@consentgate/core';
import type {
  ConsentMethod,
  ConsentRecord,
  ConsentState,
  Listener,
  Notice,
  PolicyInput,
  Purpose,
  Result,
  Signals,
  Unsubscribe,
} from '@consentgate/core';
import type { Policy } from '@consentgate/policy';
import type {
  AuditInput,
  DueMessage,
  EventInput,
  OutboxInput,
  Store,
  StoredEvent,
} from '@consentgate/store';

import { createActivator } from './activation.js';
import type { Activator } from './activation.js';
import { createConsentMode } from './consent-mode.js';
import type { ConsentModeOptions } from './consent-mode.js';
import { deleteCookies } from './cookies.js';
import { createSender } from './create-sender.js';
import type { DestinationOptions, FlushReport, SentMessage } from './create-sender.js';
import { minimise } from './minimise.js';
import { normaliseEvent } from './normalise.js';
import type { JsonValue } from './normalise.js';
import { readSignals } from './signals.js';

/** The SDK's name and version, sent in each message's `context.library`. */
const LIBRARY = { name: '@consentgate/sdk', version: '0.0.0' } as const;

/** Most events decided and written together (one transaction per store per batch). */
const MAX_PROCESS_BATCH = 250;

/** Name of the `BroadcastChannel` (and DOM event) that tells other tabs consent changed. */
const CONSENT_EVENT = 'consent:updated';

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
  /** A per-site secret mixed into every hashed value; at least 16 characters. */
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

interface Ready {
  readonly policy: Policy;
  readonly store: Store;
  readonly digest: string;
  readonly jurisdiction: string;
}

interface Pending {
  readonly name: string;
  readonly properties: Readonly<Record<string, JsonValue>>;
  readonly type: 'track' | 'identify';
  readonly at: number;
  readonly resolve: (result: TrackResult) => void;
}

/**
 * Creates a tracker and returns it at once; the policy and store finish loading in the
 * background while calls wait in memory.
 *
 * @throws {@link ConsentGateError} `sdk/invalid-options` when options are missing or malformed
 * (an integration mistake, reported synchronously).
 *
 * @example
 * ```ts
 * const tracker = createTracker({
 *   policy: loadPolicy('/policy/manifest.json', { digest: 'sha256-…' }),
 *   store: openStore('consentgate'),
 *   salt: 'a-long-random-site-secret',
 *   jurisdiction: 'JP',
 *   destinations: { collector: { url: 'https://collect.shop.example/v1/batch' } },
 * });
 * tracker.track('Product Viewed', { sku: 'A1', price: 1200, currency: 'JPY' });
 * ```
 */
export function createTracker(options: TrackerOptions): Tracker {
  validate(options);
  const now = options.now ?? Date.now;
  const signals = options.signals ?? (() => readSignals());
  const queueLimit = options.queueLimit ?? 100;
  const destinations = options.destinations ?? {};
  const random = options.random ?? Math.random;
  const fetchFn =
    options.fetch ?? ((...args: Parameters<typeof fetch>) => globalThis.fetch(...args));
  const hasDom = typeof document !== 'undefined' && typeof window !== 'undefined';

  const emitter = createEmitter<TrackerEvents>({
    onListenerError: (error) => {
      emitter.emit(
        'error',
        new ConsentGateError(ErrorCode.SdkInvalidOptions, 'a tracker listener threw', {
          cause: error,
        }),
      );
    },
  });
  const fail = (error: ConsentGateError) => emitter.emit('error', error);

  let state: Ready | undefined;
  let failed = false;
  let destroyed = false;
  let consent: ConsentRecord | undefined;
  let revision: string | undefined;
  let notice: Notice | undefined;
  let queue: Pending[] = [];
  let activator: Activator | undefined;
  const cleanups: (() => void)[] = [];
  const consentMode = options.consentMode
    ? createConsentMode(options.consentMode === true ? {} : options.consentMode)
    : undefined;
  consentMode?.setDefaults();

  const policyInput = (extra: Partial<PolicyInput> = {}): PolicyInput => {
    const current = consentFor(consent);
    return {
      now: now(),
      jurisdiction: state?.jurisdiction ?? 'default',
      signals: safeSignals(signals),
      ...(current ? { consent: current } : {}),
      ...extra,
    };
  };

  /** Only a receipt for the current notice revision counts; an outdated one asks again. */
  const consentFor = (record: ConsentRecord | undefined): ConsentState | undefined =>
    record && revision && record.revision === revision
      ? { revision: record.revision, purposes: record.purposes, given_at: record.given_at }
      : undefined;

  const refreshNotice = () => {
    if (!state) return;
    notice = state.policy.notice(policyInput()).decision ?? undefined;
  };

  const granted = (purpose: Purpose): boolean =>
    notice?.purposes.some((p) => p.id === purpose && p.allowed) === true;

  const sender = createSender({
    // The sender only runs after start() set the state; see flush().
    store: () => (state as Ready).store,
    destinations,
    readConsent: async () => {
      await reloadConsent();
      return consentFor(consent) ? consent : undefined;
    },
    egress: (message, record) => {
      // Decide under the consent re-read inside the lock, never a stale in-memory copy.
      const { consent: _stale, ...base } = policyInput();
      const current = consentFor(record);
      return (state as Ready).policy.egress({
        ...base,
        ...(current ? { consent: current } : {}),
        destination: message.entry.destination,
        event: {
          type: 'track',
          name: message.event.name,
          purpose: message.entry.purpose,
          keys: Object.keys(message.event.fields),
        },
      });
    },
    anonymousId: (message, record) => anonymousIdFor(message, record),
    policyDigest: () => state?.digest ?? '',
    fetch: fetchFn,
    now,
    random,
    maxAttempts: options.maxAttempts ?? 10,
    batchLimit: 200,
    lockName: 'consentgate:sender',
    isHidden: () => hasDom && document.visibilityState === 'hidden',
    isOnline: () => globalThis.navigator?.onLine !== false,
    library: LIBRARY,
    onSent: (message) => emitter.emit('event:sent', message),
    onBlocked: (message, reasons) =>
      emitter.emit(
        'event:blocked',
        {
          name: message.event.name,
          messageId: message.entry.messageId,
          purpose: message.entry.purpose,
          destination: message.entry.destination,
        },
        reasons,
      ),
    onError: fail,
  });

  /** The visitor's pseudonymous id, read once per consent change (`undefined`: no history). */
  let visitorId: Promise<string | undefined> | undefined;

  /**
   * A pseudonymous id derived from the first receipt of the visitor's consent history: stable
   * until they erase everything, never stored on its own, and attached only when the policy lets
   * the message's purpose carry an identifier (the collect decision's `anonymous_id`, asked again
   * at send time so it holds after a reload and in other tabs).
   */
  const anonymousIdFor = async (
    message: DueMessage,
    record: ConsentRecord,
  ): Promise<string | undefined> => {
    if (!state) return undefined;
    const { consent: _stale, ...base } = policyInput();
    const current = consentFor(record);
    const { decision } = state.policy.collect({
      ...base,
      ...(current ? { consent: current } : {}),
      event: { type: 'track', name: message.event.name, keys: [] },
    });
    if (decision.records[message.entry.purpose]?.anonymous_id !== true) return undefined;
    const store = state.store;
    visitorId ??= store.consent.history().then(async (history) => {
      const root = history.ok ? history.value[0]?.id : undefined;
      return root ? (await sha256Hex(`${options.salt}\u0000${root}`)).slice(0, 32) : undefined;
    });
    return visitorId;
  };

  const reloadConsent = async (): Promise<void> => {
    if (!state) return;
    const latest = await state.store.consent.latest();
    if (!latest.ok) {
      fail(latest.error);
      return;
    }
    applyConsent(latest.value);
  };

  const applyConsent = (record: ConsentRecord | undefined) => {
    const before = consentFor(consent)?.purposes ?? {};
    const changed = record?.id !== consent?.id;
    consent = record;
    if (changed) visitorId = undefined;
    refreshNotice();
    if (!changed) return;
    const after = consentFor(consent)?.purposes ?? {};
    for (const purpose of Object.keys(before)) {
      if (before[purpose] === true && after[purpose] !== true) onWithdrawn(purpose);
    }
    consentMode?.update(granted);
    void activator?.refresh();
    emitter.emit('consent:updated', consent);
  };

  const onWithdrawn = (purpose: Purpose) => {
    sender.abort(purpose);
    const names = options.cookies?.[purpose];
    if (names && hasDom) deleteCookies(names);
  };

  const start = async (): Promise<void> => {
    try {
      const [policy, store, jurisdiction] = await Promise.all([
        unwrap(options.policy, 'policy'),
        unwrap(options.store, 'store'),
        resolveJurisdiction(options.jurisdiction),
      ]);
      if (policy.error) fail(policy.error);
      state = { policy, store, digest: policy.digest ?? '', jurisdiction };
      const draft = policy.notice(policyInput()).decision;
      revision = draft && policy.digest ? await noticeRevision(draft, policy.digest) : undefined;
      await reloadConsent();
      refreshNotice();
      listenForConsentChanges();
      if (options.activateTags ?? hasDom) startActivator();
    } catch (error) {
      failed = true;
      fail(
        asError(
          error,
          ErrorCode.PolicyNotLoaded,
          'the tracker could not start; nothing is collected',
        ),
      );
    }
    const waiting = queue;
    queue = [];
    for (const item of waiting) enqueue(item);
  };

  const listenForConsentChanges = () => {
    if (!state) return;
    const store = state.store;
    cleanups.push(
      store.on('consent:appended', (record) => applyConsent(record)),
      store.on('store:erased', () => {
        applyConsent(undefined);
      }),
    );
    if (typeof BroadcastChannel === 'function') {
      const channel = new BroadcastChannel('consentgate');
      // Other tabs only hint; the store is the truth, so re-read it.
      channel.onmessage = () => void reloadConsent();
      cleanups.push(
        store.on('consent:appended', () => channel.postMessage({ type: CONSENT_EVENT })),
        store.on('store:erased', () => channel.postMessage({ type: CONSENT_EVENT })),
        () => channel.close(),
      );
    }
    if (hasDom) {
      const onDomConsent = () => void reloadConsent();
      const onHidden = () => {
        if (document.visibilityState === 'hidden') void sender.flush();
      };
      const onOnline = () => void sender.flush();
      window.addEventListener(CONSENT_EVENT, onDomConsent);
      document.addEventListener('visibilitychange', onHidden);
      window.addEventListener('online', onOnline);
      cleanups.push(() => {
        window.removeEventListener(CONSENT_EVENT, onDomConsent);
        document.removeEventListener('visibilitychange', onHidden);
        window.removeEventListener('online', onOnline);
      });
    }
    const interval = options.flushIntervalMs ?? 10_000;
    if (interval > 0) {
      const timer = setInterval(() => void sender.flush(), interval);
      cleanups.push(() => clearInterval(timer));
    }
  };

  const startActivator = () => {
    activator = createActivator({
      decide: (script) =>
        state ? state.policy.script(policyInput({ script })).decision.allow : false,
      onError: (error) =>
        fail(asError(error, ErrorCode.PolicyEvalFailed, 'a tag could not be decided')),
    });
    void activator.start();
    cleanups.push(() => activator?.stop());
  };

  /** Events waiting to be processed; drained in batches so each batch costs three transactions. */
  const waiting: Pending[] = [];
  let draining = false;

  const enqueue = (item: Pending) => {
    waiting.push(item);
    if (draining) return;
    draining = true;
    void drain();
  };

  const drain = async (): Promise<void> => {
    try {
      while (waiting.length > 0) {
        const batch = waiting.splice(0, MAX_PROCESS_BATCH);
        const settled = new Set<Pending>();
        const settle = (item: Pending, result: TrackResult) => {
          if (settled.has(item)) return;
          settled.add(item);
          item.resolve(result);
        };
        try {
          await processBatch(batch, settle);
        } catch (error) {
          fail(asError(error, ErrorCode.StoreUnavailable, 'events could not be processed'));
        }
        for (const item of batch) settle(item, { stored: 0, reasons: ['internal-error'] });
      }
    } finally {
      draining = false;
    }
  };

  const blocked = (
    item: Pending,
    messageId: string | undefined,
    reasons: readonly string[],
    purpose?: Purpose,
  ): TrackResult => {
    emitter.emit(
      'event:blocked',
      { name: item.name, ...(messageId ? { messageId } : {}), ...(purpose ? { purpose } : {}) },
      reasons,
    );
    return { stored: 0, reasons };
  };

  /**
   * Decides, minimises and stores a batch of events with one `events.put`, one `audit.append` and
   * one `outbox.enqueue` (three transactions however many events), then settles each caller.
   */
  const processBatch = async (
    items: readonly Pending[],
    settle: (item: Pending, result: TrackResult) => void,
  ): Promise<void> => {
    if (destroyed || failed || !state) {
      for (const item of items) {
        settle(
          item,
          blocked(item, undefined, [destroyed ? 'tracker-destroyed' : 'policy-unavailable']),
        );
      }
      return;
    }
    const { policy, store, digest } = state;
    const audits: AuditInput[] = [];
    const inputs: EventInput[] = [];
    const owners = new Map<string, { item: Pending; messageId: string }>();
    const plans = new Map<
      Pending,
      { messageId: string; reasons: readonly string[]; dropped: Map<Purpose, readonly string[]> }
    >();
    const deniedLater: [Pending, string, Purpose, readonly string[]][] = [];

    for (const item of items) {
      const messageId = randomId();
      const answer = policy.collect(
        policyInput({
          now: item.at,
          event: { type: item.type, name: item.name, keys: Object.keys(item.properties) },
        }),
      );
      if (answer.error) fail(answer.error);
      const decision = answer.decision;
      const records = Object.values(decision.records);
      if (!decision.allow || records.length === 0) {
        const reasons =
          decision.reasons.length > 0 ? decision.reasons : [answer.error?.code ?? 'denied'];
        audits.push({ kind: 'blocked', event: item.name, reasons, policyDigest: digest });
        settle(item, blocked(item, messageId, reasons));
        continue;
      }
      const dropped = new Map<Purpose, readonly string[]>();
      for (const record of records) {
        const { fields } = await minimise(item.properties, record.fields, options.salt);
        const id = randomId();
        owners.set(id, { item, messageId });
        dropped.set(
          record.purpose,
          Object.entries(record.dropped).map(([k, code]) => `${k}:${code}`),
        );
        inputs.push({
          id,
          name: item.name,
          purpose: record.purpose,
          fields,
          createdAt: item.at,
          expiresAt: record.expires_at,
          policyDigest: digest,
          messageId,
        });
      }
      for (const [purpose, codes] of Object.entries(decision.denied)) {
        audits.push({
          kind: 'blocked',
          event: item.name,
          purpose,
          reasons: codes,
          policyDigest: digest,
        });
        deniedLater.push([item, messageId, purpose, codes]);
      }
      plans.set(item, { messageId, reasons: decision.reasons, dropped });
    }

    const put = inputs.length > 0 ? await store.events.put(inputs) : undefined;
    if (put && !put.ok) {
      fail(put.error);
      await store.audit.append(audits);
      for (const item of plans.keys())
        settle(item, blocked(item, plans.get(item)?.messageId, [put.error.code]));
      return;
    }
    const stored = put?.value.stored ?? [];
    const skipped = put?.value.skipped ?? [];
    for (const record of stored) {
      audits.push({
        kind: 'allowed',
        event: record.name,
        eventId: record.id,
        purpose: record.purpose,
        reasons:
          plans.get(owners.get(record.id)?.item as Pending)?.dropped.get(record.purpose) ?? [],
        policyDigest: digest,
      });
    }
    if (audits.length > 0) {
      const appended = await store.audit.append(audits);
      if (!appended.ok) fail(appended.error);
    }
    for (const record of stored) emitter.emit('event:stored', record);
    for (const [item, messageId, purpose, codes] of deniedLater) {
      emitter.emit('event:blocked', { name: item.name, messageId, purpose }, codes);
    }

    // Queue each stored record for every configured destination the policy lets it reach now;
    // the decision is taken again right before sending.
    const outbox: OutboxInput[] = [];
    for (const record of stored) {
      for (const destination of Object.keys(destinations)) {
        const egress = policy.egress(
          policyInput({
            destination,
            event: {
              type: 'track',
              name: record.name,
              purpose: record.purpose,
              keys: Object.keys(record.fields),
            },
          }),
        );
        if (egress.decision.allow)
          outbox.push({ event: record, destination, nextAttemptAt: now() });
      }
    }
    if (outbox.length > 0) {
      const queued = await store.outbox.enqueue(outbox);
      if (!queued.ok) fail(queued.error);
      else scheduleFlush();
    }

    const storedPer = new Map<Pending, number>();
    for (const record of stored) {
      const owner = owners.get(record.id)?.item;
      if (owner) storedPer.set(owner, (storedPer.get(owner) ?? 0) + 1);
    }
    const skippedPer = new Map<Pending, string[]>();
    for (const skip of skipped) {
      const owner = owners.get(skip.id)?.item;
      if (owner)
        skippedPer.set(owner, [...(skippedPer.get(owner) ?? []), `${skip.purpose}:${skip.reason}`]);
    }
    for (const [item, plan] of plans) {
      settle(item, {
        stored: storedPer.get(item) ?? 0,
        reasons: [...plan.reasons, ...(skippedPer.get(item) ?? [])],
      });
    }
  };

  let flushTimer: ReturnType<typeof setTimeout> | undefined;
  const scheduleFlush = () => {
    if (flushTimer !== undefined || destroyed) return;
    // Coalesce the calls of one burst into one request.
    flushTimer = setTimeout(() => {
      flushTimer = undefined;
      void sender.flush();
    }, 50);
  };

  const submit = (
    type: Pending['type'],
    name: unknown,
    properties: unknown,
  ): Promise<TrackResult> =>
    new Promise<TrackResult>((resolve) => {
      try {
        const normalised = normaliseEvent(name, properties);
        if (!normalised.ok) {
          const reason = `invalid-event:${normalised.reason}`;
          fail(
            new ConsentGateError(ErrorCode.SdkInvalidEvent, `event refused: ${normalised.reason}`),
          );
          emitter.emit(
            'event:blocked',
            { name: typeof name === 'string' ? name.slice(0, 128) : '' },
            [reason],
          );
          resolve({ stored: 0, reasons: [reason] });
          return;
        }
        if (destroyed) {
          resolve({ stored: 0, reasons: ['tracker-destroyed'] });
          return;
        }
        const item: Pending = {
          name: normalised.name,
          properties: normalised.properties,
          type,
          at: now(),
          resolve: (result) =>
            resolve(
              normalised.dropped.length > 0
                ? {
                    ...result,
                    reasons: [
                      ...result.reasons,
                      ...normalised.dropped.map((d) => `${d.key}:${d.reason}`),
                    ],
                  }
                : result,
            ),
        };
        if (!state && !failed) {
          queue.push(item);
          if (queue.length > queueLimit) {
            const dropped = queue.shift() as Pending;
            fail(
              new ConsentGateError(
                ErrorCode.SdkQueueOverflow,
                'too many events before the policy loaded',
              ),
            );
            dropped.resolve({ stored: 0, reasons: ['queue-overflow'] });
          }
          return;
        }
        enqueue(item);
      } catch (error) {
        fail(asError(error, ErrorCode.SdkInvalidEvent, 'track failed'));
        resolve({ stored: 0, reasons: ['internal-error'] });
      }
    });

  const writeConsent = async (
    choices: Readonly<Record<string, boolean>>,
    method: ConsentMethod,
  ): Promise<Result<ConsentRecord>> => {
    try {
      await ready;
      if (!state || !notice || !revision) {
        return err(
          new ConsentGateError(
            ErrorCode.PolicyNotLoaded,
            'consent cannot be recorded without a notice',
          ),
        );
      }
      const purposes: Record<string, boolean> = {};
      for (const purpose of notice.purposes) {
        if (purpose.required) continue;
        purposes[purpose.id] = purpose.locked ? false : choices[purpose.id] === true;
      }
      const appended = await state.store.consent.append({
        revision,
        purposes,
        jurisdiction: state.jurisdiction,
        signals: safeSignals(signals),
        method,
        given_at: now(),
        policy_digest: state.digest,
      });
      if (!appended.ok) {
        fail(appended.error);
        return appended;
      }
      applyConsent(appended.value);
      if (hasDom) {
        window.dispatchEvent(new CustomEvent(CONSENT_EVENT, { detail: appended.value }));
      }
      return ok(appended.value);
    } catch (error) {
      const wrapped = asError(error, ErrorCode.StoreUnavailable, 'consent could not be recorded');
      fail(wrapped);
      return err(wrapped);
    }
  };

  const ready = start();

  return {
    ready,
    track: (name, properties) => submit('track', name, properties),
    page: (properties) => {
      const defaults: Record<string, unknown> = hasDom
        ? {
            path: location.pathname,
            title: document.title,
            ...(document.referrer ? { referrer: document.referrer } : {}),
          }
        : {};
      return submit('track', 'Page Viewed', {
        ...defaults,
        ...(isObject(properties) ? properties : {}),
      });
    },
    identify: (userId, traits) =>
      submit('identify', 'Identify', {
        ...(isObject(traits) ? traits : {}),
        userId: typeof userId === 'string' ? userId : '',
      }),
    getConsent: () => consent,
    granted,
    getNotice: () => notice,
    setConsent: (choices, setOptions) =>
      writeConsent(isObject(choices) ? choices : {}, setOptions?.method ?? 'api'),
    withdraw: async (purpose) => {
      await ready;
      const current = consentFor(consent)?.purposes ?? {};
      const choices: Record<string, boolean> = { ...current };
      for (const p of notice?.purposes ?? []) {
        if (purpose === undefined || p.id === purpose) choices[p.id] = false;
      }
      return writeConsent(choices, 'api');
    },
    flush: async () => {
      await ready;
      return state ? sender.flush() : { ran: false, sent: 0, blocked: 0, retried: 0, dropped: 0 };
    },
    erase: async () => {
      try {
        await ready;
        if (!state) {
          return err(
            new ConsentGateError(ErrorCode.StoreUnavailable, 'nothing to erase: no store'),
          );
        }
        const store = state.store;
        const history = await store.consent.history();
        const receiptIds = history.ok ? history.value.map((r) => r.id) : [];
        const root = history.ok ? history.value[0]?.id : undefined;
        const anonymousId = root
          ? (await sha256Hex(`${options.salt}\u0000${root}`)).slice(0, 32)
          : undefined;
        const remote: { destination: string; ok: boolean; status: number }[] = [];
        for (const [destination, target] of Object.entries(destinations)) {
          if (!target.eraseUrl || receiptIds.length === 0) continue;
          const status = await postErase(fetchFn, target.eraseUrl, { anonymousId, receiptIds });
          remote.push({ destination, ok: status >= 200 && status < 300, status });
          if (status < 200 || status >= 300) {
            fail(
              new ConsentGateError(
                ErrorCode.TransportHttpError,
                `${destination} did not confirm the erasure (${status === 0 ? 'unreachable' : `HTTP ${status}`})`,
              ),
            );
          }
        }
        for (const purpose of Object.keys(consentFor(consent)?.purposes ?? {}))
          sender.abort(purpose);
        const erased = await store.eraseAll();
        if (!erased.ok) {
          fail(erased.error);
          return erased;
        }
        applyConsent(undefined);
        if (hasDom) window.dispatchEvent(new CustomEvent(CONSENT_EVENT, { detail: undefined }));
        return ok({ remote });
      } catch (error) {
        const wrapped = asError(error, ErrorCode.StoreUnavailable, 'erasure failed');
        fail(wrapped);
        return err(wrapped);
      }
    },
    on: (name, fn) => emitter.on(name, fn),
    destroy: () => {
      destroyed = true;
      if (flushTimer !== undefined) clearTimeout(flushTimer);
      for (const cleanup of cleanups.splice(0)) cleanup();
      for (const item of queue.splice(0))
        item.resolve({ stored: 0, reasons: ['tracker-destroyed'] });
    },
  };
}

function validate(options: TrackerOptions): void {
  const invalid = (message: string) => {
    throw new ConsentGateError(ErrorCode.SdkInvalidOptions, `createTracker: ${message}`);
  };
  if (!isObject(options)) invalid('options must be an object');
  if (!options.policy) invalid('`policy` is required (loadPolicy from @consentgate/policy)');
  if (!options.store) invalid('`store` is required (openStore from @consentgate/store)');
  if (typeof options.salt !== 'string' || options.salt.length < 16) {
    invalid('`salt` must be a per-site secret of at least 16 characters');
  }
  for (const [id, destination] of Object.entries(options.destinations ?? {})) {
    if (!isObject(destination) || typeof destination.url !== 'string' || destination.url === '') {
      invalid(`destination "${id}" needs a url`);
    }
  }
}

async function unwrap<T>(value: T | PromiseLike<T | Result<T>>, what: string): Promise<T> {
  const resolved = await value;
  if (
    isObject(resolved) &&
    'ok' in resolved &&
    typeof resolved.ok === 'boolean' &&
    !('mode' in resolved)
  ) {
    const result = resolved;
    if (!result.ok) throw result.error;
    return result.value;
  }
  if (!resolved)
    throw new ConsentGateError(ErrorCode.SdkInvalidOptions, `${what} resolved to nothing`);
  return resolved as T;
}

async function resolveJurisdiction(value: TrackerOptions['jurisdiction']): Promise<string> {
  try {
    const resolved = typeof value === 'function' ? await value() : value;
    return typeof resolved === 'string' && resolved !== '' ? resolved : 'default';
  } catch {
    // An unreachable server means the strictest rules, not no rules.
    return 'default';
  }
}

function safeSignals(read: () => Signals): Signals {
  try {
    const signals = read();
    return { gpc: signals.gpc === true };
  } catch {
    return { gpc: false };
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function asError(error: unknown, code: ErrorCode, message: string): ConsentGateError {
  return error instanceof ConsentGateError
    ? error
    : new ConsentGateError(code, message, { cause: error });
}

/** Posts an erasure request, retrying twice; returns the HTTP status, or 0 when unreachable. */
async function postErase(
  fetchFn: typeof fetch,
  url: string,
  body: { anonymousId: string | undefined; receiptIds: readonly string[] },
): Promise<number> {
  let status = 0;
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      const response = await fetchFn(url, {
        method: 'POST',
        headers: { 'Content-Type': 'text/plain;charset=UTF-8' },
        body: JSON.stringify(body),
        credentials: 'omit',
        keepalive: true,
      });
      status = response.status;
      if (status < 500 && status !== 408 && status !== 429) return status;
    } catch {
      status = 0;
    }
  }
  return status;
}

function randomId(): string {
  return globalThis.crypto.randomUUID();
}
