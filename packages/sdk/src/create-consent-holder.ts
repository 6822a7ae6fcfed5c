import {
  announceConsent,
  CONSENT_CHANNEL,
  CONSENT_UPDATED,
  ConsentGateError,
  consentReceipt,
  consentState,
  createEmitter,
  ErrorCode,
  err,
  noticeRevision,
} from '@consentgate/core';
import type {
  ConsentMethod,
  ConsentRecord,
  Emitter,
  Err,
  Notice,
  Purpose,
  Result,
} from '@consentgate/core';
import type { Policy } from '@consentgate/policy';
import type { Store } from '@consentgate/store';

import { reportError } from './as-error.js';
import { decisionInput } from './decision-input.js';
import type { DecisionContext } from './decision-input.js';

/** Changes a {@link ConsentHolder} announces, in this order for one change. */
export type ConsentHolderEvents = {
  /** `purpose` was allowed by the receipt in force and no longer is. */
  'purpose:withdrawn': [purpose: Purpose];
  /** The receipt changed (here, in the widget, in another tab, or by an erasure). */
  'consent:updated': [record: Readonly<ConsentRecord> | undefined];
};

/** What {@link createConsentHolder} needs. */
export interface ConsentHolderOptions extends DecisionContext {
  readonly policy: Policy;
  readonly store: Store;
  /**
   * The window whose `consent:updated` events the holder hears and dispatches; `undefined`
   * outside a browser.
   */
  readonly window: Window | undefined;
  /** Receives failures; the holder keeps the consent it had. */
  readonly onError: (error: ConsentGateError) => void;
}

/**
 * The consent this tab holds: the latest receipt, the notice computed under it, and the notice
 * revision a receipt must answer to count. The store is the truth; the holder follows it.
 */
export interface ConsentHolder {
  /** The notice revision a receipt must answer to count; `undefined` before `start` or without one. */
  readonly revision: string | undefined;
  /** The latest receipt, even one for an outdated revision, or `undefined`. */
  receipt(): ConsentRecord | undefined;
  /** The notice under the consent in force, or `undefined` before `start` (or when none). */
  notice(): Notice | undefined;
  /** True when the notice in force allows `purpose`. */
  granted(purpose: Purpose): boolean;
  /** Re-reads the store, applies what it holds, and returns the receipt in force. */
  reload(): Promise<ConsentRecord | undefined>;
  /** Appends a receipt for `choices` (missing optional purposes are a no) and applies it. */
  write(
    choices: Readonly<Record<string, unknown>>,
    method: ConsentMethod,
  ): Promise<Result<ConsentRecord>>;
  /** Writes a receipt with `purpose` (or every optional purpose) declined, the rest kept. */
  withdraw(purpose?: Purpose): Promise<Result<ConsentRecord>>;
  /** Forgets the consent after the store was erased, and tells the page. */
  erased(): void;
  /** Computes the revision, reads the store, and starts hearing other parties' changes. */
  start(): Promise<void>;
  /** Stops hearing changes. */
  stop(): void;
  on: Emitter<ConsentHolderEvents>['on'];
}

/**
 * Creates the holder of this tab's consent and returns it. Nothing is read until
 * {@link ConsentHolder.start}, so listeners can be added first and hear the initial receipt.
 */
export function createConsentHolder(options: ConsentHolderOptions): ConsentHolder {
  const { policy, store, onError } = options;
  const state = {
    receipt: undefined as ConsentRecord | undefined,
    notice: undefined as Notice | undefined,
    revision: undefined as string | undefined,
    cleanups: [] as (() => void)[],
  };
  const events = createEmitter<ConsentHolderEvents>({
    onListenerError: (cause) =>
      onError(new ConsentGateError(ErrorCode.SdkCallbackFailed, 'listener threw', { cause })),
  });

  const inForce = () => (consentState(state.receipt, state.revision) ? state.receipt : undefined);

  const refreshNotice = () => {
    state.notice =
      policy.notice(decisionInput(options, state.receipt, state.revision)).decision ?? undefined;
  };

  const apply = (record: ConsentRecord | undefined) => {
    const before = inForce()?.purposes ?? {};
    const changed = record?.id !== state.receipt?.id;
    state.receipt = record;
    refreshNotice();
    if (!changed) return;
    const after = inForce()?.purposes ?? {};
    for (const purpose of Object.keys(before)) {
      if (before[purpose] === true && after[purpose] !== true) {
        events.emit('purpose:withdrawn', purpose);
      }
    }
    events.emit('consent:updated', record);
  };

  /** Applies a change made here and tells the page (other bundles' widgets and trackers). */
  const commit = (record: ConsentRecord | undefined) => {
    apply(record);
    announceConsent(options.window, record);
  };

  const reload = async (): Promise<ConsentRecord | undefined> => {
    const latest = await store.consent.latest();
    if (latest.ok) apply(latest.value);
    else onError(latest.error);
    return inForce();
  };

  const write = async (
    choices: Readonly<Record<string, unknown>>,
    method: ConsentMethod,
  ): Promise<Result<ConsentRecord>> => {
    try {
      const { notice, revision } = state;
      // A receipt must cite the verified policy it answers; without one there is nothing to cite.
      if (!notice || revision === undefined || policy.digest === null) return noNotice();
      const appended = await store.consent.append(
        consentReceipt({
          notice,
          revision,
          choices,
          policyDigest: policy.digest,
          signals: options.signals(),
          method,
          now: options.now(),
        }),
      );
      if (appended.ok) commit(appended.value);
      else onError(appended.error);
      return appended;
    } catch (error) {
      return reportError(onError, error, ErrorCode.StoreUnavailable, 'consent not recorded');
    }
  };

  return {
    get revision() {
      return state.revision;
    },
    receipt: () => state.receipt,
    notice: () => state.notice,
    granted: (purpose) =>
      state.notice?.purposes.some((p) => p.id === purpose && p.allowed) === true,
    reload,
    write,
    withdraw: (purpose) => {
      const choices: Record<string, boolean> = { ...inForce()?.purposes };
      for (const p of state.notice?.purposes ?? []) {
        if (purpose === undefined || p.id === purpose) choices[p.id] = false;
      }
      return write(choices, 'api');
    },
    erased: () => commit(undefined),
    start: async () => {
      state.revision = await revisionOf(policy, options);
      await reload();
      refreshNotice();
      state.cleanups.push(...listen(store, options.window, apply, reload));
    },
    stop: () => {
      for (const cleanup of state.cleanups.splice(0)) cleanup();
    },
    on: (name, fn) => events.on(name, fn),
  };
}

/** The failure of recording consent before (or without) a notice to answer. */
export function noNotice(): Err<ConsentGateError> {
  return err(new ConsentGateError(ErrorCode.PolicyNotLoaded, 'no notice'));
}

/**
 * The revision a receipt must answer: that of the notice shown before any choice (so computed
 * without consent), or `undefined` when there is no notice or no verified digest to bind it to.
 */
async function revisionOf(policy: Policy, context: DecisionContext): Promise<string | undefined> {
  const draft = policy.notice(decisionInput(context)).decision;
  return draft && policy.digest ? noticeRevision(draft, policy.digest) : undefined;
}

/**
 * Hears every party that may change the consent: this tab's store, other tabs (a
 * `BroadcastChannel` hint), and other bundles on the page (the DOM `consent:updated` event).
 * Returns the functions that stop each.
 */
function listen(
  store: Store,
  target: Window | undefined,
  apply: (record: ConsentRecord | undefined) => void,
  reload: () => Promise<unknown>,
): (() => void)[] {
  // Other tabs and other bundles' widgets only hint; the store is the truth, so re-read it.
  const reread = () => void reload();
  const cleanups = [
    store.on('consent:appended', apply),
    store.on('store:erased', () => apply(undefined)),
  ];
  if (typeof BroadcastChannel === 'function') {
    const channel = new BroadcastChannel(CONSENT_CHANNEL);
    channel.onmessage = reread;
    const hint = () => channel.postMessage({ type: CONSENT_UPDATED });
    cleanups.push(store.on('consent:appended', hint), store.on('store:erased', hint), () =>
      channel.close(),
    );
  }
  if (target) {
    target.addEventListener(CONSENT_UPDATED, reread);
    cleanups.push(() => target.removeEventListener(CONSENT_UPDATED, reread));
  }
  return cleanups;
}
