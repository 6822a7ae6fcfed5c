import { describe, expect, it } from 'vitest';

import { sha256Hex } from '@consentgate/core';

import { hashValue, minimise, toOrigin, toPrefix, toRegion, toYear } from './minimise.js';
import type { Properties } from './normalise.js';

const props = (value: Record<string, unknown>) => value as Properties;

describe(minimise, () => {
  it('keeps only the fields the policy listed, transformed as it said', async () => {
    const result = await minimise(
      props({
        value: 4200,
        email: ' Ann@Example.com ',
        address: '東京都千代田区千代田1-1',
        postal_code: '100-0001',
        phone: '03-1234-5678',
      }),
      {
        value: { action: 'keep' },
        email: { action: 'hash' },
        address: { action: 'generalise', method: 'region' },
        postal_code: { action: 'generalise', method: 'prefix', length: 3 },
      },
      'site-salt',
    );

    expect({ ...result.fields }).toEqual({
      value: 4200,
      email: await sha256Hex('site-salt\u0000ann@example.com'),
      address: '東京都',
      postal_code: '100',
    });
    expect(result.dropped).toEqual([{ key: 'phone', reason: 'not-in-decision' }]);
  });

  it('drops a value it cannot generalise instead of keeping it raw', async () => {
    const result = await minimise(
      props({ address: '1 Unknown Road', referrer: 'javascript:alert(1)' }),
      {
        address: { action: 'generalise', method: 'region' },
        referrer: { action: 'generalise', method: 'origin' },
      },
      's',
    );

    expect(result.fields).toEqual({});
    expect(result.dropped.map((d) => d.reason)).toEqual(['not-generalisable', 'not-generalisable']);
  });

  it('drops a field whose action it does not know', async () => {
    const result = await minimise(
      props({ sku: 'A1' }),
      { sku: { action: 'encrypt' } as never },
      's',
    );

    expect(result.dropped).toEqual([{ key: 'sku', reason: 'unknown-action' }]);
  });
});

describe(hashValue, () => {
  it('differs between salts so hashes cannot be joined across sites', async () => {
    expect(await hashValue('a@b.c', 'one')).not.toBe(await hashValue('a@b.c', 'two'));
  });

  it('refuses objects and empty strings', async () => {
    expect(await hashValue({ a: 1 }, 's')).toBeUndefined();
    expect(await hashValue('  ', 's')).toBeUndefined();
  });
});

describe(toRegion, () => {
  it('finds the prefecture of a Japanese address, including full-width forms', () => {
    expect(toRegion('大阪府大阪市北区梅田1-1')).toBe('大阪府');
    expect(toRegion('〒600-8216 京都府京都市下京区')).toBe('京都府');
    expect(toRegion('北海道札幌市')).toBe('北海道');
  });

  it('finds the state of a US address', () => {
    expect(toRegion('1 Market St, San Francisco, CA 94105')).toBe('CA');
    expect(toRegion('NY')).toBe('NY');
    expect(toRegion('1 Main St, Springfield, ZZ 12345')).toBeUndefined();
  });

  it('reads the region member of an address object', () => {
    expect(toRegion({ line1: '1-1 Chiyoda', region: '東京都' })).toBe('東京都');
    expect(toRegion({ line1: '1-1 Chiyoda' })).toBeUndefined();
  });
});

describe(toPrefix, () => {
  it('keeps the first digits of a postal code', () => {
    expect(toPrefix('100-0001', 3)).toBe('100');
    expect(toPrefix('１００－０００１', 3)).toBe('100');
    expect(toPrefix(94105, 3)).toBe('941');
    expect(toPrefix('12', 3)).toBeUndefined();
  });
});

describe(toOrigin, () => {
  it('keeps only the origin of http(s) URLs', () => {
    expect(toOrigin('https://search.example/q?email=a@b.c#x')).toBe('https://search.example');
    expect(toOrigin('data:text/html,hi')).toBeUndefined();
    expect(toOrigin('not a url')).toBeUndefined();
  });
});

describe(toYear, () => {
  it('keeps only the UTC year', () => {
    expect(toYear('1990-07-15')).toBe(1990);
    expect(toYear(0)).toBe(1970);
    expect(toYear('someday')).toBeUndefined();
  });
});
