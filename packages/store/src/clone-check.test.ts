import { describe, expect, it } from 'vitest';

import { findUncloneable } from './clone-check.js';

describe(findUncloneable, () => {
  it('accepts JSON data, null-prototype objects, dates, maps, typed arrays and cycles', () => {
    const cycle: Record<string, unknown> = { a: 1 };
    cycle.self = cycle;
    const bare = Object.assign(Object.create(null) as object, { sku: 'x' });

    const problems = [
      { sku: 'A1', price: 100, tags: ['a', null], nested: { ok: true } },
      bare,
      { at: new Date(0), map: new Map([[1, 2]]), bytes: new Uint8Array(4), big: 10n },
      cycle,
    ].map(findUncloneable);

    expect(problems).toEqual([undefined, undefined, undefined, undefined]);
  });

  it('names the path to a function or symbol', () => {
    const problem = findUncloneable({ fields: { list: [1, { fn: () => 1 }] } });

    expect(problem?.path).toBe('fields.list.1.fn');
    expect((problem?.cause as DOMException).name).toBe('DataCloneError');
    expect(findUncloneable({ s: Symbol('s') })?.path).toBe('s');
  });

  it('asks structuredClone about other objects', () => {
    const problem = findUncloneable({ weak: new WeakMap() });

    expect(problem?.path).toBe('weak');
    expect((problem?.cause as DOMException).name).toBe('DataCloneError');
  });

  it('reports a getter that throws', () => {
    const value = {
      get broken(): never {
        throw new Error('no');
      },
    };

    expect(findUncloneable(value)).toEqual({ path: '', cause: new Error('no') });
  });
});
