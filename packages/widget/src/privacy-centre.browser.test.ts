import { page, userEvent } from 'vitest/browser';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { ErrorCode } from '@consentgate/core';
import type { ConsentGateError } from '@consentgate/core';

import { button, dialog, mount, unmountAll } from './fixtures/harness.js';
import { createMemoryStorage } from './fixtures/memory-storage.js';
import type { MemoryStorage } from './fixtures/memory-storage.js';
import { EU } from './fixtures/notices.js';
import { PrivacyCentre } from './privacy-centre.js';

afterEach(() => {
  unmountAll();
  vi.restoreAllMocks();
});

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 27, 12);

/** A storage with a yes to analytics and marketing, stored items and an audit trail. */
async function seeded(): Promise<{ storage: MemoryStorage; root: ShadowRoot }> {
  const storage = createMemoryStorage();
  const { widget } = await mount({ storage, now: () => NOW });
  await widget.setConsent({ analytics: true, marketing: true });
  widget.destroy();
  storage.items = [
    { purpose: 'analytics', name: 'Product Viewed', createdAt: NOW, expiresAt: NOW + 30 * DAY },
    { purpose: 'analytics', name: 'Order Completed', createdAt: NOW, expiresAt: NOW + 29 * DAY },
    { purpose: 'marketing', name: 'Order Completed', createdAt: NOW, expiresAt: NOW + 30 * DAY },
  ];
  storage.auditItems = [
    {
      at: NOW - 1000,
      kind: 'sent',
      event: 'Product Viewed',
      purpose: 'analytics',
      destination: 'collector',
    },
    {
      at: NOW,
      kind: 'blocked',
      event: 'Checkout Started',
      purpose: 'marketing',
      reasons: ['marketing:field-not-needed', 'never-collected'],
    },
  ];
  const mounted = await mount({ storage, now: () => NOW });
  mounted.widget.showPrivacyCentre();
  await expect.element(page.getByRole('heading', { name: 'Stored on this device' })).toBeVisible();
  return { storage, root: mounted.root };
}

/** The block of purpose `title` in the stored-data section. */
function group(root: ShadowRoot, title: string): HTMLElement | undefined {
  return [...root.querySelectorAll<HTMLElement>('.cg-purpose')].find(
    (element) => element.querySelector('h4')?.textContent === title,
  );
}

describe(PrivacyCentre, () => {
  it('lists what is stored on this device per purpose and until when', async () => {
    const { root } = await seeded();
    const until = (ms: number) =>
      new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short' }).format(ms);

    const analytics = group(root, 'Analytics')?.textContent ?? '';
    expect(analytics).toContain('On');
    expect(analytics).toContain('Product Viewed');
    expect(analytics).toContain(`until ${until(NOW + 30 * DAY)}`);
    expect(analytics).toContain(`until ${until(NOW + 29 * DAY)}`);
    expect(group(root, 'Strictly necessary')?.textContent).toContain('Always on');
    expect(group(root, 'Personalisation')?.textContent).toContain('Nothing stored.');
  });

  it('shows the audit trail: what was blocked or sent where, and why', async () => {
    const { root } = await seeded();

    const entries = [...root.querySelectorAll('.cg-entry')].map((entry) => entry.textContent ?? '');

    expect(entries[0]).toContain('Blocked');
    expect(entries[0]).toContain('Checkout Started');
    expect(entries[0]).toContain(`Advertising · ${EU.reasons['field-not-needed']?.en}`);
    expect(entries[0]).toContain(EU.reasons['never-collected']?.en);
    expect(entries[1]).toContain('Sent');
    expect(entries[1]).toContain('to Sakura Goods analytics server (first party)');
  });

  it('shows the consent history with how each choice was made', async () => {
    const { root } = await seeded();

    const history = root.querySelector('[aria-labelledby="cg-history"]')?.textContent ?? '';

    expect(history).toContain('By the site');
    expect(history).toContain('Analytics: On');
    expect(history).toContain('Personalisation: Off');
  });

  it('withdraws one purpose with one click and deletes what it collected', async () => {
    const { root, storage } = await seeded();

    await userEvent.click(page.getByRole('button', { name: 'Withdraw Analytics' }));

    await expect.element(page.getByRole('status')).toHaveTextContent('Analytics withdrawn');
    expect(storage.records.at(-1)).toMatchObject({
      method: 'privacy-centre',
      purposes: { analytics: false, personalization: false, marketing: true },
    });
    expect(storage.items.map((item) => item.purpose)).toEqual(['marketing']);
    await expect.poll(() => group(root, 'Analytics')?.textContent).toContain('Nothing stored.');
    expect(root.querySelector('[aria-label="Withdraw Analytics"]')).toBeNull();
    expect(root.querySelector('[aria-label="Withdraw Advertising"]')).not.toBeNull();
  });

  it('exports everything as a JSON file with one click, without navigating', async () => {
    const { storage } = await seeded();
    const blobs: Blob[] = [];
    const downloads: HTMLAnchorElement[] = [];
    vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      blobs.push(blob as Blob);
      return 'blob:test';
    });
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
      this: HTMLAnchorElement,
    ) {
      downloads.push(this);
    });
    const href = location.href;

    await userEvent.click(page.getByRole('button', { name: 'Export as JSON' }));
    await expect.poll(() => downloads).toHaveLength(1);

    expect(downloads[0]?.download).toBe('consentgate-2026-11-27.json');
    expect(downloads[0]?.getAttribute('href')).toBe('blob:test');
    expect(blobs[0]?.type).toBe('application/json');
    const exported = await storage.export();
    expect(JSON.parse(await (blobs[0] as Blob).text())).toEqual(
      JSON.parse(JSON.stringify(exported.ok && exported.value)),
    );
    expect(location.href).toBe(href);
  });

  it('deletes everything with one click, says so, and leaves no consent', async () => {
    const { root, storage } = await seeded();
    const detail = vi.fn((event: Event) => (event as CustomEvent<unknown>).detail);
    window.addEventListener('consent:updated', detail);

    await userEvent.click(page.getByRole('button', { name: 'Delete everything' }));

    await expect
      .element(page.getByRole('status'))
      .toHaveTextContent('Everything on this device was deleted');
    window.removeEventListener('consent:updated', detail);
    expect(storage.calls.filter((call) => call === 'eraseAll')).toHaveLength(1);
    expect(detail.mock.results[0]?.value).toBeNull();
    await expect.poll(() => root.textContent).toContain('No choice yet.');
  });

  it('asks again once it closes after everything was deleted', async () => {
    const { root } = await seeded();

    await userEvent.click(page.getByRole('button', { name: 'Delete everything' }));
    await expect.element(page.getByRole('status')).toHaveTextContent('deleted');
    await userEvent.click(page.getByRole('button', { name: 'Close' }));

    expect(dialog(root)?.getAttribute('aria-labelledby')).toBe('cg-title');
    expect(root.getElementById('cg-title')?.textContent).toBe('Your privacy choices');
  });

  it('ignores delete and withdraw clicks from a script', async () => {
    const { root, storage } = await seeded();

    button(root, 'Delete everything').click();
    button(root, 'Withdraw').click();
    await Promise.resolve();

    expect(storage.calls).not.toContain('eraseAll');
    expect(storage.records.at(-1)?.method).toBe('api');
  });

  it('shows the privacy contact from the catalog', async () => {
    const { root } = await seeded();

    const mail = root.querySelector<HTMLAnchorElement>('a[href^="mailto:"]');
    const policy = [...root.querySelectorAll('a')].find((a) => a.textContent === 'Privacy policy');

    expect(mail?.href).toBe('mailto:privacy@sakura-goods.example');
    expect(mail?.textContent).toBe('privacy@sakura-goods.example');
    expect(policy?.href).toBe('https://sakura-goods.example/privacy');
    expect(policy?.rel).toBe('noopener noreferrer');
  });

  it('says what could not be read and emits error', async () => {
    const storage = createMemoryStorage();
    const { widget, root } = await mount({ storage });
    const errors: ConsentGateError[] = [];
    widget.on('error', (error) => errors.push(error));
    storage.failNext('audit');

    widget.showPrivacyCentre();
    await expect
      .element(page.getByRole('heading', { name: 'Stored on this device' }))
      .toBeVisible();

    expect(root.querySelector('[aria-labelledby="cg-audit"]')?.textContent).toContain(
      'This could not be read.',
    );
    expect(errors.map((error) => error.code)).toEqual([ErrorCode.StoreQuotaExceeded]);
  });
});
