// Shared by this package's Node and browser tests; never exported from index.ts or built.
import type { ConsentInput, EventInput } from './records.js';

/** One day, in milliseconds. */
export const DAY = 24 * 60 * 60 * 1000;

/** 2025-11-24T00:00:00Z: the instant every test clock starts at. */
export const T0 = Date.UTC(2025, 10, 24);

/** A digest that looks like a policy bundle's. */
export const DIGEST = 'a'.repeat(64);

/** A manual clock for the store's `now` option. */
export interface TestClock {
  readonly now: () => number;
  advance(ms: number): void;
}

/** Creates a clock that stands still at `start` until advanced. */
export function createClock(start = T0): TestClock {
  let time = start;
  return {
    now: () => time,
    advance(ms) {
      time += ms;
    },
  };
}

/** Returns an analytics event record kept for 30 days from `T0`, with `overrides`. */
export function eventInput(overrides: Partial<EventInput> = {}): EventInput {
  return {
    name: 'Product Viewed',
    purpose: 'analytics',
    fields: { sku: 'SKU-1', price: 1200 },
    expiresAt: T0 + 30 * DAY,
    policyDigest: DIGEST,
    ...overrides,
  };
}

/** Returns a receipt granting `purposes` (analytics and marketing by default). */
export function receiptInput(purposes: Record<string, boolean> = {}): ConsentInput {
  return {
    revision: 'rev-1',
    purposes: { analytics: true, marketing: true, ...purposes },
    jurisdiction: 'EU',
    signals: { gpc: false },
    method: 'banner',
    given_at: T0,
    policy_digest: DIGEST,
  };
}

/** Returns a database name no other test uses. */
export function uniqueName(prefix = 'cg-test'): string {
  return `${prefix}-${crypto.getRandomValues(new Uint32Array(2)).join('-')}`;
}
