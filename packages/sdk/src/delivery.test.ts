import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  backoffDelay,
  classifyStatus,
  MAX_BATCH_BYTES,
  retryAfterMs,
  splitIntoBatches,
} from './delivery.js';

const bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value)).length;

describe(splitIntoBatches, () => {
  it('keeps every batch body within 64 KiB and every item in order', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 9000 }), { maxLength: 60 }), (texts) => {
        const items = texts.map((text, i) => ({ i, text }));

        const { batches, oversized } = splitIntoBatches(items);

        for (const batch of batches) {
          expect(
            bytes({ batch, sentAt: '2026-11-27T00:00:00.000Z', receipt: 'x'.repeat(100) }),
          ).toBeLessThanOrEqual(MAX_BATCH_BYTES);
        }
        expect([...batches.flat(), ...oversized].map((x) => x.i).sort((a, b) => a - b)).toEqual(
          items.map((x) => x.i),
        );
        expect(batches.flat().map((x) => x.i)).toEqual(
          batches
            .flat()
            .map((x) => x.i)
            .sort((a, b) => a - b),
        );
      }),
    );
  });

  it('sets aside an item that alone is too large to send', () => {
    const huge = { text: 'x'.repeat(MAX_BATCH_BYTES) };

    const { batches, oversized } = splitIntoBatches([{ text: 'a' }, huge]);

    expect(batches).toEqual([[{ text: 'a' }]]);
    expect(oversized).toEqual([huge]);
  });
});

describe(backoffDelay, () => {
  it('grows exponentially up to the cap, with full jitter', () => {
    const top = () => 0.999999;

    expect(backoffDelay(0, { random: top })).toBe(999);
    expect(backoffDelay(3, { random: top })).toBe(7999);
    expect(backoffDelay(40, { random: top })).toBe(299_999);
    expect(backoffDelay(5, { random: () => 0 })).toBe(0);
  });

  it('never exceeds the cap or goes negative', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -5, max: 1000 }),
        fc.double({ min: 0, max: 0.9999999, noNaN: true }),
        (attempt, r) => {
          const delay = backoffDelay(attempt, { random: () => r, capMs: 60_000 });
          expect(delay).toBeGreaterThanOrEqual(0);
          expect(delay).toBeLessThan(60_000);
        },
      ),
    );
  });
});

describe(retryAfterMs, () => {
  const now = Date.parse('2026-11-27T00:00:00Z');

  it('reads seconds and HTTP dates', () => {
    expect(retryAfterMs('120', now)).toBe(120_000);
    expect(retryAfterMs('Fri, 27 Nov 2026 00:00:30 GMT', now)).toBe(30_000);
  });

  it('ignores what it cannot read and bounds what it can', () => {
    expect(retryAfterMs(null, now)).toBeUndefined();
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs('Thu, 26 Nov 2026 00:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs('99999999', now)).toBe(86_400_000);
  });
});

describe(classifyStatus, () => {
  it('retries what may succeed later and drops what never will', () => {
    expect([200, 202, 204].map(classifyStatus)).toEqual(['delivered', 'delivered', 'delivered']);
    expect([0, 408, 429, 500, 503].map(classifyStatus)).toEqual([
      'retry',
      'retry',
      'retry',
      'retry',
      'retry',
    ]);
    expect([400, 401, 403, 404, 413, 422].map(classifyStatus)).toEqual([
      'drop',
      'drop',
      'drop',
      'drop',
      'drop',
      'drop',
    ]);
  });
});
