import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { normaliseEvent } from './normalise.js';

describe(normaliseEvent, () => {
  it('keeps JSON values in a null-prototype object', () => {
    const result = normaliseEvent('Product Viewed', {
      sku: 'A1',
      price: 12.5,
      tags: ['a', 1],
      on: true,
      n: null,
    });

    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(Object.getPrototypeOf(result.properties)).toBeNull();
    expect({ ...result.properties }).toEqual({
      sku: 'A1',
      price: 12.5,
      tags: ['a', 1],
      on: true,
      n: null,
    });
    expect(result.dropped).toEqual([]);
  });

  it('treats missing properties as an empty event', () => {
    const result = normaliseEvent('Page Viewed', undefined);

    expect(result.ok && Object.keys(result.properties)).toEqual([]);
  });

  it('refuses an event whose name is not a short printable string', () => {
    expect(normaliseEvent('', {})).toMatchObject({ ok: false, reason: 'invalid-name' });
    expect(normaliseEvent('a'.repeat(129), {})).toMatchObject({
      ok: false,
      reason: 'invalid-name',
    });
    expect(normaliseEvent('bad\nname', {})).toMatchObject({ ok: false, reason: 'invalid-name' });
    expect(normaliseEvent(42, {})).toMatchObject({ ok: false, reason: 'invalid-name' });
  });

  it('refuses properties that are not a plain object', () => {
    expect(normaliseEvent('E', [1, 2])).toMatchObject({
      ok: false,
      reason: 'properties-not-object',
    });
    expect(normaliseEvent('E', 'sku=1')).toMatchObject({
      ok: false,
      reason: 'properties-not-object',
    });
    expect(normaliseEvent('E', new Map())).toMatchObject({
      ok: false,
      reason: 'properties-not-object',
    });
  });

  it('drops functions, symbols, bigints and non-finite numbers with a reason each', () => {
    const result = normaliseEvent('E', {
      fn: () => 1,
      sym: Symbol('x'),
      big: 10n,
      nan: Number.NaN,
      inf: Number.POSITIVE_INFINITY,
      ok: 1,
    });

    expect(result.ok && Object.keys(result.properties)).toEqual(['ok']);
    expect(result.dropped).toEqual([
      { key: 'fn', reason: 'unsupported-type' },
      { key: 'sym', reason: 'unsupported-type' },
      { key: 'big', reason: 'unsupported-type' },
      { key: 'nan', reason: 'not-finite' },
      { key: 'inf', reason: 'not-finite' },
    ]);
  });

  it('drops cycles, deep nesting, class instances and oversize strings', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    class Card {
      number = '4111';
    }

    const result = normaliseEvent('E', {
      cyclic,
      deep: { a: { b: { c: { d: { e: 1 } } } } },
      card: new Card(),
      long: 'x'.repeat(2049),
      element: { node: new URL('https://example.com') },
    });

    expect(result.ok && Object.keys(result.properties)).toEqual([]);
    expect(result.dropped.map((d) => [d.key, d.reason])).toEqual([
      ['cyclic', 'cycle'],
      ['deep', 'too-deep'],
      ['card', 'not-plain-object'],
      ['long', 'value-too-large'],
      ['element', 'not-plain-object'],
    ]);
  });

  it('never lets a key reach the prototype chain', () => {
    const hostile = JSON.parse(
      '{"__proto__": {"polluted": true}, "constructor": 1, "nested": {"__proto__": {"x": 1}}}',
    ) as object;

    const result = normaliseEvent('E', hostile);

    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(result.dropped.map((d) => d.key)).toEqual(['__proto__', 'constructor']);
    expect(result.ok && Object.getPrototypeOf(result.properties.nested)).toBeNull();
    expect(result.ok && Object.keys(result.properties.nested as object)).toEqual([]);
  });

  it('survives getters and proxies that throw', () => {
    const trap = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error('no keys for you');
        },
      },
    );
    const getter = Object.defineProperty({ fine: 1 }, 'boom', {
      enumerable: true,
      get() {
        throw new Error('boom');
      },
    });

    expect(normaliseEvent('E', trap)).toMatchObject({ ok: false, reason: 'properties-not-object' });
    const result = normaliseEvent('E', getter);
    expect(result.ok && { ...result.properties }).toEqual({ fine: 1 });
    expect(result.dropped).toEqual([{ key: 'boom', reason: 'unreadable' }]);
  });

  it('refuses an event larger than the byte cap and drops keys past the key cap', () => {
    const big = Object.fromEntries(
      Array.from({ length: 30 }, (_, i) => [`k${i}`, 'y'.repeat(2000)]),
    );
    const many = Object.fromEntries(Array.from({ length: 70 }, (_, i) => [`k${i}`, i]));

    expect(normaliseEvent('E', big)).toMatchObject({ ok: false, reason: 'event-too-large' });
    const result = normaliseEvent('E', many);
    expect(result.ok && Object.keys(result.properties)).toHaveLength(64);
    expect(result.dropped.filter((d) => d.reason === 'too-many-keys')).toHaveLength(6);
  });

  it('turns dates into ISO strings', () => {
    const result = normaliseEvent('E', { at: new Date(Date.UTC(2026, 0, 2)) });

    expect(result.ok && result.properties.at).toBe('2026-01-02T00:00:00.000Z');
  });

  it('never throws and always yields JSON-serialisable output for arbitrary input', () => {
    fc.assert(
      fc.property(
        fc.anything({
          withBigInt: true,
          withMap: true,
          withSet: true,
          withDate: true,
          withNullPrototype: true,
          withTypedArray: true,
          withSparseArray: true,
        }),
        fc.string(),
        (properties, name) => {
          const result = normaliseEvent(name, properties);
          if (result.ok) {
            const text = JSON.stringify(result.properties);
            expect(JSON.parse(text)).toBeTypeOf('object');
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
