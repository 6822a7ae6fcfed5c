import {
  ConsentGateError,
  createEmitter,
  ErrorCode,
  err,
  MIN_SALT_LENGTH,
} from '@consentgate/core';
import type { ConsentRecord, Emitter, Result, Signals } from '@consentgate/core';
import type { Policy } from '@consentgate/policy';
import type { Store } from '@consentgate/store';

import { asError } from './as-error.js';
import { createConsentHolder, noNotice } from './create-consent-holder.js';
import type { ConsentHolder } from './create-consent-holder.js';
import { createEventQueue } from './create-event-queue.js';
import type { EventQueue } from './create-event-queue.js';
import { createFlushSchedule } from './create-flush-schedule.js';
import type { FlushSchedule } from './create-flush-schedule.js';
import { createPageEffects } from './create-page-effects.js';
import type { PageEffects } from './create-page-effects.js';
import { createSender, NOT_RUN } from './create-sender.js';
import { decisionInput } from './decision-input.js';
import { erase } from './erase.js';
import { processBatch } from './process-batch.js';
import type { BatchSink } from './process-batch.js';
import type { DestinationOptions, Sender } from './sender.js';
import { readSignals } from './signals.js';
import type { Tracker, TrackerEvents, TrackerOptions } from './tracker.js';

/** The SDK's name and version, sent in each message's `context.library`. */
const LIBRARY = { name: '@consentgate/sdk', version: '0.0.0' } as const;

/** Most events decided and written together (one transaction per store per batch). */
const MAX_PROCESS_BATCH = 250;

/** Most outbox messages one flush takes. */
const SEND_BATCH_LIMIT = 200;

/** The options with their defaults applied, and what the environment offers. */
interface Environment {
  readonly now: () => number;
  /** Never throws: a failing reader means no signals. */
  readonly signals: () => Signals;
  readonly fetch: typeof fetch;
  readonly random: () => number;
  /** The page's window, or `undefined` outside a browser. */
  readonly window: Window | undefined;
}

/** What the consent holder, the sender, each batch and the erasure share. */
interface Context extends Environment {
  readonly policy: Policy;
  readonly store: Store;
  readonly jurisdiction: string;
  readonly salt: string;
  readonly destinations: Readonly<Record<string, DestinationOptions>>;
  readonly onError: (error: ConsentGateError) => void;
}

/** Everything that exists once the policy and the store arrived. */
interface Running {
  readonly context: Context;
  readonly consent: ConsentHolder;
  readonly sender: Sender;
  readonly schedule: FlushSchedule;
}

/** The pieces created at once, before anything loaded. */
interface Parts {
  readonly env: Environment;
  readonly emitter: Emitter<TrackerEvents>;
  /** Reports refusals and failures as `event:blocked` and `error` events. */
  readonly sink: Pick<BatchSink, 'blocked' | 'error'>;
  readonly page: PageEffects;
  readonly events: EventQueue;
  /** Set once started, when the policy and store arrived; `destroyed` by `destroy()`. */
  readonly state: { running?: Running; destroyed: boolean };
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
  const env = environment(options);
  // What every part reports, as the tracker's events.
  const sink: Parts['sink'] = {
    blocked: (event, reasons) => emitter.emit('event:blocked', event, reasons),
    error: (error) => emitter.emit('error', error),
  };
  const fail = sink.error;
  const emitter = createEmitter<TrackerEvents>({
    onListenerError: (cause) =>
      fail(new ConsentGateError(ErrorCode.SdkCallbackFailed, 'listener threw', { cause })),
  });
  const page = createPageEffects({ ...options, onError: fail });
  const events = createEventQueue({
    ...env,
    limit: options.queueLimit ?? 100,
    batchSize: MAX_PROCESS_BATCH,
    sink,
  });
  const state: Parts['state'] = { destroyed: false };
  const ready = start(options, { env, emitter, sink, page, events, state });
  /** Runs `fn` once started, or returns `fallback` when the tracker could not start. */
  const whenRunning = async <T>(fn: (running: Running) => Promise<T>, fallback: () => T) => {
    await ready;
    return state.running ? fn(state.running) : fallback();
  };

  return {
    ready,
    track: (name, properties) => events.submit('track', name, properties),
    page: (properties) =>
      events.submit('track', 'Page Viewed', {
        ...pageDefaults(env.window),
        ...(isObject(properties) ? properties : {}),
      }),
    identify: (userId, traits) =>
      events.submit('identify', 'Identify', {
        ...(isObject(traits) ? traits : {}),
        userId: typeof userId === 'string' ? userId : '',
      }),
    getConsent: () => state.running?.consent.receipt(),
    granted: (purpose) => state.running?.consent.granted(purpose) === true,
    getNotice: () => state.running?.consent.notice(),
    setConsent: (choices, setOptions) =>
      whenRunning(
        ({ consent }) =>
          consent.write(isObject(choices) ? choices : {}, setOptions?.method ?? 'api'),
        noNotice,
      ),
    withdraw: (purpose) => whenRunning(({ consent }) => consent.withdraw(purpose), noNotice),
    flush: () =>
      whenRunning(
        ({ sender }) => sender.flush(),
        () => NOT_RUN,
      ),
    erase: () =>
      whenRunning(
        async ({ context, sender, consent }) => {
          const result = await erase({
            ...context,
            // Nothing sent after the erasure request may recreate what it asked to delete.
            beforeLocal: () => sender.abort(),
          });
          if (result.ok) consent.erased();
          return result;
        },
        () => err(new ConsentGateError(ErrorCode.StoreUnavailable, 'no store')),
      ),
    on: (name, fn) => emitter.on(name, fn),
    destroy: () => {
      state.destroyed = true;
      events.close();
      page.stop();
      state.running?.schedule.stop();
      state.running?.consent.stop();
    },
  };
}

/**
 * Waits for the policy and the store, then creates what depends on them (the consent holder, the
 * sender, the flush schedule, the tag activator) and opens the event queue. Never rejects: a
 * start failure is an `error` event, and every event is then refused.
 */
async function start(options: TrackerOptions, parts: Parts): Promise<void> {
  const { env, emitter, sink, page, events, state } = parts;
  const fail = sink.error;
  try {
    const [policy, store, jurisdiction] = await Promise.all([
      unwrap(options.policy, 'policy'),
      unwrap(options.store, 'store'),
      resolveJurisdiction(options.jurisdiction),
    ]);
    if (policy.error) fail(policy.error);
    const destinations = options.destinations ?? {};
    const context: Context = {
      ...env,
      policy,
      store,
      jurisdiction,
      salt: options.salt,
      destinations,
      onError: fail,
    };
    const consent = createConsentHolder(context);
    const sender = createSender({
      ...context,
      consent,
      maxAttempts: options.maxAttempts ?? 10,
      batchLimit: SEND_BATCH_LIMIT,
      lockName: 'consentgate:sender',
      isHidden: () => env.window?.document.visibilityState === 'hidden',
      isOnline: () => globalThis.navigator?.onLine !== false,
      library: LIBRARY,
      sink: {
        sent: (message) => emitter.emit('event:sent', message),
        blocked: ({ entry, event }, reasons) =>
          sink.blocked(
            {
              name: event.name,
              messageId: entry.messageId,
              purpose: entry.purpose,
              destination: entry.destination,
            },
            reasons,
          ),
        error: fail,
      },
    });
    consent.on('purpose:withdrawn', (purpose) => {
      sender.abort(purpose);
      page.withdrawn(purpose);
    });
    consent.on('consent:updated', (record: Readonly<ConsentRecord> | undefined) => {
      page.consentChanged((purpose) => consent.granted(purpose));
      emitter.emit('consent:updated', record);
    });
    await consent.start();
    if (state.destroyed) {
      consent.stop();
      return;
    }
    const schedule = createFlushSchedule({
      ...env,
      flush: () => sender.flush(),
      intervalMs: options.flushIntervalMs ?? 10_000,
    });
    if (options.activateTags ?? env.window !== undefined) {
      page.activateTags(
        (script) =>
          policy.script(decisionInput(context, consent.receipt(), consent.revision, { script }))
            .decision.allow,
      );
    }
    events.open((items) =>
      processBatch(items, {
        ...context,
        consent,
        destinations: Object.keys(destinations),
        sink: {
          ...sink,
          stored: (record) => emitter.emit('event:stored', record),
          queued: () => schedule.soon(),
        },
      }),
    );
    state.running = { context, consent, sender, schedule };
  } catch (error) {
    fail(asError(error, ErrorCode.SdkStartFailed, 'not started'));
    events.open(undefined);
  }
}

function environment(options: TrackerOptions): Environment {
  const read = options.signals ?? (() => readSignals());
  const hasDom = typeof document !== 'undefined' && typeof window !== 'undefined';
  return {
    now: options.now ?? Date.now,
    signals: () => {
      try {
        return { gpc: read().gpc === true };
      } catch {
        return { gpc: false };
      }
    },
    fetch: options.fetch ?? ((...args: Parameters<typeof fetch>) => globalThis.fetch(...args)),
    random: options.random ?? Math.random,
    window: hasDom ? window : undefined,
  };
}

/** `Page Viewed` defaults: the path (no query, no fragment), the title and the referrer. */
function pageDefaults(target: Window | undefined): Record<string, unknown> {
  if (!target) return {};
  const { document: doc, location } = target;
  return {
    path: location.pathname,
    title: doc.title,
    ...(doc.referrer ? { referrer: doc.referrer } : {}),
  };
}

function validate(options: TrackerOptions): void {
  const invalid = (message: string) => {
    throw new ConsentGateError(ErrorCode.SdkInvalidOptions, `createTracker: ${message}`);
  };
  if (!isObject(options)) invalid('options must be an object');
  if (!options.policy) invalid('`policy` is required');
  if (!options.store) invalid('`store` is required');
  if (typeof options.salt !== 'string' || options.salt.length < MIN_SALT_LENGTH) {
    invalid(`\`salt\` needs ${MIN_SALT_LENGTH}+ characters`);
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
    if (!resolved.ok) throw resolved.error;
    return resolved.value;
  }
  if (!resolved)
    throw new ConsentGateError(ErrorCode.SdkStartFailed, `${what} resolved to nothing`);
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

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
