import { page, userEvent } from 'vitest/browser';
import { afterEach, describe, expect, it } from 'vitest';

import {
  CONSENT_CHANNEL,
  CONSENT_UPDATED,
  ConsentGateError,
  ErrorCode,
  announceConsent,
  consentReceipt,
  noticeRevision,
} from '@consentgate/core';
import type { ConsentRecord } from '@consentgate/core';

import { createWidget } from './create-widget.js';
import { dialog, mount, unmountAll } from './fixtures/harness.js';
import { createMemoryStorage } from './fixtures/memory-storage.js';
import type { MemoryStorage } from './fixtures/memory-storage.js';
import { EU, POLICY_DIGEST } from './fixtures/notices.js';

afterEach(unmountAll);

/** Resolves after the browser rendered two more frames. */
const frames = () =>
  new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));

/** A page with text the widget could push around if it took space. */
const content = document.createElement('article');
content.innerHTML = `<h1>Shop</h1>${'<p>Some product text that fills the page.</p>'.repeat(20)}`;
document.body.append(content);

describe(createWidget, () => {
  it('shows the banner without shifting the page (CLS 0) and logs how long it took', async () => {
    const shifts: PerformanceEntry[] = [];
    const observer = new PerformanceObserver((list) => shifts.push(...list.getEntries()));
    observer.observe({ type: 'layout-shift', buffered: true });
    await frames();
    shifts.length = 0;

    const started = performance.now();
    const widget = createWidget({
      notice: EU,
      policyDigest: POLICY_DIGEST,
      storage: createMemoryStorage(),
      locale: 'en',
    });
    await widget.ready;
    const inDom = performance.now() - started;
    const root = widget.host.shadowRoot as ShadowRoot;
    await new Promise(requestAnimationFrame);
    const painted = performance.now() - started;
    widget.showPreferences();
    await expect.element(page.getByRole('switch', { name: 'Analytics' })).toBeVisible();
    widget.close();
    await frames();
    const widgetShifts = shifts.length;
    // The observer works: moving the page's own content is seen as a shift.
    content.prepend(Object.assign(document.createElement('div'), { className: 'pusher' }));
    content.querySelector<HTMLElement>('.pusher')?.append('A late banner inside the page flow');
    await frames();
    observer.disconnect();
    widget.destroy();
    console.log(
      `banner in the DOM ${inDom.toFixed(1)} ms, painted ${painted.toFixed(1)} ms after createWidget() (memory storage)`,
    );

    expect(dialog(root)).toBeNull();
    expect(widgetShifts).toBe(0);
    expect(shifts.length).toBeGreaterThan(0);
  });

  it('appends an open-shadow host to the container and removes it on destroy', async () => {
    const container = document.createElement('div');
    document.body.append(container);
    const widget = createWidget({
      notice: EU,
      policyDigest: POLICY_DIGEST,
      storage: createMemoryStorage(),
      container,
    });
    await widget.ready;

    const attached = widget.host.parentElement;
    widget.destroy();
    widget.show();

    expect(attached).toBe(container);
    expect(widget.host.shadowRoot?.mode).toBe('open');
    expect(container.children).toHaveLength(0);
    container.remove();
  });

  it('opens a view asked for before it is ready', async () => {
    const widget = createWidget({
      notice: EU,
      policyDigest: POLICY_DIGEST,
      storage: createMemoryStorage(),
    });

    widget.showPrivacyCentre();
    await widget.ready;

    await expect.element(page.getByRole('dialog', { name: 'My data' })).toBeVisible();
    widget.destroy();
  });
});

/** Appends a receipt to `storage` as another party sharing it (the tracker) would, and returns it. */
async function appendElsewhere(storage: MemoryStorage): Promise<ConsentRecord> {
  const appended = await storage.consent.append(
    consentReceipt({
      notice: EU,
      revision: await noticeRevision(EU, POLICY_DIGEST),
      choices: { analytics: true },
      policyDigest: POLICY_DIGEST,
      signals: { gpc: false },
      method: 'api',
      now: Date.now(),
    }),
  );
  if (!appended.ok) throw appended.error;
  return appended.value;
}

describe('createWidget, following consent changed elsewhere', () => {
  it('closes the banner when someone else on the page stores and announces a receipt', async () => {
    const { widget, root, storage } = await mount();

    const record = await appendElsewhere(storage);
    announceConsent(window, record);

    await expect.poll(() => dialog(root)).toBeNull();
    expect(widget.getConsent()).toEqual(record);
  });

  it('closes the banner when another tab says consent changed', async () => {
    const { widget, root, storage } = await mount();
    const otherTab = new BroadcastChannel(CONSENT_CHANNEL);

    const record = await appendElsewhere(storage);
    otherTab.postMessage({ type: CONSENT_UPDATED });
    otherTab.close();

    await expect.poll(() => dialog(root)).toBeNull();
    expect(widget.getConsent()).toEqual(record);
  });
});

describe('createWidget errors', () => {
  it('emits sdk/callback-failed when onConsent or a listener throws, and still stores', async () => {
    const { widget, storage } = await mount({
      onConsent: () => {
        throw new Error('site bug');
      },
    });
    const codes: string[] = [];
    widget.on('error', (error) => codes.push(error.code));
    widget.on('view:closed', () => {
      throw new Error('listener bug');
    });

    await userEvent.click(page.getByRole('button', { name: 'Accept all' }));

    await expect
      .poll(() => codes)
      .toEqual([ErrorCode.SdkCallbackFailed, ErrorCode.SdkCallbackFailed]);
    expect(storage.records).toHaveLength(1);
  });

  it('returns widget/consent-not-saved when the storage throws instead of returning an error', async () => {
    const storage = createMemoryStorage();
    const { widget } = await mount({ storage });
    storage.consent.append = () => Promise.reject(new TypeError('broken storage'));

    const result = await widget.setConsent({ analytics: true });

    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toBeInstanceOf(ConsentGateError);
    expect(!result.ok && result.error.code).toBe(ErrorCode.WidgetConsentNotSaved);
    expect(widget.getConsent()).toBeUndefined();
  });
});
