// The widget on top of the real @consentgate/store in Chromium's IndexedDB: a consent write, the
// privacy centre reading what the store holds, a withdrawal that deletes in fact, export and
// erase.
import { page, userEvent } from 'vitest/browser';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { openStore } from '@consentgate/store';
import type { Store } from '@consentgate/store';
import { createWidget } from '@consentgate/widget';
import type { ConsentStorage, Widget } from '@consentgate/widget';

import { EU, POLICY_DIGEST } from '../../packages/widget/src/fixtures/notices.js';

const DAY = 86_400_000;
const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  vi.restoreAllMocks();
});

/** Opens a store in a database of its own; deleted after the test. */
async function open(): Promise<Store> {
  const name = `widget-store-${crypto.randomUUID()}`;
  const opened = await openStore(name, { sweepIntervalMs: 0 });
  if (!opened.ok) throw opened.error;
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        opened.value.close();
        const request = indexedDB.deleteDatabase(name);
        request.onsuccess = request.onerror = () => resolve();
      }),
  );
  return opened.value;
}

/** A widget on `store` (which must fit ConsentStorage as it is), ready. */
async function widgetOn(store: Store): Promise<{ widget: Widget; root: ShadowRoot }> {
  const storage: ConsentStorage = store;
  const widget = createWidget({ notice: EU, policyDigest: POLICY_DIGEST, storage, locale: 'en' });
  cleanups.push(() => widget.destroy());
  await widget.ready;
  return { widget, root: widget.host.shadowRoot as ShadowRoot };
}

/** Returns a Result's value, failing the test on an error. */
function value<T>(result: { ok: true; value: T } | { ok: false; error: unknown }): T {
  if (!result.ok) throw result.error as Error;
  return result.value;
}

describe('widget with @consentgate/store', () => {
  it('stores a banner choice in IndexedDB, and does not ask again on the next load', async () => {
    const store = await open();
    const started = performance.now();
    const first = await widgetOn(store);
    const cold = performance.now() - started;

    await userEvent.click(page.getByRole('button', { name: 'Accept all' }));
    await expect.poll(async () => value(await store.consent.latest())?.method).toBe('banner');
    first.widget.destroy();
    const restarted = performance.now();
    const again = await widgetOn(store);
    const warm = performance.now() - restarted;
    console.log(
      `first view in the DOM ${cold.toFixed(1)} ms after createWidget() on IndexedDB with cold modules, ${warm.toFixed(1)} ms warm`,
    );

    expect(store.mode).toBe('indexeddb');
    expect(value(await store.consent.latest())).toMatchObject({
      purposes: { analytics: true, personalization: true, marketing: true },
      previous: null,
      policy_digest: POLICY_DIGEST,
    });
    expect(again.root.querySelector('[role="dialog"]')).toBeNull();
    expect(again.widget.getConsent()).toEqual(value(await store.consent.latest()));
  });

  it('shows the store’s data in the privacy centre and withdraws a purpose with its data', async () => {
    const store = await open();
    const { widget, root } = await widgetOn(store);
    await widget.setConsent({ analytics: true, marketing: true });
    const expiresAt = Date.now() + 30 * DAY;
    value(
      await store.events.put([
        {
          name: 'Product Viewed',
          purpose: 'analytics',
          fields: { sku: 'A1' },
          expiresAt,
          policyDigest: POLICY_DIGEST,
        },
        {
          name: 'Order Completed',
          purpose: 'marketing',
          fields: { sku: 'A1' },
          expiresAt,
          policyDigest: POLICY_DIGEST,
        },
      ]),
    );
    value(
      await store.audit.append([
        {
          kind: 'blocked',
          event: 'Checkout Started',
          purpose: 'marketing',
          reasons: ['marketing:field-not-needed'],
        },
      ]),
    );

    widget.showPrivacyCentre();
    await expect.element(page.getByText('Product Viewed')).toBeVisible();
    const before = root.querySelector('[role="dialog"]')?.textContent ?? '';
    await userEvent.click(page.getByRole('button', { name: 'Withdraw Analytics' }));
    await expect.element(page.getByRole('status')).toHaveTextContent('Analytics withdrawn');
    await expect.element(page.getByText('Deleted after withdrawal')).toBeVisible();

    expect(before).toContain(
      `until ${new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short' }).format(expiresAt)}`,
    );
    expect(before).toContain('This purpose does not need this detail');
    expect(value(await store.events.list({ purpose: 'analytics' }))).toEqual([]);
    expect(value(await store.events.list({ purpose: 'marketing' }))).toHaveLength(1);
    expect(value(await store.consent.latest())).toMatchObject({
      method: 'privacy-centre',
      purposes: { analytics: false, marketing: true },
    });
    expect(value(await store.consent.verifyChain())).toEqual({ intact: true, length: 2 });
    expect(root.textContent).toContain('You withdrew consent.');
  });

  it('exports the store’s document and erases everything, so the next load asks again', async () => {
    const store = await open();
    const { widget, root } = await widgetOn(store);
    await widget.setConsent({ analytics: true });
    const blobs: Blob[] = [];
    vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      blobs.push(blob as Blob);
      return 'blob:test';
    });
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    const updates: unknown[] = [];
    widget.on('consent:updated', (record) => updates.push(record));

    widget.showPrivacyCentre();
    await userEvent.click(page.getByRole('button', { name: 'Export as JSON' }));
    await expect.poll(() => blobs).toHaveLength(1);
    await userEvent.click(page.getByRole('button', { name: 'Delete everything' }));
    await expect
      .element(page.getByRole('status'))
      .toHaveTextContent('Everything on this device was deleted');
    await userEvent.click(page.getByRole('button', { name: 'Close' }));

    const exported = JSON.parse(await (blobs[0] as Blob).text()) as {
      format: string;
      consent: { history: unknown[] };
    };
    expect(exported.format).toBe('consentgate-export/1');
    expect(exported.consent.history).toHaveLength(1);
    expect(value(await store.consent.history())).toEqual([]);
    expect(value(await store.audit.list()).map((entry) => entry.kind)).toEqual(['erased']);
    expect(updates).toEqual([undefined]);
    expect(root.getElementById('cg-title')?.textContent).toBe('Your privacy choices');
  });
});
