import { describe, expect, it } from 'vitest';

import { ConsentGateError, ErrorCode } from '@consentgate/core';

import { toConsentGateOptions } from './script-options.js';

const SALT = 'a-site-secret-of-length';

describe(toConsentGateOptions, () => {
  it('maps every data-* attribute to its option', () => {
    const options = toConsentGateOptions({
      policy: '/policy/manifest.json',
      policyDigest: 'sha256-abc',
      collector: 'https://collect.example/v1/batch',
      jurisdiction: 'JP',
      locale: 'ja',
      salt: SALT,
      consentMode: 'false',
      store: 'shop',
    });

    expect(options).toEqual({
      policy: '/policy/manifest.json',
      policyDigest: 'sha256-abc',
      collector: 'https://collect.example/v1/batch',
      jurisdiction: 'JP',
      locale: 'ja',
      salt: SALT,
      consentMode: false,
      storeName: 'shop',
    });
  });

  it('leaves out the options whose attribute is missing or empty', () => {
    const options = toConsentGateOptions({ policy: '/m.json', salt: SALT, collector: '' });

    expect(options).toEqual({ policy: '/m.json', salt: SALT, consentMode: true });
  });

  it('throws sdk/invalid-options naming data-policy when it is missing', () => {
    const call = () => toConsentGateOptions({ salt: SALT });

    expect(call).toThrow(ConsentGateError);
    expect(call).toThrow(/data-policy/);
    expect(() => toConsentGateOptions({ salt: SALT })).toThrowError(
      expect.objectContaining({ code: ErrorCode.SdkInvalidOptions }) as Error,
    );
  });

  it('throws sdk/invalid-options naming data-salt when it is missing or short', () => {
    expect(() => toConsentGateOptions({ policy: '/m.json' })).toThrow(/data-salt/);
    expect(() => toConsentGateOptions({ policy: '/m.json', salt: 'short' })).toThrow(/data-salt/);
  });
});
