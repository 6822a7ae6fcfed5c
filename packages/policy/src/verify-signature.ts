import { ConsentGateError, ErrorCode, sha256Hex } from '@consentgate/core';

import type { PolicySignatureOptions } from './policy.js';

/** WebCrypto parameters for each supported JWS algorithm. */
const ALGORITHMS = {
  RS256: {
    key: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
    verify: { name: 'RSASSA-PKCS1-v1_5' },
  },
  ES256: {
    key: { name: 'ECDSA', namedCurve: 'P-256' },
    // A JWS ES256 signature is r‖s (64 bytes), the format WebCrypto verifies.
    verify: { name: 'ECDSA', hash: 'SHA-256' },
  },
} as const;

const SEGMENT = /^[A-Za-z0-9_-]+$/;

/**
 * Verifies `.signatures.json` as OPA does (one JWT whose payload lists file hashes), against the
 * pinned key, and checks that it covers `policy.wasm` and `data.json` with their SHA-256. Returns
 * nothing; files the token lists that the engine does not load (such as `.manifest`) are ignored.
 *
 * data.json is hashed the way OPA hashes JSON files: over its parsed structure with object keys
 * sorted, so reformatting it (as `npm run policies` does) keeps the signature valid.
 *
 * @throws {@link ConsentGateError} (as a rejection) `policy/integrity-mismatch` for anything
 * that does not verify.
 */
export async function verifySignature(
  signatures: unknown,
  options: PolicySignatureOptions,
  files: { readonly 'policy.wasm': Uint8Array; readonly 'data.json': Uint8Array },
): Promise<void> {
  const algorithm = options.algorithm ?? 'RS256';
  const tokens = (signatures as { signatures?: unknown } | null)?.signatures;
  // OPA accepts exactly one token.
  if (!Array.isArray(tokens) || tokens.length !== 1 || typeof tokens[0] !== 'string') {
    throw invalid('expected one token');
  }
  const segments = tokens[0].split('.');
  const [header, payload, signature] = segments;
  if (segments.length !== 3 || !segments.every((segment) => SEGMENT.test(segment))) {
    throw invalid('malformed token');
  }
  let claims: Record<string, unknown>;
  let head: Record<string, unknown>;
  try {
    head = JSON.parse(text(base64url(header as string))) as Record<string, unknown>;
    claims = JSON.parse(text(base64url(payload as string))) as Record<string, unknown>;
  } catch (cause) {
    throw invalid('malformed token', cause);
  }
  // The algorithm is pinned, never taken from the token (no "none", no RS/HS confusion).
  if (head.alg !== algorithm || head.crit !== undefined) throw invalid(`alg ${String(head.alg)}`);
  const keyId = head.kid ?? claims.keyid;
  if (options.keyId !== undefined && keyId !== options.keyId) throw invalid('key id');
  const { key: keyParams, verify } = ALGORITHMS[algorithm];
  let key: CryptoKey;
  try {
    const { publicKey } = options;
    key =
      typeof publicKey === 'string'
        ? await crypto.subtle.importKey('spki', pem(publicKey), keyParams, false, ['verify'])
        : publicKey instanceof CryptoKey
          ? publicKey
          : await crypto.subtle.importKey('jwk', publicKey, keyParams, false, ['verify']);
  } catch (cause) {
    throw invalid('public key', cause);
  }
  let valid = false;
  try {
    valid = await crypto.subtle.verify(
      verify,
      key,
      base64url(signature as string),
      new TextEncoder().encode(`${header as string}.${payload as string}`),
    );
  } catch (cause) {
    throw invalid('signature', cause);
  }
  if (!valid) throw invalid('signature');
  if ((claims.scope ?? '') !== (options.scope ?? '')) throw invalid('scope');

  const listed = Array.isArray(claims.files) ? (claims.files as unknown[]) : [];
  for (const name of ['policy.wasm', 'data.json'] as const) {
    const entries = listed.filter(
      (entry) => String((entry as { name?: unknown } | null)?.name).replace(/^\//, '') === name,
    ) as { hash?: unknown; algorithm?: unknown }[];
    if (entries.length !== 1 || entries[0]?.algorithm !== 'SHA-256') {
      throw invalid(`${name} is not signed`);
    }
    const bytes = files[name];
    let signed: string | Uint8Array = bytes;
    if (name === 'data.json') {
      try {
        signed = opaJson(JSON.parse(text(bytes)));
      } catch (cause) {
        throw invalid('data.json is not JSON', cause);
      }
    }
    const hash = await sha256Hex(signed);
    if (entries[0].hash !== hash) throw invalid(`${name} does not match its signature`);
  }
}

/**
 * Serialises parsed JSON as OPA's bundle hasher walks it (`bundle/hash.go`): keys sorted by code
 * point, no whitespace, strings as Go's `encoding/json` writes them without HTML escaping.
 */
export function opaJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(opaJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    return `{${Object.keys(record)
      .sort(byCodePoint)
      .map((key) => `${goString(key)}:${opaJson(record[key])}`)
      .join(',')}}`;
  }
  return typeof value === 'string' ? goString(value) : JSON.stringify(value);
}

/** JSON.stringify's string escaping, plus the two line separators Go always escapes. */
function goString(value: string): string {
  return JSON.stringify(value).replace(
    /[\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16)}`,
  );
}

/** Orders strings by code point (Go's byte order for UTF-8), not by UTF-16 code unit. */
function byCodePoint(a: string, b: string): number {
  for (let i = 0; i < a.length && i < b.length; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (astral code points) sort after U+E000–U+FFFF in code point order.
    if (x >= 0xd800) x += x >= 0xe000 ? -0x800 : 0x2000;
    if (y >= 0xd800) y += y >= 0xe000 ? -0x800 : 0x2000;
    return x - y;
  }
  return a.length - b.length;
}

function base64url(segment: string): Uint8Array<ArrayBuffer> {
  const binary = atob(segment.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function pem(key: string): Uint8Array<ArrayBuffer> {
  const body = /-----BEGIN PUBLIC KEY-----([^-]+)-----END PUBLIC KEY-----/.exec(key)?.[1];
  if (body === undefined) throw new TypeError('not a PEM public key');
  // atob takes standard base64, the PEM alphabet; base64url() only swaps the two that differ.
  return base64url(body.replace(/\s+/g, ''));
}

function text(bytes: Uint8Array): string {
  return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
}

function invalid(message: string, cause?: unknown): ConsentGateError {
  return new ConsentGateError(ErrorCode.PolicyIntegrityMismatch, `signature: ${message}`, {
    cause,
  });
}
