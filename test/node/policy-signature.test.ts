// Interoperability of @consentgate/policy's signature check with the real OPA: bundles signed by
// the pinned `opa build --signing-key` (ES256 and RS256) must verify, and nothing else may.
import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { canonicalJson, ErrorCode, sha256Hex } from '@consentgate/core';
import type { PolicyInput } from '@consentgate/core';
import { loadPolicy } from '@consentgate/policy';

import { opaJson } from '../../packages/policy/src/verify-signature.js';
import { createTestBundle } from '../support/policy-bundle.js';
import type { TestBundle } from '../support/policy-bundle.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const opa = process.env.CONSENTGATE_OPA ?? join(root, 'tools', 'bin', 'opa');
const OPA_MISSING = `${opa} is missing: run \`npm run tools\` (needs Go) to build the pinned OPA.`;
/** The order scripts/policies.mjs builds them in, so the entrypoint ids match. */
const ENTRYPOINTS = ['notice', 'collect', 'egress', 'script'].map(
  (e) => `consentgate/${e}/decision`,
);
const INPUT: PolicyInput = {
  now: 1763942400000,
  jurisdiction: 'JP',
  consent: { purposes: { analytics: true, marketing: true } },
  event: { name: 'Checkout Started', keys: ['value', 'email', 'address', 'postal_code'] },
};

interface Signed {
  readonly bundle: TestBundle & { readonly signatures: object };
  readonly publicKey: string;
  /** The data.json hash OPA put in the token. */
  readonly signedDataHash: string;
}

const scratch = mkdtempSync(join(tmpdir(), 'consentgate-signed-'));
const signed: Partial<Record<'ES256' | 'RS256', Signed>> = {};

/** Builds and signs the storefront bundle with a fresh key, as a policy pipeline would. */
async function build(algorithm: 'ES256' | 'RS256'): Promise<Signed> {
  const keys =
    algorithm === 'ES256'
      ? generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
      : generateKeyPairSync('rsa', { modulusLength: 2048 });
  const dir = join(scratch, algorithm);
  const key = `${dir}.pem`;
  writeFileSync(key, keys.privateKey.export({ type: 'pkcs8', format: 'pem' }));
  await promisify(execFile)('mkdir', ['-p', dir]);
  await promisify(execFile)(opa, [
    'build',
    '--bundle',
    '-t',
    'wasm',
    ...ENTRYPOINTS.flatMap((e) => ['-e', e]),
    '--ignore',
    '*_test.rego',
    '--signing-key',
    key,
    '--signing-alg',
    algorithm,
    '-o',
    join(dir, 'bundle.tar.gz'),
    join(root, 'policies', 'src'),
  ]);
  await promisify(execFile)('tar', ['-xzf', join(dir, 'bundle.tar.gz'), '-C', dir]);
  const wasm = new Uint8Array(readFileSync(join(dir, 'policy.wasm')));
  // Re-serialised as scripts/policies.mjs writes data.json; OPA's hash ignores formatting.
  const data = new TextEncoder().encode(
    `${canonicalJson(JSON.parse(readFileSync(join(dir, 'data.json'), 'utf8')))}\n`,
  );
  const signatures = JSON.parse(readFileSync(join(dir, '.signatures.json'), 'utf8')) as {
    signatures: [string];
  };
  const claims = JSON.parse(
    Buffer.from(signatures.signatures[0].split('.')[1] ?? '', 'base64url').toString('utf8'),
  ) as { files: { name: string; hash: string }[] };
  return {
    bundle: { ...(await createTestBundle(wasm, data)), signatures },
    publicKey: keys.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    signedDataHash: claims.files.find((f) => f.name === 'data.json')?.hash ?? '',
  };
}

beforeAll(async () => {
  expect(existsSync(opa), OPA_MISSING).toBe(true);
  [signed.ES256, signed.RS256] = await Promise.all([build('ES256'), build('RS256')]);
}, 60_000);

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

describe('a bundle signed by opa build --signing-key', () => {
  it('has its data.json hashed by OPA exactly as the engine hashes it', async () => {
    const { bundle, signedDataHash } = signed.ES256 as Signed;

    const ours = await sha256Hex(opaJson(JSON.parse(new TextDecoder().decode(bundle.data))));

    expect(ours).toBe(signedDataHash);
  });

  it.each(['ES256', 'RS256'] as const)(
    'loads and decides when signed with %s',
    async (algorithm) => {
      const { bundle, publicKey } = signed[algorithm] as Signed;

      const policy = await loadPolicy(bundle, {
        digest: bundle.digest,
        signature: { publicKey, algorithm },
      });

      expect(policy.error).toBeNull();
      expect(policy.signed).toBe(true);
      expect(policy.collect(INPUT).decision.records.marketing?.fields.email).toEqual({
        action: 'hash',
      });
    },
  );

  it('is refused against another key, with policy/integrity-mismatch', async () => {
    const { bundle } = signed.ES256 as Signed;
    const { publicKey } = signed.RS256 as Signed;

    const policy = await loadPolicy(bundle, { signature: { publicKey, algorithm: 'RS256' } });

    expect(policy.error?.code).toBe(ErrorCode.PolicyIntegrityMismatch);
    expect(policy.collect(INPUT).decision).toMatchObject({ allow: false, records: {} });
  });

  it('is refused when data.json changed, even with a manifest that matches it', async () => {
    const { bundle, publicKey } = signed.ES256 as Signed;
    const changed = new TextEncoder().encode(
      new TextDecoder().decode(bundle.data).replace('"retention_days":30', '"retention_days":3650'),
    );
    const forged = {
      ...(await createTestBundle(bundle.wasm, changed)),
      signatures: bundle.signatures,
    };

    const policy = await loadPolicy(forged, { signature: { publicKey, algorithm: 'ES256' } });

    expect(policy.error?.code).toBe(ErrorCode.PolicyIntegrityMismatch);
    expect(policy.error?.message).toMatch(/data.json/);
  });

  it('is refused without its .signatures.json', async () => {
    const { bundle, publicKey } = signed.ES256 as Signed;
    const { signatures: _dropped, ...unsigned } = bundle;

    const policy = await loadPolicy(unsigned, { signature: { publicKey, algorithm: 'ES256' } });

    expect(policy.error?.code).toBe(ErrorCode.PolicyIntegrityMismatch);
  });
});
