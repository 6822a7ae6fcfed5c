import { describe, expect, it } from 'vitest';

import type { Notice, NoticePurpose } from '@consentgate/core';

import { EU, POLICY_DIGEST, US_CA, US_CA_GPC } from './fixtures/notices.js';
import { canonicalJson, noticeRevision } from './notice-revision.js';

/** Returns `notice` with purpose `index` changed by `patch`. */
function withPurpose(notice: Notice, index: number, patch: Partial<NoticePurpose>): Notice {
  return {
    ...notice,
    purposes: notice.purposes.map((purpose, i) =>
      i === index ? { ...purpose, ...patch } : purpose,
    ),
  };
}

/** Returns a deep copy of `value` with every object's keys in reverse order. */
function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .reverse()
      .map(([key, member]) => [key, reverseKeys(member)]),
  );
}

describe(canonicalJson, () => {
  it('sorts object keys at every depth and keeps array order', () => {
    expect(canonicalJson({ b: [{ d: 1, c: 2 }], a: 'x' })).toBe('{"a":"x","b":[{"c":2,"d":1}]}');
  });

  it('leaves out undefined members as JSON.stringify does', () => {
    expect(canonicalJson({ a: undefined, b: null })).toBe('{"b":null}');
  });
});

describe(noticeRevision, () => {
  it('returns 64 hex characters and the same value for the same notice', async () => {
    const revision = await noticeRevision(EU, POLICY_DIGEST);

    expect(revision).toMatch(/^[0-9a-f]{64}$/);
    expect(await noticeRevision(structuredClone(EU), POLICY_DIGEST)).toBe(revision);
  });

  it('changes with the catalog version, the policy digest and every text the visitor reads', async () => {
    const base = await noticeRevision(EU, POLICY_DIGEST);
    const title = { en: 'Stats', ja: '統計' };
    const variants: Notice[] = [
      { ...EU, version: 'next' },
      withPurpose(EU, 1, { title }),
      withPurpose(EU, 1, { description: title }),
      withPurpose(EU, 1, { retention_days: 31 }),
      withPurpose(EU, 1, { categories: [] }),
      withPurpose(EU, 1, { recipients: [] }),
      withPurpose(EU, 1, { legal_basis: 'legitimate-interest' }),
      withPurpose(EU, 1, { consent: 'opt-out' }),
    ];

    const revisions = await Promise.all(variants.map((n) => noticeRevision(n, POLICY_DIGEST)));

    expect(new Set([base, ...revisions]).size).toBe(variants.length + 1);
    expect(await noticeRevision(EU, 'another-digest')).not.toBe(base);
  });

  it('ignores state that does not change the question: GPC, allowed, reasons, key order', async () => {
    const shuffled = reverseKeys(US_CA) as Notice;

    expect(await noticeRevision(US_CA_GPC, POLICY_DIGEST)).toBe(
      await noticeRevision(US_CA, POLICY_DIGEST),
    );
    expect(
      await noticeRevision(withPurpose(EU, 1, { allowed: true, reasons: [] }), POLICY_DIGEST),
    ).toBe(await noticeRevision(EU, POLICY_DIGEST));
    expect(await noticeRevision(shuffled, POLICY_DIGEST)).toBe(
      await noticeRevision(US_CA, POLICY_DIGEST),
    );
  });
});
