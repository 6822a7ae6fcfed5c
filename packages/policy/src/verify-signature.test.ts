import { readFileSync } from 'node:fs';

import { beforeAll, describe, expect, it } from 'vitest';

import { ErrorCode } from '@consentgate/core';

import { generateSigningKey, signatures, signedFiles } from '../../../test/support/sign-bundle.js';
import type { SignedFile, SigningKey } from '../../../test/support/sign-bundle.js';
import { opaJson, verifySignature } from './verify-signature.js';

const dist = new URL('../../../policies/dist/', import.meta.url);
const wasm = new Uint8Array(readFileSync(new URL('policy.wasm', dist)));
const data = new Uint8Array(readFileSync(new URL('data.json', dist)));
const files = { 'policy.wasm': wasm, 'data.json': data };

let es256: SigningKey;
let rs256: SigningKey;
let other: SigningKey;
let signed: SignedFile[];

beforeAll(async () => {
  [es256, rs256, other] = await Promise.all([
    generateSigningKey('ES256'),
    generateSigningKey('RS256'),
    generateSigningKey('ES256'),
  ]);
  signed = await signedFiles(wasm, data);
});

const mismatch: unknown = expect.objectContaining({ code: ErrorCode.PolicyIntegrityMismatch });

describe(verifySignature, () => {
  it.each([
    ['ES256 and a PEM key', () => es256, (k: SigningKey) => k.pem],
    ['ES256 and a JWK', () => es256, (k: SigningKey) => k.jwk],
    ['ES256 and a CryptoKey', () => es256, (k: SigningKey) => k.publicKey],
    ['RS256 and a PEM key', () => rs256, (k: SigningKey) => k.pem],
  ])('accepts a token signed with %s', async (_case, key, publicKey) => {
    const token = await signatures(key(), signed);

    const verified = verifySignature(
      token,
      { publicKey: publicKey(key()), algorithm: key().algorithm },
      files,
    );

    await expect(verified).resolves.toBeUndefined();
  });

  it('accepts data.json reformatted, since OPA hashes its structure', async () => {
    const token = await signatures(es256, signed);
    const pretty = new TextEncoder().encode(
      JSON.stringify(JSON.parse(new TextDecoder().decode(data)), null, 2),
    );

    const verified = verifySignature(
      token,
      { publicKey: es256.pem, algorithm: 'ES256' },
      {
        ...files,
        'data.json': pretty,
      },
    );

    await expect(verified).resolves.toBeUndefined();
  });

  it('ignores signed files the engine does not load, such as .manifest', async () => {
    const token = await signatures(es256, [
      ...signed,
      { name: '.manifest', hash: '00', algorithm: 'SHA-256' },
    ]);

    const verified = verifySignature(token, { publicKey: es256.pem, algorithm: 'ES256' }, files);

    await expect(verified).resolves.toBeUndefined();
  });

  describe('refuses, with policy/integrity-mismatch,', () => {
    it('a token signed with another key', async () => {
      const token = await signatures(other, signed);

      const verified = verifySignature(token, { publicKey: es256.pem, algorithm: 'ES256' }, files);

      await expect(verified).rejects.toEqual(mismatch);
    });

    it.each([
      ['"none"', { alg: 'none' }],
      ['HS256, the RS/HS confusion', { alg: 'HS256' }],
      ['RS256 when ES256 is pinned', { alg: 'RS256' }],
      ['a critical header it does not know', { crit: ['exp'] }],
    ])('a token whose header says %s', async (_case, header) => {
      const token = await signatures(es256, signed, { header });

      const verified = verifySignature(token, { publicKey: es256.pem, algorithm: 'ES256' }, files);

      await expect(verified).rejects.toEqual(mismatch);
    });

    it('a token whose payload was changed after signing', async () => {
      const {
        signatures: [token = ''],
      } = await signatures(es256, signed);
      const [header, , signature] = token.split('.');
      const forged = btoa(JSON.stringify({ files: signed, keyid: 'mine' })).replace(/=+$/, '');

      const verified = verifySignature(
        { signatures: [`${header}.${forged}.${signature}`] },
        { publicKey: es256.pem, algorithm: 'ES256' },
        files,
      );

      await expect(verified).rejects.toEqual(mismatch);
    });

    it('a policy.wasm that is not the one signed', async () => {
      const token = await signatures(es256, signed);

      const verified = verifySignature(
        token,
        { publicKey: es256.pem, algorithm: 'ES256' },
        {
          ...files,
          'policy.wasm': wasm.slice(1),
        },
      );

      await expect(verified).rejects.toEqual(mismatch);
    });

    it('a data.json with a changed value', async () => {
      const token = await signatures(es256, signed);
      const changed = new TextEncoder().encode(
        new TextDecoder().decode(data).replace('"retention_days":30', '"retention_days":3000'),
      );

      const verified = verifySignature(
        token,
        { publicKey: es256.pem, algorithm: 'ES256' },
        {
          ...files,
          'data.json': changed,
        },
      );

      await expect(verified).rejects.toEqual(mismatch);
    });

    it.each([
      ['without data.json', () => signed.filter((f) => f.name !== 'data.json')],
      ['with policy.wasm twice', () => [...signed, signed[0] as SignedFile]],
      ['with a SHA-1 hash', () => signed.map((f) => ({ ...f, algorithm: 'SHA-1' }))],
    ])('a token %s', async (_case, list) => {
      const token = await signatures(es256, list());

      const verified = verifySignature(token, { publicKey: es256.pem, algorithm: 'ES256' }, files);

      await expect(verified).rejects.toEqual(mismatch);
    });

    it('a token for another key id when one is pinned', async () => {
      const token = await signatures(es256, signed, { header: { kid: 'staging' } });

      const verified = verifySignature(
        token,
        { publicKey: es256.pem, algorithm: 'ES256', keyId: 'production' },
        files,
      );

      await expect(verified).rejects.toEqual(mismatch);
    });

    it('a token with a scope other than the pinned one', async () => {
      const token = await signatures(es256, signed, { claims: { scope: 'write' } });

      const verified = verifySignature(token, { publicKey: es256.pem, algorithm: 'ES256' }, files);

      await expect(verified).rejects.toEqual(mismatch);
    });

    it.each([
      ['no tokens', { signatures: [] }],
      ['two tokens', { signatures: ['a.b.c', 'a.b.c'] }],
      ['a token that is not a JWS', { signatures: ['not a token'] }],
      ['a token with padding', { signatures: ['YQ==.YQ==.YQ=='] }],
      ['nothing', undefined],
    ])('%s', async (_case, value) => {
      const verified = verifySignature(value, { publicKey: es256.pem, algorithm: 'ES256' }, files);

      await expect(verified).rejects.toEqual(mismatch);
    });

    it('a public key that is not PEM', async () => {
      const token = await signatures(es256, signed);

      const verified = verifySignature(
        token,
        { publicKey: 'ssh-ed25519 AAAA', algorithm: 'ES256' },
        files,
      );

      await expect(verified).rejects.toEqual(mismatch);
    });
  });
});

describe(opaJson, () => {
  it('sorts keys by code point, as Go sorts UTF-8 bytes', () => {
    const json = opaJson({ '\uffff': 1, '\u{1f600}': 2, b: 3, a: [true, null, 'x'] });

    expect(json).toBe('{"a":[true,null,"x"],"b":3,"\uffff":1,"\u{1f600}":2}');
  });

  it('escapes strings as Go does without HTML escaping', () => {
    const json = opaJson({ s: '<a href="x">\n\u2028\u2029\u0001&' });

    expect(json).toBe('{"s":"<a href=\\"x\\">\\n\\u2028\\u2029\\u0001&"}');
  });
});
