/**
 * Delivery policy for the sender: how big a batch may be, when to retry, how long to wait.
 * Pure functions, so the timing rules are testable without clocks or networks.
 */

import { MAX_BATCH_BYTES } from '@consentgate/core';

// Wire protocol v1 fixes the limit; the collector reads the same constant.
export { MAX_BATCH_BYTES };

const encoder = new TextEncoder();

/**
 * Splits items into batches whose JSON-encoded `{ batch: [...] }` body stays within `maxBytes`, in
 * order, and returns them with the items too large to send at all (each alone exceeds the limit).
 */
export function splitIntoBatches<T>(
  items: readonly T[],
  maxBytes: number = MAX_BATCH_BYTES,
  envelopeBytes = 256,
): { readonly batches: T[][]; readonly oversized: T[] } {
  const batches: T[][] = [];
  const oversized: T[] = [];
  let current: T[] = [];
  // Room for the envelope: `{"batch":[…],"sentAt":…,"receipt":…}`.
  let size = envelopeBytes;
  for (const item of items) {
    const bytes = encoder.encode(JSON.stringify(item)).length + 1;
    if (bytes + envelopeBytes > maxBytes) {
      oversized.push(item);
      continue;
    }
    if (size + bytes > maxBytes && current.length > 0) {
      batches.push(current);
      current = [];
      size = envelopeBytes;
    }
    current.push(item);
    size += bytes;
  }
  if (current.length > 0) batches.push(current);
  return { batches, oversized };
}

/** Options for {@link backoffDelay}. */
export interface BackoffOptions {
  /**
   * Delay before the first retry.
   * @default 1000
   */
  readonly baseMs?: number;
  /**
   * Longest delay between attempts.
   * @default 300000 (5 minutes)
   */
  readonly capMs?: number;
  /**
   * Random number in [0, 1); injected in tests.
   * @default Math.random
   */
  readonly random?: () => number;
}

/**
 * Capped exponential backoff with full jitter: a uniformly random delay between 0 and
 * `min(cap, base · 2^attempt)`, so many tabs or visitors retrying after an outage spread out.
 *
 * @param attempt - Attempts already made (0 before the first retry).
 */
export function backoffDelay(attempt: number, options: BackoffOptions = {}): number {
  const base = options.baseMs ?? 1000;
  const cap = options.capMs ?? 300_000;
  const random = options.random ?? Math.random;
  const ceiling = Math.min(cap, base * 2 ** Math.min(Math.max(0, attempt), 30));
  return Math.floor(random() * ceiling);
}

/**
 * Reads a `Retry-After` header (seconds or an HTTP date) into a delay in milliseconds, or
 * `undefined` when absent or unreadable. Negative values become 0; absurd ones are capped at a day.
 */
export function retryAfterMs(header: string | null, now: number): number | undefined {
  if (header === null) return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Math.min(Number(text) * 1000, 86_400_000);
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.min(Math.max(0, date - now), 86_400_000);
}

/** What to do with a batch after the collector answered (or did not). */
export type DeliveryVerdict =
  /** Delivered: remove the entries from the outbox. */
  | 'delivered'
  /** Try again later. */
  | 'retry'
  /** The collector refused it for good (a 4xx other than 408/429): drop it and audit why. */
  | 'drop';

/**
 * Classifies an HTTP status (or `0` for a network failure) into what the sender does next:
 * 2xx delivered; 408, 429, 5xx and network failures retried; any other 4xx dropped, since resending
 * the same batch cannot succeed.
 */
export function classifyStatus(status: number): DeliveryVerdict {
  if (status >= 200 && status < 300) return 'delivered';
  if (status === 0 || status === 408 || status === 429 || status >= 500) return 'retry';
  return 'drop';
}
