import { describe, expect, it } from 'vitest';

import { sha256Hex, toSriDigest } from './digest.js';

/** SHA-256 of the ASCII string "abc" (FIPS 180-2, appendix B.1). */
const ABC_HEX = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';
const ABC_SRI = 'sha256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=';

/** 1 MiB, large enough that a chunking or view-offset bug would change the digest. */
const ONE_MIB = 1024 * 1024;

function hex(buffer: ArrayBuffer): string {
  return Array.from(new Uint8Array(buffer), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

function base64(buffer: ArrayBuffer): string {
  return btoa(String.fromCharCode(...new Uint8Array(buffer)));
}

describe(sha256Hex, () => {
  it('runs in a real browser', () => {
    expect(navigator.userAgent).toMatch(/Chrome/);
    expect(window.isSecureContext).toBe(true);
  });

  it('hashes "abc" to the published vector', async () => {
    const digest = await sha256Hex('abc');

    expect(digest).toBe(ABC_HEX);
    expect(toSriDigest(digest)).toBe(ABC_SRI);
  });

  it('agrees with crypto.subtle on a 1 MiB buffer', async () => {
    const bytes = new Uint8Array(ONE_MIB);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31 + 7) & 0xff;
    const expected = await crypto.subtle.digest('SHA-256', bytes);

    const digest = await sha256Hex(bytes);

    expect(digest).toBe(hex(expected));
    expect(toSriDigest(digest)).toBe(`sha256-${base64(expected)}`);
  });
});
