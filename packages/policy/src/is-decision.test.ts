import { describe, expect, it } from 'vitest';

import { isCollectDecision, isEgressDecision, isNotice, isScriptDecision } from './is-decision.js';

const RECORD = {
  purpose: 'analytics',
  retention_days: 30,
  expires_at: 1,
  anonymous_id: true,
  fields: {},
  dropped: {},
};
const COLLECT = {
  allow: true,
  event: 'E',
  records: { analytics: RECORD },
  denied: {},
  reasons: [],
};
const EGRESS = {
  allow: false,
  destination: 'ads',
  purpose: null,
  fields: ['a'],
  dropped: { b: 'x' },
  reasons: ['gpc-opt-out'],
};
const SCRIPT = { allow: false, src: null, purpose: null, reasons: ['unknown-script'] };
const TEXT = { en: 'a', ja: 'あ' };
const NOTICE = {
  jurisdiction: 'EU',
  regime: 'GDPR',
  mode: 'opt-in',
  version: '1',
  gpc: { detected: false, applied: false },
  controller: { name: TEXT, contact: { email: 'p@example.com' } },
  purposes: [
    {
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
      title: TEXT,
      description: TEXT,
      categories: [{ id: 'user.name', label: TEXT }],
      recipients: [{ id: 'collector', name: TEXT, third_party: false }],
      reasons: ['consent-required'],
    },
  ],
  reasons: { 'consent-required': TEXT },
};

/** COLLECT with the analytics record's `path` field minimised by `action`. */
const withAction = (action: unknown) => ({
  ...COLLECT,
  records: { analytics: { ...RECORD, fields: { path: action } } },
});

describe(isCollectDecision, () => {
  it('accepts the contract shape', () => {
    expect(isCollectDecision(COLLECT)).toBe(true);
    expect(isCollectDecision({ ...COLLECT, allow: false, records: {}, event: null })).toBe(true);
  });

  it.each([
    [{ action: 'keep' }],
    [{ action: 'hash' }],
    [{ action: 'generalise', method: 'origin' }],
    [{ action: 'generalise', method: 'prefix', length: 3 }],
  ])('accepts the field action %j', (action) => {
    expect(isCollectDecision(withAction(action))).toBe(true);
  });

  it.each([
    [{ action: 'drop' }],
    [{ action: 'keep', salt: 'x' }],
    [{ action: 'generalise' }],
    [{ action: 'generalise', method: 'prefix', length: -1 }],
    [{ action: 'generalise', method: 'prefix', length: 1.5 }],
    ['keep'],
  ])('rejects the field action %j', (action) => {
    expect(isCollectDecision(withAction(action))).toBe(false);
  });

  it.each([
    ['null', null],
    ['an array', [COLLECT]],
    ['a missing denied', { ...COLLECT, denied: undefined }],
    ['denied reasons that are not strings', { ...COLLECT, denied: { x: [1] } }],
    [
      'an infinite retention',
      { ...COLLECT, records: { analytics: { ...RECORD, retention_days: null } } },
    ],
  ])('rejects %s', (_case, value) => {
    expect(isCollectDecision(value)).toBe(false);
  });
});

describe(isEgressDecision, () => {
  it('accepts the contract shape and rejects fields that are not a list', () => {
    expect(isEgressDecision(EGRESS)).toBe(true);
    expect(isEgressDecision({ ...EGRESS, fields: 'a' })).toBe(false);
    expect(isEgressDecision({ ...EGRESS, dropped: { b: 1 } })).toBe(false);
  });
});

describe(isScriptDecision, () => {
  it('accepts the contract shape and rejects a non-boolean allow', () => {
    expect(isScriptDecision(SCRIPT)).toBe(true);
    expect(isScriptDecision({ ...SCRIPT, allow: 1 })).toBe(false);
  });
});

describe(isNotice, () => {
  it('accepts the contract shape', () => {
    expect(isNotice(NOTICE)).toBe(true);
  });

  it.each([
    ['an unknown mode', { ...NOTICE, mode: 'implied' }],
    [
      'a purpose with an unknown consent',
      { ...NOTICE, purposes: [{ ...NOTICE.purposes[0], consent: 'maybe' }] },
    ],
    [
      'a text without Japanese',
      { ...NOTICE, controller: { ...NOTICE.controller, name: { en: 'a' } } },
    ],
    [
      'a contact email that is not a string',
      { ...NOTICE, controller: { ...NOTICE.controller, contact: { email: 1 } } },
    ],
  ])('rejects %s', (_case, value) => {
    expect(isNotice(value)).toBe(false);
  });
});
