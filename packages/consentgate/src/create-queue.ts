// `window.ConsentGate` before and after the runtime arrives. Part of the bootstrap, so it imports
// types and the one method list only, and stays small: every byte here is paid on every page view.
import type { Unsubscribe } from '@consentgate/core';

import { QUEUE_METHODS } from './consent-gate.js';
import type { ConsentGate, ConsentGateQueue } from './consent-gate.js';

/** The queue and the two ways it ends. Internal. */
export interface Queue {
  /** What `window.ConsentGate` becomes. */
  readonly queue: ConsentGateQueue;
  /** Hands the recorded calls to `gate`, in order; later calls go straight to it. */
  readonly start: (gate: ConsentGate) => void;
  /** Answers the recorded calls as denied, tells `error` listeners, and reports `error`. */
  readonly fail: (error: Error) => void;
}

/** An `Error` with a ConsentGate error code, as the bootstrap reports it. */
export type CodedError = Error & { code: string };

/** A call recorded before the runtime loaded: a method call and its resolver, or a callback. */
type Call =
  | { readonly m: string; readonly a: unknown[]; readonly r: (value: unknown) => void }
  | { readonly f: (gate: ConsentGate) => void };

/** A listener recorded before the runtime loaded. */
interface Pending {
  readonly a: unknown[];
  off?: boolean;
  u?: Unsubscribe | undefined;
}

const noop = () => {};

/**
 * Creates the `window.ConsentGate` queue around `existing` (the array a site may have defined
 * before the script: its entries are run as commands, and the same array object stays
 * `window.ConsentGate`) and returns it with its `start` and `fail` ends. Internal.
 *
 * @param report - Where the queue's own failures go (an unknown command, a callback that threw).
 */
export function createQueue(existing: unknown, report: (error: CodedError) => void): Queue {
  const queue = (Array.isArray(existing) ? existing : []) as unknown[] & Record<string, unknown>;
  const calls: Call[] = [];
  const listeners: Pending[] = [];
  let gate: ConsentGate | undefined;
  let live = false;
  let failure: CodedError | undefined;
  let settle = noop;
  const ready = new Promise<void>((resolve) => (settle = resolve));

  const forward = (m: string, a: unknown[]): unknown => {
    try {
      const fn = (gate as unknown as Record<string, unknown>)[m];
      if (typeof fn !== 'function') throw codedError('sdk/invalid-options', `no command "${m}"`);
      return (fn as (...args: unknown[]) => unknown).apply(gate, a);
    } catch (error) {
      const coded = asCoded(error);
      report(coded);
      return denied(m, coded);
    }
  };

  const call = (m: string, a: unknown[]): unknown =>
    live
      ? forward(m, a)
      : failure
        ? denied(m, failure)
        : new Promise((r) => {
            calls.push({ m, a, r });
          });

  const run = (f: (gate: ConsentGate) => void) => {
    try {
      f(gate as ConsentGate);
    } catch (error) {
      report(asCoded(error));
    }
  };

  const on = (...a: unknown[]): Unsubscribe => {
    // Listeners attach as soon as there is an instance, ahead of the replayed calls, so that they
    // hear what those calls cause.
    if (gate) return (forward('on', a) as Unsubscribe | undefined) ?? noop;
    if (failure) {
      tell(a, failure);
      return noop;
    }
    const pending: Pending = { a };
    listeners.push(pending);
    return () => {
      pending.off = true;
      pending.u?.();
    };
  };

  const push = (...commands: unknown[]) => {
    for (const command of commands) {
      if (typeof command === 'function') {
        const f = command as (gate: ConsentGate) => void;
        if (live) run(f);
        else if (!failure) calls.push({ f });
      } else if (Array.isArray(command) && typeof command[0] === 'string') {
        const [m, ...a] = command as [string, ...unknown[]];
        if (m === 'on') on(...a);
        else void call(m, a);
      } else {
        report(codedError('sdk/invalid-options', 'push() takes [command, ...args]'));
      }
    }
  };

  const initial = queue.splice(0);
  for (const m of QUEUE_METHODS) queue[m] = (...a: unknown[]) => call(m, a);
  // `on` is one of the methods, but listeners attach ahead of the replayed calls: its own stub.
  Object.assign(queue, { push, on, ready });
  queue.granted = (purpose: string) => gate?.granted(purpose) ?? false;
  queue.getConsent = () => gate?.getConsent();
  push(...initial);

  return {
    queue: queue as unknown as ConsentGateQueue,
    start(instance) {
      gate = queue.instance = instance;
      for (const pending of listeners) {
        if (!pending.off) pending.u = forward('on', pending.a) as Unsubscribe | undefined;
      }
      const replay = async () => {
        // One at a time: a queued `setConsent` is stored before the `track` queued after it is
        // decided, as the order of the calls says.
        for (let next = calls.shift(); next; next = calls.shift()) {
          if ('f' in next) {
            run(next.f);
            continue;
          }
          const result = forward(next.m, next.a);
          next.r(result);
          try {
            await result;
          } catch {
            // Only the caller's promise can tell; the next call goes ahead.
          }
        }
        live = true;
        await instance.ready;
      };
      // Neither can reject: forward() catches, and the instance's calls never reject.
      void replay().then(settle, settle);
    },
    fail(error) {
      if (gate || failure) return;
      failure = asCoded(error);
      report(failure);
      for (const pending of listeners) if (!pending.off) tell(pending.a, failure);
      for (const next of calls.splice(0)) if ('r' in next) next.r(denied(next.m, failure));
      settle();
    },
  };
}

/** Creates an `Error` carrying `code`, as `isConsentGateError` from core recognises it. */
export function codedError(code: string, message: string, cause?: unknown): CodedError {
  return Object.assign(new Error(message, { cause }), { name: 'ConsentGateError', code });
}

/** Returns `error` if it has a code, else wraps it as `sdk/callback-failed` (a callback threw). */
function asCoded(error: unknown): CodedError {
  return (error as Partial<CodedError> | undefined)?.code
    ? (error as CodedError)
    : codedError('sdk/callback-failed', String(error), error);
}

/** What a call answers when there is no ConsentGate to ask: nothing stored, nothing recorded. */
function denied(m: string, error: CodedError): unknown {
  return /^(track|page|identify)$/.test(m)
    ? Promise.resolve({ stored: 0, reasons: [error.code] })
    : /^(setConsent|withdraw|erase)$/.test(m)
      ? Promise.resolve({ ok: false, error })
      : undefined;
}

/** Calls a recorded `on('error', fn)` listener with `error`; never throws. */
function tell([name, fn]: unknown[], error: CodedError): void {
  try {
    if (name === 'error') (fn as (error: CodedError) => void)(error);
  } catch {
    // A listener that throws (or is no function) changes nothing.
  }
}
