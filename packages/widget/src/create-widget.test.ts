import { describe, expect, it } from 'vitest';

import { ConsentGateError, ErrorCode } from '@consentgate/core';

import { createWidget } from './create-widget.js';
import type { WidgetOptions } from './widget.js';
import { createMemoryStorage } from './fixtures/memory-storage.js';
import { EU, POLICY_DIGEST } from './fixtures/notices.js';

const valid = (): WidgetOptions => ({
  notice: EU,
  policyDigest: POLICY_DIGEST,
  storage: createMemoryStorage(),
});

describe(createWidget, () => {
  it.each<[string, Record<string, unknown>]>([
    ['notice', { notice: undefined }],
    ['notice', { notice: { ...EU, mode: 'maybe' } }],
    ['notice', { notice: { ...EU, purposes: [{ id: 1 }] } }],
    ['policyDigest', { policyDigest: '' }],
    ['storage', { storage: { ...createMemoryStorage(), eraseAll: undefined } }],
    ['storage', { storage: { consent: {} } }],
    ['locale', { locale: 1 }],
    ['messages', { messages: null }],
    ['container', { container: 'body' }],
    ['reopenButton', { reopenButton: 'yes' }],
    ['now', { now: 0 }],
    ['onConsent', { onConsent: {} }],
  ])('throws sdk/invalid-options synchronously for an invalid %s', (name, patch) => {
    const create = () => createWidget({ ...valid(), ...patch });

    expect(create).toThrow(ConsentGateError);
    expect(create).toThrow(expect.objectContaining({ code: ErrorCode.SdkInvalidOptions }));
    expect(create).toThrow(`\`${name}\``);
  });

  it('throws for options that are not an object', () => {
    expect(() => createWidget(null as unknown as WidgetOptions)).toThrow(ConsentGateError);
  });
});
