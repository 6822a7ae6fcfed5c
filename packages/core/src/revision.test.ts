import { describe, expect, it } from 'vitest';

import type { Notice, NoticePurpose } from './contract.js';
import { canonicalJson, noticeRevision } from './revision.js';

const purpose: NoticePurpose = {
  id: 'analytics',
  consent: 'opt-in',
  required: false,
  default: false,
  locked: false,
  allowed: false,
  legal_basis: 'consent',
  sale_share: false,
  local_only: false,
  retention_days: 30,
  title: { en: 'Analytics', ja: 'アクセス解析' },
  description: { en: 'Counts visits.', ja: '閲覧数を集計します。' },
  categories: [],
  recipients: [],
  reasons: [],
};

const notice = (overrides: Partial<NoticePurpose> = {}, version = 'v1'): Notice => ({
  jurisdiction: 'EU',
  regime: 'GDPR',
  mode: 'opt-in',
  version,
  gpc: { detected: false, applied: false },
  controller: { name: { en: 'Shop', ja: '店' }, contact: {} },
  purposes: [{ ...purpose, ...overrides }],
  reasons: {},
});

describe(canonicalJson, () => {
  it('sorts keys at every depth and leaves out undefined members', () => {
    expect(canonicalJson({ b: 1, a: [2, { d: 3, c: undefined }] })).toBe('{"a":[2,{"d":3}],"b":1}');
  });
});

describe(noticeRevision, () => {
  it('is stable for the same notice and digest', async () => {
    expect(await noticeRevision(notice(), 'd1')).toBe(await noticeRevision(notice(), 'd1'));
  });

  it('changes with the texts, the catalog version or the policy digest', async () => {
    const base = await noticeRevision(notice(), 'd1');

    expect(await noticeRevision(notice({ retention_days: 31 }), 'd1')).not.toBe(base);
    expect(await noticeRevision(notice({}, 'v2'), 'd1')).not.toBe(base);
    expect(await noticeRevision(notice(), 'd2')).not.toBe(base);
  });

  it('ignores state that does not change what was asked', async () => {
    const base = await noticeRevision(notice(), 'd1');

    expect(await noticeRevision(notice({ allowed: true, default: true, locked: true }), 'd1')).toBe(
      base,
    );
  });
});
