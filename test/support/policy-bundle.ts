// Builds policy bundles for tests: the committed policies/dist bundle, or any wasm/data pair with a
// manifest that is self-consistent, so each check of the loader can be failed on its own.
import { sha256Hex } from '@consentgate/core';

import type { BundleManifest } from './golden.js';

/** The three files of a bundle, as the loader's `{ manifest, wasm, data }` source takes them. */
export interface TestBundle {
  readonly manifest: BundleManifest;
  readonly wasm: Uint8Array<ArrayBuffer>;
  readonly data: Uint8Array<ArrayBuffer>;
  /** `manifest.digest`, the value a site pins. */
  readonly digest: string;
}

/**
 * Returns a bundle whose manifest describes `wasm` and `data` exactly (hashes, sizes and digest
 * computed as scripts/policies.mjs does), with `overrides` applied on top.
 */
export async function createTestBundle(
  wasm: Uint8Array<ArrayBuffer>,
  data: Uint8Array<ArrayBuffer>,
  overrides: Partial<BundleManifest> = {},
): Promise<TestBundle> {
  const files = {
    'policy.wasm': { sha256: await sha256Hex(wasm), bytes: wasm.byteLength },
    'data.json': { sha256: await sha256Hex(data), bytes: data.byteLength },
  };
  const digest = await sha256Hex(
    `policy.wasm ${files['policy.wasm'].sha256}\ndata.json ${files['data.json'].sha256}\n`,
  );
  const manifest: BundleManifest = {
    name: 'test-bundle',
    catalog_version: 'test',
    opa_version: 'test',
    abi_version: '1.3',
    entrypoints: {
      'consentgate/notice/decision': 0,
      'consentgate/collect/decision': 1,
      'consentgate/egress/decision': 2,
      'consentgate/script/decision': 3,
    },
    digest,
    files,
    sources_digest: '',
    sources: {},
    ...overrides,
  };
  return { manifest, wasm, data, digest: manifest.digest };
}

/** Returns a copy of `bytes` with the byte at `index` flipped. */
export function flipByte(bytes: Uint8Array<ArrayBuffer>, index: number): Uint8Array<ArrayBuffer> {
  const copy = bytes.slice();
  copy[index] = (copy[index] ?? 0) ^ 0xff;
  return copy;
}

/** Returns the manifest as bytes, as a server would send manifest.json. */
export function manifestBytes(manifest: BundleManifest): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(`${JSON.stringify(manifest, null, 2)}\n`);
}

/** A minimal data.json, enough for a fake module to load. */
export const TINY_DATA = new TextEncoder().encode('{}\n');
