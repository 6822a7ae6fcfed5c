import { describe, expect, it, vi } from 'vitest';

import { QUEUE_METHODS } from './consent-gate.js';
import type { ConsentGate } from './consent-gate.js';
import { codedError, createQueue } from './create-queue.js';
import type { CodedError } from './create-queue.js';

const STORED = { stored: 1, reasons: [] };

/** A ConsentGate stand-in that logs each call; `setConsent` waits for `release()` if `hold`. */
function fakeGate({ hold = false } = {}) {
  const log: string[] = [];
  let release = () => {};
  const gate = {
    ready: Promise.resolve(),
    track: (name: string) => {
      log.push(`track ${name}`);
      return Promise.resolve(STORED);
    },
    setConsent: () => {
      log.push('setConsent');
      if (!hold) return Promise.resolve({ ok: true });
      return new Promise((resolve) => {
        release = () => {
          log.push('setConsent stored');
          resolve({ ok: true });
        };
      });
    },
    showPreferences: () => void log.push('showPreferences'),
    on: (name: string) => {
      log.push(`on ${name}`);
      return () => void log.push(`off ${name}`);
    },
    granted: (purpose: string) => purpose === 'analytics',
    getConsent: () => ({ id: 'r1' }),
  };
  return { gate: gate as unknown as ConsentGate, log, release: () => release() };
}

function setup(existing?: unknown) {
  const report = vi.fn<(error: CodedError) => void>();
  return { ...createQueue(existing, report), report };
}

describe(createQueue, () => {
  it('answers every queue method, and granted and getConsent, before start', () => {
    const { queue } = setup();

    const missing = [...QUEUE_METHODS, 'granted', 'getConsent', 'push'].filter(
      (m) => typeof (queue as unknown as Record<string, unknown>)[m] !== 'function',
    );

    expect(missing).toEqual([]);
  });

  it('replays the calls made before start in order, listeners first', async () => {
    const { queue, start } = setup([['track', 'A']]);
    const { gate, log } = fakeGate();

    void queue.setConsent({ analytics: true });
    queue.push((cg) => void log.push(`callback ${String(cg === gate)}`));
    queue.on('error', () => {});
    void queue.track('B');
    queue.showPreferences();
    start(gate);
    await queue.ready;

    expect(log).toEqual([
      'on error',
      'track A',
      'setConsent',
      'callback true',
      'track B',
      'showPreferences',
    ]);
  });

  it('resolves each stub with the result of the real call', async () => {
    const { queue, start } = setup();
    const { gate } = fakeGate();

    const result = queue.track('A');
    start(gate);

    expect(await result).toBe(STORED);
  });

  it('waits for each replayed call before making the next', async () => {
    const { queue, start } = setup();
    const { gate, log, release } = fakeGate({ hold: true });

    void queue.setConsent({ analytics: true });
    void queue.track('A');
    start(gate);
    release();
    await queue.ready;

    expect(log).toEqual(['setConsent', 'setConsent stored', 'track A']);
  });

  it('forwards calls made after the replay straight to the instance', async () => {
    const { queue, start } = setup();
    const { gate, log } = fakeGate();
    start(gate);
    await queue.ready;

    void queue.track('C');
    queue.push(['track', 'D']);

    expect(log).toEqual(['track C', 'track D']);
    expect(queue.instance).toBe(gate);
  });

  it('keeps the array a site defined as window.ConsentGate and empties it', () => {
    const existing = [['track', 'A']];

    const { queue } = setup(existing);

    expect(queue).toBe(existing);
    expect(existing).toHaveLength(0);
  });

  it('answers granted and getConsent from the instance once there is one', async () => {
    const { queue, start } = setup();
    const { gate } = fakeGate();

    const before = [queue.granted('analytics'), queue.getConsent()];
    start(gate);
    await queue.ready;

    expect(before).toEqual([false, undefined]);
    expect([queue.granted('analytics'), queue.getConsent()]).toEqual([true, { id: 'r1' }]);
  });

  it('attaches no listener that was removed before start, and removes one after', async () => {
    const { queue, start } = setup();
    const { gate, log } = fakeGate();

    queue.on('event:sent', () => {})();
    const off = queue.on('event:stored', () => {});
    start(gate);
    await queue.ready;
    off();

    expect(log).toEqual(['on event:stored', 'off event:stored']);
  });

  it('answers every call as denied when loading failed and tells error listeners', async () => {
    const { queue, fail, report } = setup();
    const heard = vi.fn();
    const error = codedError('policy/not-loaded', 'the runtime did not load');

    queue.on('error', heard);
    const tracked = queue.track('A');
    const consented = queue.setConsent({ analytics: true });
    fail(error);
    await queue.ready;

    expect(await tracked).toEqual({ stored: 0, reasons: ['policy/not-loaded'] });
    expect(await consented).toEqual({ ok: false, error });
    expect(await queue.page()).toEqual({ stored: 0, reasons: ['policy/not-loaded'] });
    expect(queue.showPreferences()).toBeUndefined();
    expect(heard).toHaveBeenCalledWith(error);
    expect(report).toHaveBeenCalledOnce();
  });

  it('reports an unknown command and a throwing callback, and carries on', async () => {
    const { queue, start, report } = setup();
    const { gate, log } = fakeGate();

    queue.push(
      ['nope'] as never,
      () => {
        throw new Error('boom');
      },
      'not a command' as never,
      ['track', 'A'],
    );
    start(gate);
    await queue.ready;

    expect(log).toEqual(['track A']);
    expect(report.mock.calls.map(([error]) => error.code)).toEqual([
      // At push: not a command. At replay, in order: no such method, then the callback threw.
      'sdk/invalid-options',
      'sdk/invalid-options',
      'sdk/callback-failed',
    ]);
  });
});
