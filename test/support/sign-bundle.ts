// Signs bundle files the way `opa build --signing-key` does (a JWS over a list of file hashes in
// `.signatures.json`), with WebCrypto, so that tests can make good and bad signatures at will.
import { sha256Hex } from '@consentgate/core';

import { opaJson } from '../../packages/policy/src/verify-signature.js';

/** A key pair for one JWS algorithm, with the public key as PEM and as a JWK too. */
export interface SigningKey {
  readonly algorithm: 'ES256' | 'RS256';
  readonly privateKey: CryptoKey;
  readonly publicKey: CryptoKey;
  readonly pem: string;
  readonly jwk: JsonWebKey;
}

/** Generates a signing key for `algorithm` and returns it. */
export async function generateSigningKey(algorithm: 'ES256' | 'RS256'): Promise<SigningKey> {
  const params =
    algorithm === 'ES256'
      ? { name: 'ECDSA', namedCurve: 'P-256' }
      : {
          name: 'RSASSA-PKCS1-v1_5',
          modulusLength: 2048,
          publicExponent: new Uint8Array([1, 0, 1]),
          hash: 'SHA-256',
        };
  const { privateKey, publicKey } = await crypto.subtle.generateKey(params, true, [
    'sign',
    'verify',
  ]);
  const spki = new Uint8Array(await crypto.subtle.exportKey('spki', publicKey));
  const base64 = btoa(String.fromCharCode(...spki)).replace(/(.{64})/g, '$1\n');
  return {
    algorithm,
    privateKey,
    publicKey,
    pem: `-----BEGIN PUBLIC KEY-----\n${base64}\n-----END PUBLIC KEY-----\n`,
    jwk: await crypto.subtle.exportKey('jwk', publicKey),
  };
}

/** One entry of a token's `files` claim. */
export interface SignedFile {
  readonly name: string;
  readonly hash: string;
  readonly algorithm: string;
}

/** Returns the `files` claim OPA would write for policy.wasm and data.json. */
export async function signedFiles(wasm: Uint8Array, data: Uint8Array): Promise<SignedFile[]> {
  return [
    { name: 'policy.wasm', hash: await sha256Hex(wasm), algorithm: 'SHA-256' },
    {
      name: 'data.json',
      hash: await sha256Hex(opaJson(JSON.parse(new TextDecoder().decode(data)))),
      algorithm: 'SHA-256',
    },
  ];
}

/** Options for {@link signatures}. */
export interface SignOptions {
  /** Header fields on top of `{ alg, kid: 'default', typ: 'JWT' }`. */
  readonly header?: Record<string, unknown>;
  /** Claims on top of `{ files, keyid: 'default' }`. */
  readonly claims?: Record<string, unknown>;
}

/** Returns `.signatures.json` for `files`, signed with `key`, as OPA writes it. */
export async function signatures(
  key: SigningKey,
  files: readonly SignedFile[],
  options: SignOptions = {},
): Promise<{ signatures: string[] }> {
  const header = encode({ alg: key.algorithm, kid: 'default', typ: 'JWT', ...options.header });
  const payload = encode({ files, keyid: 'default', ...options.claims });
  const signature = await crypto.subtle.sign(
    key.algorithm === 'ES256' ? { name: 'ECDSA', hash: 'SHA-256' } : { name: 'RSASSA-PKCS1-v1_5' },
    key.privateKey,
    new TextEncoder().encode(`${header}.${payload}`),
  );
  return { signatures: [`${header}.${payload}.${base64url(new Uint8Array(signature))}`] };
}

function encode(value: unknown): string {
  return base64url(new TextEncoder().encode(JSON.stringify(value)));
}

function base64url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}
