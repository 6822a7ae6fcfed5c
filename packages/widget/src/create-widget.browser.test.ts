import { page } from 'vitest/browser';
import { afterEach, describe, expect, it } from 'vitest';

import { createWidget } from './create-widget.js';
import { dialog, unmountAll } from './fixtures/harness.js';
import { createMemoryStorage } from './fixtures/memory-storage.js';
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
