import { describe, expect, it } from 'vitest';

import { fastInput, sameTokens, serializeInput } from './serialize-input.js';

const NOW = 1763942400000;

describe(serializeInput, () => {
  it('gives the policy canonical JSON with now first', () => {
    const { json } = serializeInput({
      jurisdiction: 'EU',
      now: NOW,
      consent: { purposes: { b: true, a: false } },
    });

    expect(json).toBe(
      `{"now":${NOW},"consent":{"purposes":{"a":false,"b":true}},"jurisdiction":"EU"}`,
    );
  });

  it('keys two inputs that differ only in key order and now the same', () => {
    const a = serializeInput({ now: NOW, jurisdiction: 'EU', signals: { gpc: true } });

    const b = serializeInput({ signals: { gpc: true }, jurisdiction: 'EU', now: NOW + 1 });

    expect(a.key).toBe(b.key);
    expect(a.now).toBe(NOW);
    expect(b.now).toBe(NOW + 1);
  });

  it('treats event.keys as a set, and gives the policy that set', () => {
    const a = serializeInput({ now: NOW, event: { name: 'X', keys: ['b', 'a', 'b'] } });

    const b = serializeInput({ now: NOW, event: { keys: ['a', 'b'], name: 'X' } });

    expect(a.key).toBe(b.key);
    expect(a.json).toBe(`{"now":${NOW},"event":{"keys":["a","b"],"name":"X"}}`);
  });

  it('keeps the order of every other array', () => {
    const a = serializeInput({ now: NOW, consent: { purposes: { list: ['b', 'a'] } } });

    const b = serializeInput({ now: NOW, consent: { purposes: { list: ['a', 'b'] } } });

    expect(a.key).not.toBe(b.key);
  });

  it('keeps non-string keys, so the policy still sees them', () => {
    const { json } = serializeInput({ now: NOW, event: { name: 'X', keys: [1, null, 'sku', 1] } });

    expect(json).toBe(`{"now":${NOW},"event":{"keys":["sku",1,null],"name":"X"}}`);
  });

  it('leaves out what JSON leaves out, and writes non-finite numbers as null', () => {
    const { json } = serializeInput({
      now: NOW,
      a: undefined,
      b: () => 1,
      c: Symbol('c'),
      d: [undefined, Number.NaN, Infinity],
    });

    expect(json).toBe(`{"now":${NOW},"d":[null,null,null]}`);
  });

  it('separates inputs that differ anywhere but now', () => {
    const base = {
      now: NOW,
      jurisdiction: 'EU',
      consent: { revision: 'r1', given_at: 5, purposes: { a: true } },
    };
    const variants = [
      { ...base, jurisdiction: 'JP' },
      { ...base, consent: { ...base.consent, revision: 'r2' } },
      { ...base, consent: { ...base.consent, given_at: 6 } },
      { ...base, consent: { ...base.consent, purposes: { a: 'true' } } },
      { ...base, consent: undefined },
      { ...base, extra: 1 },
    ];

    const keys = new Set([base, ...variants].map((input) => serializeInput(input).key));

    expect(keys.size).toBe(variants.length + 1);
  });

  it.each([
    ['absent', undefined, 'a'],
    ['a safe non-negative integer', NOW, 'i'],
  ])('caches a now that is %s', (_case, now, prefix) => {
    const { key } = serializeInput({ now, jurisdiction: 'EU' });

    expect(key?.[0]).toBe(prefix);
  });

  it.each([
    ['negative', -1],
    ['fractional', 1.5],
    ['a string', 'yesterday'],
    ['NaN', Number.NaN],
    ['unsafe', 2 ** 53],
  ])('does not cache a now that is %s, but still passes it on', (_case, now) => {
    const { key, json } = serializeInput({ now, jurisdiction: 'EU' });

    expect(key).toBeNull();
    expect(json).toBe(`{"now":${JSON.stringify(now)},"jurisdiction":"EU"}`);
  });

  it('passes inputs that are not objects through as JSON', () => {
    expect(serializeInput(undefined)).toEqual({ json: undefined, key: 'u', now: Number.NaN });
    expect(serializeInput(null).json).toBe('null');
    expect(serializeInput([2, 1]).json).toBe('[2,1]');
    expect(serializeInput('EU').json).toBe('"EU"');
  });

  it.each([
    ['a BigInt', { now: 1n }],
    [
      'a cycle',
      (() => {
        const a: Record<string, unknown> = {};
        a.a = a;
        return a;
      })(),
    ],
    ['1 MiB of text', { note: 'x'.repeat(1024 * 1024) }],
    ['a sparse array of a billion holes', { keys: new Array(1e9) }],
  ])('refuses %s', (_case, input) => {
    expect(() => serializeInput(input)).toThrow(TypeError);
  });

  it('matches JSON.stringify for plain JSON, apart from key order', () => {
    const input = { now: NOW, s: 'é\n"\u2028\ud800', n: [-0, 1e21, 0.1], o: { z: null, y: false } };

    const { json } = serializeInput(input);

    expect(JSON.parse(json ?? '')).toEqual(JSON.parse(JSON.stringify(input)));
  });
});

describe(fastInput, () => {
  const INPUT = {
    now: NOW,
    jurisdiction: 'EU',
    signals: { gpc: false },
    consent: { revision: 'r1', given_at: 5, purposes: { marketing: false, analytics: true } },
    event: { type: 'track', name: 'Product Viewed', keys: ['sku', 'price', 'sku'] },
  };

  it('reads the same tokens for the same input in another order, at another time', () => {
    const a = fastInput(INPUT, 'c');

    const b = fastInput(
      {
        event: { keys: ['price', 'sku'], name: 'Product Viewed', type: 'track' },
        consent: { purposes: { analytics: true, marketing: false }, given_at: 5, revision: 'r1' },
        signals: { gpc: false },
        jurisdiction: 'EU',
        now: NOW + 1,
      },
      'c',
    );

    expect(a && b && sameTokens(a.tokens, b.tokens)).toBe(true);
    expect(a?.hash).toBe(b?.hash);
    expect(b?.now).toBe(NOW + 1);
  });

  it('gives the policy the same JSON as the canonical writer', () => {
    const fast = fastInput(INPUT, 'c', true);

    const canonical = serializeInput(INPUT);

    expect(JSON.parse(fast?.json ?? '')).toEqual(JSON.parse(canonical.json ?? ''));
  });

  it('tells apart inputs that differ anywhere but now, and entrypoints', () => {
    const variants: unknown[] = [
      { ...INPUT, jurisdiction: 'JP' },
      { ...INPUT, destination: 'ads' },
      { ...INPUT, signals: { gpc: true } },
      { ...INPUT, signals: undefined },
      { ...INPUT, consent: { ...INPUT.consent, revision: 'r2' } },
      { ...INPUT, consent: { ...INPUT.consent, given_at: 6 } },
      { ...INPUT, consent: { ...INPUT.consent, purposes: { analytics: true } } },
      { ...INPUT, consent: { ...INPUT.consent, purposes: { analytics: true, marketing: true } } },
      { ...INPUT, consent: undefined },
      { ...INPUT, event: { ...INPUT.event, keys: ['sku'] } },
      { ...INPUT, event: { ...INPUT.event, keys: [] } },
      { ...INPUT, event: { ...INPUT.event, purpose: 'analytics' } },
      { ...INPUT, script: { purpose: 'marketing', src: '/a.js' } },
      { ...INPUT, now: undefined },
    ];

    const reads = [
      fastInput(INPUT, 'c'),
      fastInput(INPUT, 'e'),
      ...variants.map((v) => fastInput(v, 'c')),
    ];

    expect(reads.every((read) => read !== null)).toBe(true);
    for (const [i, a] of reads.entries()) {
      for (const b of reads.slice(i + 1))
        expect(sameTokens(a?.tokens ?? [], b?.tokens ?? [])).toBe(false);
    }
  });

  it.each([
    ['an unknown field', { ...INPUT, extra: 1 }],
    ['a class instance', new (class {})()],
    ['a non-boolean choice', { ...INPUT, consent: { purposes: { analytics: 'true' } } }],
    ['a non-string key', { ...INPUT, event: { name: 'X', keys: [1] } }],
    ['keys that are not a list', { ...INPUT, event: { name: 'X', keys: 'sku' } }],
    ['a negative now', { ...INPUT, now: -1 }],
    ['a numeric jurisdiction', { ...INPUT, jurisdiction: 42 }],
    ['an infinite given_at', { ...INPUT, consent: { given_at: Infinity } }],
    ['an array', [INPUT]],
  ])('leaves an input with %s to the canonical writer', (_case, input) => {
    expect(fastInput(input, 'c')).toBeNull();
  });
});
