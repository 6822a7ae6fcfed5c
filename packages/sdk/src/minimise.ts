import { GeneralisationMethod, saltedHash } from '@consentgate/core';
import type { FieldAction } from '@consentgate/core';

import type { JsonValue, Properties } from './normalise.js';

/** Why a value could not be minimised the way the policy asked; the field is then dropped. */
export type MinimiseReason = 'not-in-decision' | 'not-generalisable' | 'unknown-action';

/** The outcome of {@link minimise}: only the fields the policy kept, transformed. */
export interface Minimised {
  readonly fields: Readonly<Record<string, JsonValue>>;
  readonly dropped: readonly { readonly key: string; readonly reason: MinimiseReason }[];
}

/**
 * Applies the per-field actions of one collect record to an event's properties and returns only
 * what the purpose keeps: `keep` copies, `hash` replaces the value with a salted SHA-256 (hex),
 * `generalise` coarsens it. A property without an action is dropped; so is a value that cannot be
 * generalised as asked (never kept raw as a fallback).
 *
 * @param salt - A per-site secret mixed into every hash, so hashes cannot be joined across sites.
 * @example
 * ```ts
 * const { fields } = await minimise(properties, record.fields, site.salt);
 * ```
 */
export async function minimise(
  properties: Properties,
  actions: Readonly<Record<string, FieldAction>>,
  salt: string,
): Promise<Minimised> {
  const fields = Object.create(null) as Record<string, JsonValue>;
  const dropped: { key: string; reason: MinimiseReason }[] = [];
  for (const key of Object.keys(properties)) {
    const action = actions[key];
    const value = properties[key];
    if (!action || value === undefined) {
      dropped.push({ key, reason: 'not-in-decision' });
      continue;
    }
    const result = await apply(action, value, salt);
    if (result === undefined) {
      dropped.push({
        key,
        reason: isKnownAction(action) ? 'not-generalisable' : 'unknown-action',
      });
    } else {
      fields[key] = result;
    }
  }
  return { fields, dropped };
}

function isKnownAction(action: FieldAction): boolean {
  return action.action === 'keep' || action.action === 'hash' || action.action === 'generalise';
}

async function apply(
  action: FieldAction,
  value: JsonValue,
  salt: string,
): Promise<JsonValue | undefined> {
  switch (action.action) {
    case 'keep':
      return value;
    case 'hash':
      return hashValue(value, salt);
    case 'generalise':
      switch (action.method) {
        case GeneralisationMethod.Region:
          return toRegion(value);
        case GeneralisationMethod.Prefix:
          return toPrefix(value, action.length ?? 3);
        case GeneralisationMethod.Origin:
          return toOrigin(value);
        case GeneralisationMethod.Year:
          return toYear(value);
        case GeneralisationMethod.Truncate:
          return typeof value === 'string'
            ? [...value].slice(0, action.length ?? 0).join('')
            : undefined;
        default:
          return undefined;
      }
    default:
      return undefined;
  }
}

/**
 * Salted SHA-256 of a value, hex. Strings are trimmed and lower-cased first so that
 * `" Ann@Example.com"` and `"ann@example.com"` match (emails are case-insensitive in practice).
 */
export function hashValue(value: JsonValue, salt: string): Promise<string | undefined> {
  if (value === null || typeof value === 'object') return Promise.resolve(undefined);
  const text = typeof value === 'string' ? value.trim().toLowerCase() : String(value);
  if (text === '') return Promise.resolve(undefined);
  return saltedHash(salt, text);
}

/** The 47 prefectures, as written at the start of a Japanese address. */
const PREFECTURES =
  '北海道 青森県 岩手県 宮城県 秋田県 山形県 福島県 茨城県 栃木県 群馬県 埼玉県 千葉県 東京都 神奈川県 新潟県 富山県 石川県 福井県 山梨県 長野県 岐阜県 静岡県 愛知県 三重県 滋賀県 京都府 大阪府 兵庫県 奈良県 和歌山県 鳥取県 島根県 岡山県 広島県 山口県 徳島県 香川県 愛媛県 高知県 福岡県 佐賀県 長崎県 熊本県 大分県 宮崎県 鹿児島県 沖縄県'.split(
    ' ',
  );

const US_STATES = new Set(
  'AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR'.split(
    ' ',
  ),
);

/**
 * Reduces an address to its prefecture (Japan) or state (US). Accepts an address object with a
 * `region`, `prefecture` or `state` member, or a one-line address. Returns `undefined` when no
 * region can be recognised: the address is then dropped, never kept whole.
 */
export function toRegion(value: JsonValue): string | undefined {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const record = value as Readonly<Record<string, JsonValue>>;
    for (const key of ['region', 'prefecture', 'state']) {
      const part = record[key];
      if (typeof part === 'string') return toRegion(part);
    }
    return undefined;
  }
  if (typeof value !== 'string') return undefined;
  const text = value.normalize('NFKC');
  const prefecture =
    PREFECTURES.find((p) => text.startsWith(p)) ?? PREFECTURES.find((p) => text.includes(p));
  if (prefecture) return prefecture;
  // "…, San Francisco, CA 94105" or a bare "CA".
  const match = /(?:^|[\s,])([A-Z]{2})(?:\s+\d{5}(?:-\d{4})?)?\s*$/.exec(text.trim());
  const state = match?.[1];
  return state && US_STATES.has(state) ? state : undefined;
}

/** Keeps the first `length` letters or digits of a postal code ("100-0001" → "100"). */
export function toPrefix(value: JsonValue, length: number): string | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const compact = String(value)
    .normalize('NFKC')
    .replace(/[^0-9A-Za-z]/g, '');
  if (compact.length < length || length <= 0) return undefined;
  return compact.slice(0, length);
}

/** Reduces an http(s) URL to its origin; anything else cannot be generalised. */
export function toOrigin(value: JsonValue): string | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : undefined;
  } catch {
    return undefined;
  }
}

/** Reduces a date (ISO string or epoch ms) to its UTC year. */
export function toYear(value: JsonValue): number | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const time = new Date(value).getTime();
  return Number.isFinite(time) ? new Date(time).getUTCFullYear() : undefined;
}
