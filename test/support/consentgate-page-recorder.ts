// Runs first on every consentgate-pages.ts page, as a classic script: records console errors,
// uncaught exceptions, CSP violations, Trusted Types policies and ConsentGate's events on
// `window.__probe`. It subscribes through the `window.ConsentGate` array, as a site would before
// the script tag.
import type { ConsentGateError } from '@consentgate/core';
import type { BlockedEvent, SentMessage } from '@consentgate/sdk';
import type { StoredEvent } from '@consentgate/store';

import type { ConsentGateCommand } from '../../packages/consentgate/src/index.js';
import type { Probe, ProbeWindow } from './consentgate-probe.js';

const scope = window as unknown as ProbeWindow;
const initial = new Set(Object.getOwnPropertyNames(window));
const counts: Record<string, number> = {};
const waiters: { event: string; count: number; resolve: () => void }[] = [];

const probe: Probe = {
  console: [],
  errors: [],
  uncaught: [],
  violations: [],
  timeline: [],
  policies: {},
  results: {},
  hostClicks: 0,
  globals: () =>
    Object.getOwnPropertyNames(window)
      .filter((name) => !initial.has(name) && name !== '__probe')
      .sort(),
  when: (event, count) =>
    (counts[event] ?? 0) >= count
      ? Promise.resolve()
      : new Promise((resolve) => waiters.push({ event, count, resolve })),
};
scope.__probe = probe;

const heard = (event: string) => {
  counts[event] = (counts[event] ?? 0) + 1;
  for (const waiter of waiters.filter((w) => w.event === event && w.count <= counts[event]!)) {
    waiters.splice(waiters.indexOf(waiter), 1);
    waiter.resolve();
  }
};

const consoleError = console.error.bind(console);
console.error = (...args: unknown[]) => {
  probe.console.push(args.map(String).join(' '));
  consoleError(...args);
};
window.addEventListener('error', (event) => probe.uncaught.push(String(event.message)));
window.addEventListener('unhandledrejection', (event) => probe.uncaught.push(String(event.reason)));
document.addEventListener('securitypolicyviolation', (event) =>
  probe.violations.push(`${event.effectiveDirective} ${event.blockedURI}`),
);

const tt = (scope as Partial<ProbeWindow>).trustedTypes;
if (tt) {
  const create = tt.createPolicy.bind(tt);
  tt.createPolicy = (name, rules) => {
    const policy = create(name, rules);
    probe.policies[name] = policy;
    return policy;
  };
}

const commands: ConsentGateCommand[] = [
  [
    'on',
    'error',
    (error: ConsentGateError) => {
      probe.errors.push(error.code);
      heard('error');
    },
  ],
  [
    'on',
    'event:blocked',
    (event: BlockedEvent) => {
      // A purpose declined on its own, or the whole event (or its delivery) refused.
      probe.timeline.push(
        event.purpose ? `declined ${event.name} ${event.purpose}` : `blocked ${event.name}`,
      );
      heard('event:blocked');
    },
  ],
  [
    'on',
    'event:stored',
    (record: StoredEvent) => {
      probe.timeline.push(`stored ${record.name} ${String(record.fields.sku)}`);
      heard('event:stored');
    },
  ],
  [
    'on',
    'event:sent',
    (message: SentMessage) => {
      probe.timeline.push(`sent ${message.name}`);
      heard('event:sent');
    },
  ],
  ['on', 'consent:updated', () => heard('consent:updated')],
];
const queue = ((scope as { ConsentGate?: unknown }).ConsentGate ??= []) as ConsentGateCommand[];
queue.push(...commands);
