// A page that dies mid-write loses nothing the store acknowledged, and duplicates nothing.
import { afterEach, describe, expect, it } from 'vitest';

import { openStore } from '@consentgate/store';

import { duplicates, startWriter } from './store-pages.js';

const name = `cg-crash-${crypto.randomUUID()}`;

afterEach(() => {
  indexedDB.deleteDatabase(name);
});

describe('store crash safety', () => {
  it('keeps every acknowledged write of pages closed mid-stream, once', async () => {
    const acknowledged: string[] = [];
    // Three pages in turn on the same database, each torn down at a different point.
    for (const [round, stopAfter] of [100, 250, 400].entries()) {
      const page = await startWriter({
        db: name,
        prefix: `crash${round}`,
        count: 5000,
        batch: 7,
        receipts: 0,
      });
      await page.acknowledgedAtLeast(stopAfter);
      page.frame.remove();
      acknowledged.push(...page.acknowledged);
    }

    const opened = await openStore(name, { sweepIntervalMs: 0, memoryFallback: false });
    if (!opened.ok) throw opened.error;
    const listed = await opened.value.events.list();
    opened.value.close();
    if (!listed.ok) throw listed.error;
    const ids = listed.value.map((event) => event.id);

    expect(acknowledged.length).toBeLessThan(3 * 5000);
    expect(acknowledged.filter((id) => !ids.includes(id))).toEqual([]);
    expect(duplicates(ids)).toEqual([]);
    expect(ids.every((id) => /^crash[0-2]-\d+$/.test(id))).toBe(true);
  });
});
