// Loads the committed policy bundle straight from policies/dist with @consentgate/policy (the same
// verified, fail-closed loader the SDK uses) and evaluates it in this browser. The playground shows
// what the policy answers; it stores and sends nothing.
import { loadPolicy } from '@consentgate/policy';
import type { PolicyManifest } from '@consentgate/policy';

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

/** Fetches the bundle, verifies it and returns the engine; rejects with the loader's error. */
export async function loadEngine(): Promise<Engine> {
  const [manifest, wasm, data] = await Promise.all([
    fetch(manifestUrl).then((r) => r.json() as Promise<PolicyManifest>),
    fetch(wasmUrl).then((r) => r.arrayBuffer()),
    fetch(dataUrl).then((r) => r.arrayBuffer()),
  ]);
  const policy = await loadPolicy({ manifest, wasm, data }, { digest: manifest.digest });
  if (policy.error) throw policy.error;
  const catalog = (
    JSON.parse(new TextDecoder().decode(data)) as { consentgate: { catalog: Catalog } }
  ).consentgate.catalog;
  const at = <T extends Partial<PolicyInput>>(input: T): PolicyInput => ({
    now: Date.now(),
    ...input,
  });
  return {
    digest: manifest.digest,
    catalogVersion: manifest.catalog_version,
    catalog,
    notice: (input) => {
      const { decision, error } = policy.notice(at(input));
      if (!decision) throw error ?? new Error('the policy gave no notice');
      return decision;
    },
    collect: (input) => policy.collect(input).decision,
    egress: (input) => policy.egress(at(input)).decision,
    script: (input) => policy.script(at(input)).decision,
  };
}
