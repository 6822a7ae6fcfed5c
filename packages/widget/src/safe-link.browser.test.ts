import { page } from 'vitest/browser';
import { afterEach, describe, expect, it } from 'vitest';

import type { LocalizedText, Notice } from '@consentgate/core';

import { dialog, mount, unmountAll } from './fixtures/harness.js';
import { EU } from './fixtures/notices.js';
import { SafeLink } from './safe-link.js';

afterEach(unmountAll);

const HTML = '<img src=x onerror="window.__cgPwned=1"><b>bold</b>';
const text = (value: string): LocalizedText => ({ en: value, ja: value });

/** The EU notice with hostile catalog texts and links. */
function hostile(url: string, email = 'privacy@example.com'): Notice {
  return {
    ...EU,
    controller: { name: text(HTML), contact: { url, email } },
    purposes: EU.purposes.map((purpose) => ({
      ...purpose,
      title: text(`${HTML} ${purpose.id}`),
      description: text(HTML),
      categories: purpose.categories.map((category) => ({ ...category, label: text(HTML) })),
      recipients: purpose.recipients.map((recipient) => ({ ...recipient, name: text(HTML) })),
    })),
  };
}

describe(SafeLink, () => {
  it.each([
    'javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    ' javascript:alert(1)',
    'java\nscript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox(1)',
    '/relative/privacy',
  ])('renders no link at all for the catalog URL %j', async (url) => {
    const { root, widget } = await mount({ notice: hostile(url) });
    widget.showPrivacyCentre();
    await expect
      .element(page.getByRole('heading', { name: 'Stored on this device' }))
      .toBeVisible();

    const hrefs = [...root.querySelectorAll('a')].map((a) => a.getAttribute('href'));

    expect(hrefs).toEqual(['mailto:privacy@example.com']);
  });

  it('links an https URL in a new tab without opener or referrer', async () => {
    const { root } = await mount({ notice: hostile('https://example.com/privacy') });

    const link = root.querySelector('a');

    expect(link?.getAttribute('href')).toBe('https://example.com/privacy');
    expect(link?.rel).toBe('noopener noreferrer');
    expect(link?.target).toBe('_blank');
  });

  it('shows an e-mail address that is not plain as text, not as a mailto link', async () => {
    const { root, widget } = await mount({
      notice: hostile('https://example.com/', 'a@b.example?body=<script>x</script>'),
    });
    widget.showPrivacyCentre();
    await expect
      .element(page.getByRole('heading', { name: 'Stored on this device' }))
      .toBeVisible();

    expect(root.querySelector('a[href^="mailto:"]')).toBeNull();
    expect(dialog(root)?.textContent).toContain('a@b.example?body=<script>x</script>');
  });

  it('renders HTML in catalog texts as text, in every view', async () => {
    const { root, widget } = await mount({ notice: hostile('https://example.com/') });
    const banner = dialog(root)?.textContent ?? '';
    widget.showPreferences();
    await expect.element(page.getByRole('switch', { name: `${HTML} analytics` })).toBeVisible();
    const preferences = dialog(root)?.textContent ?? '';

    expect(banner).toContain(HTML);
    expect(preferences).toContain(HTML);
    expect(root.querySelectorAll('img, b')).toHaveLength(0);
    expect((window as { __cgPwned?: number }).__cgPwned).toBeUndefined();
  });
});
