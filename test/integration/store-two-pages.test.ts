// Two pages writing to the same store at once lose nothing and keep one consent chain.
import { afterEach, describe, expect, it } from 'vitest';

import { openStore } from '@consentgate/store';

import { duplicates, startWriter } from './store-pages.js';

const name = `cg-two-pages-${crypto.randomUUID()}`;

afterEach(() => {
  indexedDB.deleteDatabase(name);
});

describe('store with two pages writing at once', () => {
  it('keeps every record of both pages and a single intact consent chain', async () => {
    const pages = await Promise.all([
      startWriter({ db: name, prefix: 'left', count: 400, batch: 9, receipts: 6 }),
      startWriter({ db: name, prefix: 'right', count: 400, batch: 13, receipts: 6 }),
    ]);

    const outcomes = await Promise.all(pages.map((page) => page.finished));
    const opened = await openStore(name, { sweepIntervalMs: 0, memoryFallback: false });
    if (!opened.ok) throw opened.error;
    const store = opened.value;
    const [listed, history, chain] = await Promise.all([
      store.events.list(),
      store.consent.history(),
      store.consent.verifyChain(),
    ]);
    store.close();
    for (const page of pages) page.frame.remove();
    if (!listed.ok) throw listed.error;
    const ids = listed.value.map((event) => event.id);

    expect(outcomes).toEqual([{ type: 'done' }, { type: 'done' }]);
    expect(ids).toHaveLength(800);
    expect(duplicates(ids)).toEqual([]);
    expect(pages.flatMap((page) => page.acknowledged).sort()).toEqual([...ids].sort());
    expect(history.ok && history.value).toHaveLength(12);
    expect(chain).toEqual({ ok: true, value: { intact: true, length: 12 } });
  });
});
