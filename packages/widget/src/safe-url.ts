/** Longest e-mail address RFC 5321 allows in a path. */
const MAX_EMAIL_LENGTH = 254;

/** One address, no display name, no spaces or characters that would change a `mailto:` URL. */
const EMAIL_PATTERN = /^[^\s@<>()[\]"',;:\\/?#&=%]+@[^\s@<>()[\]"',;:\\/?#&=%]+\.[a-z]{2,}$/i;

/**
 * Returns `raw` as a normalised absolute `http:` or `https:` URL, or `null` for anything else:
 * relative URLs, `javascript:`, `data:`, `vbscript:`, `blob:`, `mailto:` and strings that do not
 * parse. Catalog URLs are untrusted, so this is the only way one becomes an `href`.
 *
 * @example
 * ```ts
 * safeHttpUrl('https://example.com/privacy'); // 'https://example.com/privacy'
 * safeHttpUrl(' JaVaScRiPt:alert(1)'); // null
 * ```
 */
export function safeHttpUrl(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  let url: URL;
  try {
    // No base: a relative URL throws, so the page's own origin never makes a string look safe.
    url = new URL(raw);
  } catch {
    return null;
  }
  return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
}

/**
 * Returns a `mailto:` URL for `raw` when it is a single plain e-mail address, or `null`.
 *
 * @example
 * ```ts
 * safeMailto('privacy@example.com'); // 'mailto:privacy@example.com'
 * safeMailto('a@b.c?body=x'); // null
 * ```
 */
export function safeMailto(raw: unknown): string | null {
  if (typeof raw !== 'string' || raw.length > MAX_EMAIL_LENGTH) return null;
  return EMAIL_PATTERN.test(raw) ? `mailto:${raw}` : null;
}
