import { describe, expect, it } from 'vitest';

import { ConsentGateError, ErrorCode, isConsentGateError } from './errors.js';

describe(ConsentGateError, () => {
  it('carries its code, message and name', () => {
    const error = new ConsentGateError(ErrorCode.StoreBlocked, 'upgrade blocked');

    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe('store/blocked');
    expect(error.message).toBe('upgrade blocked');
    expect(error.name).toBe('ConsentGateError');
  });

  it('passes the cause through untouched', () => {
    const cause = new DOMException('quota', 'QuotaExceededError');

    const error = new ConsentGateError(ErrorCode.StoreQuotaExceeded, 'not saved', { cause });

    expect(error.cause).toBe(cause);
  });

  it('has no cause when none is given', () => {
    const error = new ConsentGateError(ErrorCode.PolicyTimeout, 'too slow');

    expect('cause' in error).toBe(false);
  });
});

describe('ErrorCode', () => {
  it('names every code as area/kebab-reason', () => {
    const codes = Object.values(ErrorCode);

    const malformed = codes.filter((code) => !/^[a-z]+\/[a-z]+(-[a-z]+)*$/.test(code));

    expect(malformed).toEqual([]);
    expect(new Set(codes).size).toBe(codes.length);
  });
});

describe(isConsentGateError, () => {
  it('accepts a ConsentGateError', () => {
    const error = new ConsentGateError(ErrorCode.TransportOffline, 'offline');

    expect(isConsentGateError(error)).toBe(true);
  });

  it('accepts an error from another bundle that carries a known code', () => {
    const foreign = Object.assign(new Error('offline'), { code: 'transport/offline' });

    expect(isConsentGateError(foreign)).toBe(true);
  });

  it('rejects errors with unknown codes and non-errors', () => {
    const unknownCode = Object.assign(new Error('x'), { code: 'ENOENT' });

    expect(isConsentGateError(unknownCode)).toBe(false);
    expect(isConsentGateError(new Error('plain'))).toBe(false);
    expect(isConsentGateError({ code: 'store/blocked' })).toBe(false);
    expect(isConsentGateError('store/blocked')).toBe(false);
    expect(isConsentGateError(null)).toBe(false);
  });
});
