import { describe, expect, it, vi } from 'vitest';

import {
  announceConsent,
  CONSENT_UPDATED,
  consentFromEvent,
  consentReceipt,
  consentState,
  policyInput,
  receiptChoices,
} from './consent.js';
import type { ConsentRecord, Notice, NoticePurpose } from './contract.js';

const purpose = (id: string, overrides: Partial<NoticePurpose> = {}): NoticePurpose => ({
  id,
  consent: 'opt-in',
  required: false,
  default: false,
  locked: false,
  allowed: false,
  legal_basis: 'consent',
  sale_share: false,
  local_only: false,
  retention_days: 30,
  title: { en: id, ja: id },
  description: { en: id, ja: id },
  categories: [],
  recipients: [],
  reasons: [],
  ...overrides,
});

const notice: Notice = {
  jurisdiction: 'US-CA',
  regime: 'CCPA/CPRA',
  mode: 'opt-out',
  version: 'v1',
  gpc: { detected: true, applied: true },
  controller: { name: { en: 'Shop', ja: '店' }, contact: {} },
  purposes: [
    purpose('essential', { required: true, locked: true, consent: 'none', default: true }),
    purpose('analytics', { default: true }),
    purpose('marketing', { sale_share: true, locked: true }),
  ],
  reasons: {},
};

const record: ConsentRecord = {
  id: 'r1',
  revision: 'rev-1',
  purposes: { analytics: true, marketing: false },
  jurisdiction: 'US-CA',
  signals: { gpc: true },
  method: 'banner',
  given_at: 1_000,
  policy_digest: 'd'.repeat(64),
  previous: null,
};

describe(receiptChoices, () => {
  it('records only a literal true as yes, and never for a required or locked purpose', () => {
    expect(receiptChoices(notice, { essential: true, analytics: 'true', marketing: true })).toEqual(
      { analytics: false, marketing: false },
    );
    expect(receiptChoices(notice, { analytics: true })).toEqual({
      analytics: true,
      marketing: false,
    });
  });
});

describe(consentReceipt, () => {
  it('writes the seven receipt fields from the notice and the answer', () => {
    expect(
      consentReceipt({
        notice,
        revision: 'rev-1',
        choices: { analytics: true },
        policyDigest: 'd'.repeat(64),
        signals: { gpc: true },
        method: 'banner',
        now: 1_000,
      }),
    ).toEqual({
      revision: 'rev-1',
      purposes: { analytics: true, marketing: false },
      jurisdiction: 'US-CA',
      signals: { gpc: true },
      method: 'banner',
      given_at: 1_000,
      policy_digest: 'd'.repeat(64),
    });
  });
});

describe(consentState, () => {
  it('is undefined without a record', () => {
    expect(consentState(undefined)).toBeUndefined();
    expect(consentState(null, 'rev-1')).toBeUndefined();
  });

  it('keeps the revision, choices and time of a receipt for the current revision', () => {
    expect(consentState(record, 'rev-1')).toEqual({
      revision: 'rev-1',
      purposes: { analytics: true, marketing: false },
      given_at: 1_000,
    });
  });

  it('counts a receipt for another revision as no consent', () => {
    expect(consentState(record, 'rev-2')).toBeUndefined();
  });

  it('counts no receipt when the current revision is explicitly unknown', () => {
    expect(consentState(record, undefined)).toBeUndefined();
  });

  it('accepts the receipt as it is when no revision is given (the collector)', () => {
    expect(consentState(record)?.revision).toBe('rev-1');
  });
});

describe(policyInput, () => {
  it('builds the strictest input when only the time is known', () => {
    expect(policyInput({ now: 5 })).toEqual({
      now: 5,
      jurisdiction: 'default',
      signals: { gpc: false },
    });
  });

  it('turns the receipt into input.consent under the current revision', () => {
    const input = policyInput({
      now: 5,
      jurisdiction: 'US-CA',
      receipt: record,
      revision: 'rev-1',
      signals: { gpc: true },
      destination: 'collector',
      event: { type: 'track', name: 'Product Viewed', purpose: 'analytics', keys: ['sku'] },
    });

    expect(input).toEqual({
      now: 5,
      jurisdiction: 'US-CA',
      signals: { gpc: true },
      consent: {
        revision: 'rev-1',
        purposes: { analytics: true, marketing: false },
        given_at: 1_000,
      },
      destination: 'collector',
      event: { type: 'track', name: 'Product Viewed', purpose: 'analytics', keys: ['sku'] },
    });
  });

  it('leaves out consent from an outdated receipt, and from any receipt when the revision is unknown', () => {
    expect(policyInput({ now: 5, receipt: record, revision: 'rev-2' })).not.toHaveProperty(
      'consent',
    );
    expect(policyInput({ now: 5, receipt: record, revision: undefined })).not.toHaveProperty(
      'consent',
    );
  });

  it('counts only a literal true GPC signal', () => {
    expect(policyInput({ now: 5, signals: { gpc: 'yes' as unknown as boolean } }).signals).toEqual({
      gpc: false,
    });
  });
});

describe(announceConsent, () => {
  it('dispatches consent:updated with the receipt as detail', () => {
    const target = new EventTarget();
    const heard = vi.fn<(detail: unknown) => void>();
    target.addEventListener(CONSENT_UPDATED, (event) => {
      heard(consentFromEvent(event));
    });

    announceConsent(target, record);
    announceConsent(target, undefined);

    expect(heard.mock.calls).toEqual([[record], [undefined]]);
  });

  it('puts null on the DOM event for no consent, as the platform does', () => {
    const target = new EventTarget();
    let detail: unknown = 'unset';
    target.addEventListener(CONSENT_UPDATED, (event) => {
      detail = (event as CustomEvent<unknown>).detail;
    });

    announceConsent(target, undefined);

    expect(detail).toBeNull();
  });

  it('reads a foreign event of the same name as no receipt', () => {
    expect(consentFromEvent(new CustomEvent(CONSENT_UPDATED, { detail: 'hello' }))).toBeUndefined();
  });

  it('does nothing without a target', () => {
    expect(() => announceConsent(undefined, record)).not.toThrow();
  });
});
