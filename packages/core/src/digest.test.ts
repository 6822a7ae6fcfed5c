import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { fromSriDigest, sha256Hex, toSriDigest } from './digest.js';
import { isConsentGateError } from './errors.js';

/** SHA-256 of the ASCII string "abc" (FIPS 180-2, appendix B.1). */
const ABC_HEX = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';
const ABC_SRI = 'sha256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=';
const EMPTY_HEX = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

describe(sha256Hex, () => {
  it('hashes a string as UTF-8', async () => {
    const hex = await sha256Hex('abc');

    expect(hex).toBe(ABC_HEX);
  });

  it('hashes non-ASCII text as UTF-8', async () => {
    const hex = await sha256Hex('é€😀');

    expect(hex).toBe('df9226927fd572c1ee66eec85de1bb139497614899f36e4e90474cb71f6ef9d0');
  });

  it('hashes the empty input', async () => {
    const hex = await sha256Hex(new ArrayBuffer(0));

    expect(hex).toBe(EMPTY_HEX);
  });

  it('hashes an ArrayBuffer', async () => {
    const buffer = new TextEncoder().encode('abc').buffer;

    const hex = await sha256Hex(buffer);

    expect(hex).toBe(ABC_HEX);
  });

  it('hashes only the bytes a view covers', async () => {
    const bytes = new TextEncoder().encode('xxabcxx');
    const view = new DataView(bytes.buffer, 2, 3);

    const hex = await sha256Hex(view);

    expect(hex).toBe(ABC_HEX);
  });

  it('hashes a view of a SharedArrayBuffer', async () => {
    const shared = new Uint8Array(new SharedArrayBuffer(3));
    shared.set(new TextEncoder().encode('abc'));

    const hex = await sha256Hex(shared);

    expect(hex).toBe(ABC_HEX);
  });
});

describe(toSriDigest, () => {
  it('encodes a hex digest as sha256-<base64>', () => {
    const sri = toSriDigest(ABC_HEX);

    expect(sri).toBe(ABC_SRI);
  });

  it('accepts uppercase hex', () => {
    const sri = toSriDigest(ABC_HEX.toUpperCase());

    expect(sri).toBe(ABC_SRI);
  });

  it('throws sdk/invalid-options for anything but 64 hex characters', () => {
    const attempt = () => toSriDigest('abc');

    expect(attempt).toThrow(expect.objectContaining({ code: 'sdk/invalid-options' }));
  });
});

describe(fromSriDigest, () => {
  it('decodes sha256-<base64> to lowercase hex', () => {
    const hex = fromSriDigest(` ${ABC_SRI}\n`);

    expect(hex).toBe(ABC_HEX);
  });

  it('throws sdk/invalid-options for other algorithms and malformed input', () => {
    const inputs = [
      'sha384-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=',
      'sha256-short=',
      `${ABC_SRI} ${ABC_SRI}`,
      '',
    ];

    const errors = inputs.map((input) => {
      try {
        fromSriDigest(input);
        return undefined;
      } catch (error) {
        return error;
      }
    });

    expect(errors.every((error) => isConsentGateError(error))).toBe(true);
  });

  it('inverts toSriDigest for every digest', () => {
    const digest = fc.uint8Array({ minLength: 32, maxLength: 32 });

    fc.assert(
      fc.property(digest, (bytes) => {
        const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');

        expect(fromSriDigest(toSriDigest(hex))).toBe(hex);
      }),
    );
  });
});
