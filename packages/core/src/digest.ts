import { ConsentGateError, ErrorCode } from './errors.js';

/** Length in hex characters of a SHA-256 digest (32 bytes). */
const SHA256_HEX_LENGTH = 64;

const HEX_PATTERN = /^[0-9a-f]{64}$/i;
const SRI_PATTERN = /^sha256-([A-Za-z0-9+/]{43}=)$/;

/**
 * Hashes `data` with SHA-256 and returns the digest as 64 lowercase hex characters.
 *
 * Strings are hashed as UTF-8. Uses `globalThis.crypto.subtle`, so it runs in Node 20+ and in
 * browsers, where SubtleCrypto exists only in secure contexts (https or localhost).
 *
 * @throws `TypeError` (as a rejection) when `crypto.subtle` is unavailable.
 *
 * @example
 * ```ts
 * await sha256Hex('abc'); // 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'
 * ```
 */
export async function sha256Hex(data: ArrayBuffer | ArrayBufferView | string): Promise<string> {
  const subtle = (globalThis.crypto as Crypto | undefined)?.subtle;
  if (!subtle) {
    throw new TypeError('crypto.subtle is unavailable; it needs a secure context');
  }
  const digest = await subtle.digest('SHA-256', toBytes(data));
  return bytesToHex(new Uint8Array(digest));
}

/**
 * Converts a hex SHA-256 digest into a Subresource Integrity string and returns it, such as
 * `sha256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=`.
 *
 * @throws {@link ConsentGateError} `sdk/invalid-options` when `hex` is not 64 hex characters.
 */
export function toSriDigest(hex: string): string {
  if (!HEX_PATTERN.test(hex)) {
    throw new ConsentGateError(
      ErrorCode.SdkInvalidOptions,
      `expected a SHA-256 digest as ${SHA256_HEX_LENGTH} hex characters`,
    );
  }
  let binary = '';
  for (let i = 0; i < hex.length; i += 2) {
    binary += String.fromCharCode(Number.parseInt(hex.slice(i, i + 2), 16));
  }
  return `sha256-${btoa(binary)}`;
}

/**
 * Converts a `sha256-<base64>` Subresource Integrity string into a lowercase hex digest and
 * returns it. Surrounding whitespace is ignored; other algorithms and lists of hashes are not
 * accepted.
 *
 * @throws {@link ConsentGateError} `sdk/invalid-options` when `sri` is not a single SHA-256 SRI
 * digest.
 */
export function fromSriDigest(sri: string): string {
  const base64 = SRI_PATTERN.exec(sri.trim())?.[1];
  if (base64 === undefined) {
    throw new ConsentGateError(
      ErrorCode.SdkInvalidOptions,
      'expected a Subresource Integrity digest of the form sha256-<base64>',
    );
  }
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytesToHex(bytes);
}

function toBytes(data: ArrayBuffer | ArrayBufferView | string): Uint8Array<ArrayBuffer> {
  if (typeof data === 'string') return new TextEncoder().encode(data);
  if (!ArrayBuffer.isView(data)) return new Uint8Array(data);
  const view = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  // SubtleCrypto rejects views of a SharedArrayBuffer, so those are copied first.
  return isArrayBufferBacked(view) ? view : new Uint8Array(view);
}

function isArrayBufferBacked(view: Uint8Array): view is Uint8Array<ArrayBuffer> {
  return typeof SharedArrayBuffer === 'undefined' || !(view.buffer instanceof SharedArrayBuffer);
}

function bytesToHex(bytes: Uint8Array): string {
  let hex = '';
  for (const byte of bytes) hex += byte.toString(16).padStart(2, '0');
  return hex;
}
