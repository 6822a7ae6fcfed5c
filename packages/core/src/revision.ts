import type { Notice } from './contract.js';
import { sha256Hex } from './digest.js';

/**
 * Serialises `value` as JSON with object keys sorted at every depth and `undefined` members left
 * out, and returns the string, so that equal data always hashes the same.
 *
 * @example
 * ```ts
 * canonicalJson({ b: 1, a: [2, { d: 3, c: undefined }] }); // '{"a":[2,{"d":3}],"b":1}'
 * ```
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const members = Object.keys(record)
      .sort()
      .filter((key) => record[key] !== undefined)
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`);
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * Computes the notice revision a consent record cites and returns it as 64 hex characters: the
 * SHA-256 of the canonical JSON of the catalog version, the policy digest, and, per purpose, what
 * the visitor was told (id, how consent is asked, legal basis, title, description, data
 * categories, recipients, retention).
 *
 * State that does not change what was asked is left out (`allowed`, `reasons`, `default`,
 * `locked`), so a GPC signal or an earlier answer does not trigger a new question; a new catalog
 * version, a changed text or a new policy bundle does. The widget and the SDK both use it, so a
 * receipt written by either is recognised by the other.
 *
 * @example
 * ```ts
 * const revision = await noticeRevision(notice, manifest.digest);
 * if (record?.revision !== revision) widget.show();
 * ```
 */
export function noticeRevision(notice: Notice, policyDigest: string): Promise<string> {
  return sha256Hex(
    canonicalJson({
      version: notice.version,
      policyDigest,
      purposes: notice.purposes.map((purpose) => ({
        id: purpose.id,
        consent: purpose.consent,
        legal_basis: purpose.legal_basis,
        title: purpose.title,
        description: purpose.description,
        categories: purpose.categories,
        recipients: purpose.recipients,
        retention_days: purpose.retention_days,
      })),
    }),
  );
}
