import { describe, expect, it } from 'vitest';

import { safeHttpUrl, safeMailto } from './safe-url.js';

describe(safeHttpUrl, () => {
  it('returns absolute http and https URLs, normalised', () => {
    expect(safeHttpUrl('https://example.com/privacy')).toBe('https://example.com/privacy');
    expect(safeHttpUrl('HTTP://Example.com')).toBe('http://example.com/');
  });

  it.each([
    'javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    ' javascript:alert(1)',
    '\u0000javascript:alert(1)',
    'java\tscript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox(1)',
    'blob:https://example.com/1',
    'mailto:privacy@example.com',
    '/privacy',
    '//evil.example/',
    'not a url',
    '',
  ])('rejects %j', (url) => {
    expect(safeHttpUrl(url)).toBeNull();
  });

  it('rejects values that are not strings', () => {
    expect(safeHttpUrl({ toString: () => 'https://example.com' })).toBeNull();
    expect(safeHttpUrl(undefined)).toBeNull();
  });
});

describe(safeMailto, () => {
  it('returns a mailto URL for a plain address', () => {
    expect(safeMailto('privacy@sakura-goods.example')).toBe('mailto:privacy@sakura-goods.example');
  });

  it.each([
    'privacy@example.com?body=hello',
    'privacy@example.com&cc=x@y.z',
    'a b@example.com',
    '<a@example.com>',
    'javascript:alert(1)//@example.com',
    'privacy@example',
    `${'a'.repeat(250)}@example.com`,
  ])('rejects %j', (email) => {
    expect(safeMailto(email)).toBeNull();
  });
});
