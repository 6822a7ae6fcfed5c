import { ConsentGateError, err, ErrorCode, ok } from '@consentgate/core';
import type { Listener, Purpose } from '@consentgate/core';
import { createUnavailableNotice, loadPolicy } from '@consentgate/policy';
import type { Policy } from '@consentgate/policy';
import { createConsentMode, createTracker } from '@consentgate/sdk';
import type { DestinationOptions, Tracker, TrackerEvents } from '@consentgate/sdk';
import { openStore } from '@consentgate/store';
import type { Store } from '@consentgate/store';
import type * as WidgetModule from '@consentgate/widget';
import type { ConsentStorage, Widget } from '@consentgate/widget';

import type { ConsentGate, ConsentGateEvents, ConsentGateOptions } from './consent-gate.js';

/** What differs between the npm entry and the script tag. Internal. */
export interface ConsentGateInternals {
  /** Loads the widget module: `import()` from npm, the integrity-checked chunk from the tag. */
  readonly loadWidget: () => Promise<typeof WidgetModule>;
  /**
   * The script tag already pushed the Consent Mode default synchronously, so only updates are
   * left to push (a second, identical default would be noise in the `dataLayer`).
   *
   * @default false
   */
  readonly consentModeDefaultsPushed?: boolean;
}

/** Tracker events a {@link ConsentGate} passes through unchanged. */
const TRACKER_EVENTS: ReadonlySet<string> = new Set<keyof TrackerEvents>([
  'consent:updated',
  'event:blocked',
  'event:stored',
  'event:sent',
]);

/** The shortest salt the tracker accepts. */
const MIN_SALT_LENGTH = 16;

/**
 * What the widget's `policyDigest` is given when no bundle was verified (`policy.digest` is
 * `null`): the option needs a string to compute the notice revision from, but it reaches no
 * receipt, because {@link erasingStorage} refuses to write one then. Never a digest (not hex).
 */
const UNVERIFIED = 'unverified';

/**
 * Creates a running ConsentGate and returns it at once; what {@link startConsentGate} and the
 * script tag's runtime chunk both call. Internal.
 *
 * @throws {@link ConsentGateError} `sdk/invalid-options` for missing or malformed options,
 * before anything is loaded or opened.
 */
export function createConsentGate(
  options: ConsentGateOptions,
  internals: ConsentGateInternals,
): ConsentGate {
  validate(options);
  const report = options.onError ?? defaultErrorReporter;
  const listeners = new Set<Listener<ConsentGateEvents['error']>>();
  // A closed policy answers every decision with the same error object; it is one failure, so it
  // gets one console line and one `error` event, not one per tracked event.
  const reported = new WeakSet<ConsentGateError>();
  const onError = (error: ConsentGateError) => {
    if (reported.has(error)) return;
    reported.add(error);
    try {
      report(error);
    } catch {
      // A failing reporter must not break the page.
    }
    for (const fn of listeners) {
      try {
        fn(error);
      } catch {
        // Same for listeners.
      }
    }
  };

  const policyPromise = loadPolicy(options.policy, {
    ...(options.policyDigest ? { digest: options.policyDigest } : {}),
  });
  const storePromise = openStore(options.storeName ?? 'consentgate');
  const destinations: Record<string, DestinationOptions> = { ...options.destinations };
  if (options.collector) {
    destinations.collector = {
      url: options.collector,
      eraseUrl: options.collector.replace(/\/v1\/batch(\?.*)?$/, '/v1/erase'),
    };
  }
  const consentMode = options.consentMode ?? true;
  const tracker = createTracker({
    policy: policyPromise,
    store: storePromise,
    salt: options.salt,
    destinations,
    // The tracker asks a site's function once; the widget shows the tracker's own notice.
    ...(options.jurisdiction === undefined ? {} : { jurisdiction: options.jurisdiction }),
    consentMode: consentMode && !internals.consentModeDefaultsPushed,
    ...(options.cookies ? { cookies: options.cookies } : {}),
  });
  // The tracker reports a policy that failed to load (once); so does every later failure.
  tracker.on('error', onError);
  if (consentMode && internals.consentModeDefaultsPushed) {
    // The updates the tracker would push, at the same moment: after each consent change.
    const bridge = createConsentMode();
    tracker.on('consent:updated', () => bridge.update((purpose) => tracker.granted(purpose)));
  }

  let policy: Policy | undefined;
  let store: Store | undefined;
  let widget: Widget | undefined;

  const start = async (): Promise<void> => {
    await tracker.ready;
    policy = await policyPromise;
    const opened = await storePromise;
    if (!opened.ok) {
      onError(opened.error);
      return;
    }
    store = opened.value;
    if (options.widget === false) return;
    let widgetModule: typeof WidgetModule;
    try {
      widgetModule = await internals.loadWidget();
    } catch (error) {
      onError(
        new ConsentGateError(ErrorCode.WidgetChunkFailed, 'the consent widget did not load', {
          cause: error,
        }),
      );
      return;
    }
    // Without a verified bundle there is no digest for a receipt to cite: the banner still says
    // that nothing is collected, but no answer to it is recorded.
    const { digest } = policy;
    const refusal =
      digest === null
        ? (policy.error ?? new ConsentGateError(ErrorCode.PolicyNotLoaded, 'no verified policy'))
        : null;
    widget = widgetModule.createWidget({
      notice: tracker.getNotice() ?? createUnavailableNotice(location.hostname),
      policyDigest: digest ?? UNVERIFIED,
      storage: erasingStorage(store, tracker, refusal),
      ...(options.locale ? { locale: options.locale } : {}),
      ...(options.reopenButton === undefined ? {} : { reopenButton: options.reopenButton }),
    });
    widget.on('error', onError);
    await widget.ready;
  };

  const ready = start().catch((error: unknown) =>
    onError(
      error instanceof ConsentGateError
        ? error
        : new ConsentGateError(ErrorCode.SdkStartFailed, 'ConsentGate could not start', {
            cause: error,
          }),
    ),
  );

  return {
    ready,
    tracker,
    get widget() {
      return widget;
    },
    get policy() {
      return policy;
    },
    get store() {
      return store;
    },
    track: (name, properties) => tracker.track(name, properties),
    page: (properties) => tracker.page(properties),
    identify: (userId, traits) => tracker.identify(userId, traits),
    setConsent: (choices) => tracker.setConsent(choices, { method: 'api' }),
    withdraw: (purpose) => tracker.withdraw(purpose),
    erase: () => tracker.erase(),
    granted: (purpose) => tracker.granted(purpose),
    getConsent: () => tracker.getConsent(),
    showPreferences: () => void ready.then(() => widget?.showPreferences()),
    showPrivacyCentre: () => void ready.then(() => widget?.showPrivacyCentre()),
    on: (name, fn) => {
      if (typeof fn !== 'function')
        invalid(`on('${String(name)}'): the listener is not a function`);
      if (name === 'error') {
        const listener = fn as Listener<ConsentGateEvents['error']>;
        listeners.add(listener);
        return () => void listeners.delete(listener);
      }
      if (!TRACKER_EVENTS.has(name)) invalid(`on('${String(name)}'): no such event`);
      return tracker.on(name, fn);
    },
  };
}

/** Throws for an integration mistake, before anything starts loading. */
function validate(options: ConsentGateOptions): void {
  if (typeof options !== 'object' || options === null) invalid('options must be an object');
  if (typeof options.policy !== 'string' || options.policy === '') {
    invalid('`policy` (the URL of the bundle’s manifest.json) is required');
  }
  if (typeof options.salt !== 'string' || options.salt.length < MIN_SALT_LENGTH) {
    invalid(`\`salt\` must be a per-site secret of at least ${MIN_SALT_LENGTH} characters`);
  }
  if (options.collector !== undefined && typeof options.collector !== 'string') {
    invalid('`collector` must be a URL');
  }
}

function invalid(message: string): never {
  throw new ConsentGateError(ErrorCode.SdkInvalidOptions, `startConsentGate: ${message}`);
}

/**
 * The store as the widget sees it, except that "Delete everything" goes through the tracker, so
 * the collectors are asked to delete their copy too before the local data goes. With `refusal`
 * set (no bundle was verified, so there is no digest to cite) no receipt is written: the widget
 * gets that error back, which was reported already.
 */
function erasingStorage(
  store: Store,
  tracker: Tracker,
  refusal: ConsentGateError | null,
): ConsentStorage {
  return {
    consent: refusal
      ? {
          ...store.consent,
          append: () => Promise.resolve(err(refusal)),
        }
      : store.consent,
    events: store.events,
    audit: store.audit,
    export: () => store.export(),
    eraseAll: async () => {
      const erased = await tracker.erase();
      return erased.ok ? ok(erased.value) : erased;
    },
    purge: (purpose: Purpose) => store.purge(purpose),
  } as ConsentStorage;
}

/** One console line per failure, saying what happened and what it means for the visitor. */
function defaultErrorReporter(error: ConsentGateError): void {
  const consequence = error.code.startsWith('policy/')
    ? 'No data will be collected or sent until the policy bundle loads.'
    : error.code.startsWith('store/')
      ? 'Data is kept in memory only for this page.'
      : error.code === ErrorCode.WidgetChunkFailed ||
          error.code === ErrorCode.SdkChunkFailed ||
          error.code === ErrorCode.SdkStartFailed
        ? 'Nothing that needs consent is collected or sent.'
        : '';
  const line = `ConsentGate [${error.code}]: ${error.message}. ${consequence}`.trim();
  if (error.cause === undefined) console.error(line);
  else console.error(line, error.cause);
}
