/** One golden case: an input and the answer the Go evaluator (`opa eval`) gave for it. */
export interface GoldenCase {
  readonly entrypoint: string;
  readonly input: Record<string, unknown>;
  readonly expected: unknown;
}

/** The committed bundle's manifest, as written by scripts/policies.mjs. */
export interface BundleManifest {
  readonly name: string;
  readonly catalog_version: string;
  readonly opa_version: string;
  readonly abi_version: string;
  readonly entrypoints: Readonly<Record<string, number>>;
  readonly digest: string;
  readonly files: Readonly<Record<'policy.wasm' | 'data.json', { sha256: string; bytes: number }>>;
  readonly sources_digest: string;
  readonly sources: Readonly<Record<string, string>>;
}

/** Says how to produce the golden file when it is missing, instead of a bare ENOENT. */
export const GOLDEN_MISSING =
  'policies/test/golden.json is missing: run `npm run policies` (needs Go) to generate it.';

/** Minimal structural check that a decision has the fields core's contract types declare. */
export function conformsToContract(entrypoint: string, value: unknown): string[] {
  const problems: string[] = [];
  if (typeof value !== 'object' || value === null) return ['not an object'];
  const v = value as Record<string, unknown>;
  const need = (key: string, ok: (x: unknown) => boolean) => {
    if (!ok(v[key])) problems.push(`${key}: ${JSON.stringify(v[key])}`);
  };
  const bool = (x: unknown) => typeof x === 'boolean';
  const strings = (x: unknown) => Array.isArray(x) && x.every((s) => typeof s === 'string');
  const object = (x: unknown) => typeof x === 'object' && x !== null && !Array.isArray(x);
  const nullableString = (x: unknown) => x === null || typeof x === 'string';
  switch (entrypoint) {
    case 'consentgate/notice/decision':
      need('mode', (x) => x === 'opt-in' || x === 'opt-out');
      need('jurisdiction', (x) => typeof x === 'string');
      need('version', (x) => typeof x === 'string');
      need('purposes', (x) => Array.isArray(x) && x.length > 0);
      need('gpc', object);
      need('reasons', object);
      break;
    case 'consentgate/collect/decision':
      need('allow', bool);
      need('event', nullableString);
      need('records', object);
      need('denied', object);
      need('reasons', strings);
      break;
    case 'consentgate/egress/decision':
      need('allow', bool);
      need('fields', strings);
      need('dropped', object);
      need('reasons', strings);
      break;
    case 'consentgate/script/decision':
      need('allow', bool);
      need('purpose', nullableString);
      need('reasons', strings);
      break;
    default:
      problems.push(`unknown entrypoint ${entrypoint}`);
  }
  return problems;
}
