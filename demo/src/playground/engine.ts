// Loads the committed policy bundle straight from policies/dist, checks it against its manifest and
// evaluates it in this browser. The playground shows what the policy answers; it stores and sends
// nothing.
import { loadPolicy } from '@open-policy-agent/opa-wasm';

import { Entrypoint, sha256Hex } from '@consentgate/core';
import type {
  CollectDecision,
  EgressDecision,
  Notice,
  PolicyInput,
  ScriptDecision,
} from '@consentgate/core';

import dataUrl from '../../../policies/dist/data.json?url';
import manifestUrl from '../../../policies/dist/manifest.json?url';
import wasmUrl from '../../../policies/dist/policy.wasm?url';

/** The parts of the storefront catalog the playground offers as choices. */
export interface Catalog {
  readonly events: Readonly<
    Record<string, { purposes: string[]; properties: Record<string, unknown> }>
  >;
  readonly destinations: Readonly<Record<string, { purposes: string[] }>>;
  readonly scripts: Readonly<Record<string, { purpose: string }>>;
}

/** A loaded, verified policy with one typed function per entrypoint. */
export interface Engine {
  readonly digest: string;
  readonly catalogVersion: string;
  readonly catalog: Catalog;
  notice(input: Partial<PolicyInput>): Notice;
  collect(input: PolicyInput): CollectDecision;
  egress(input: Partial<PolicyInput>): EgressDecision;
  script(input: Partial<PolicyInput>): ScriptDecision;
}

interface Manifest {
  digest: string;
  catalog_version: string;
  files: Record<'policy.wasm' | 'data.json', { sha256: string }>;
}

/** Fetches, verifies and instantiates the bundle; rejects with a readable message on any mismatch. */
export async function loadEngine(): Promise<Engine> {
  const [manifest, wasm, dataBytes] = await Promise.all([
    fetch(manifestUrl).then((r) => r.json() as Promise<Manifest>),
    fetch(wasmUrl).then((r) => r.arrayBuffer()),
    fetch(dataUrl).then((r) => r.arrayBuffer()),
  ]);
  const [wasmDigest, dataDigest] = await Promise.all([sha256Hex(wasm), sha256Hex(dataBytes)]);
  if (wasmDigest !== manifest.files['policy.wasm'].sha256) {
    throw new Error('policy.wasm does not match its manifest');
  }
  if (dataDigest !== manifest.files['data.json'].sha256) {
    throw new Error('data.json does not match its manifest');
  }
  const data = JSON.parse(new TextDecoder().decode(dataBytes)) as {
    consentgate: { catalog: Catalog };
  };
  const policy = await loadPolicy(wasm);
  policy.setData(data);
  const evaluate = <T>(entrypoint: string, input: unknown): T => {
    const result = policy.evaluate(input, entrypoint) as { result: T }[];
    const first = result[0];
    if (!first) throw new Error(`${entrypoint} returned no result`);
    return first.result;
  };
  return {
    digest: manifest.digest,
    catalogVersion: manifest.catalog_version,
    catalog: data.consentgate.catalog,
    notice: (input) => evaluate<Notice>(Entrypoint.Notice, input),
    collect: (input) => evaluate<CollectDecision>(Entrypoint.Collect, input),
    egress: (input) => evaluate<EgressDecision>(Entrypoint.Egress, input),
    script: (input) => evaluate<ScriptDecision>(Entrypoint.Script, input),
  };
}
