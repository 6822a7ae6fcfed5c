// The policy playground evaluates the committed bundle in real Chromium and shows each decision.
import { h, render } from 'preact';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';

import { loadEngine } from '../../demo/src/playground/engine.js';
import type { Engine } from '../../demo/src/playground/engine.js';
import { Playground } from '../../demo/src/playground/playground.js';

let engine: Engine;
const host = document.createElement('div');

beforeAll(async () => {
  engine = await loadEngine();
  document.body.append(host);
});

afterEach(() => render(null, host));

const flush = () => new Promise((resolve) => requestAnimationFrame(resolve));

function select(label: string, value: string) {
  const field = [...host.querySelectorAll('label')].find((l) => l.textContent?.startsWith(label));
  const control = field?.querySelector('select');
  if (!control) throw new Error(`no select labelled ${label}`);
  control.value = value;
  control.dispatchEvent(new Event('change', { bubbles: true }));
}

function check(label: string) {
  const field = [...host.querySelectorAll('label')].find((l) => l.textContent?.includes(label));
  const box = field?.querySelector('input');
  if (!box) throw new Error(`no checkbox labelled ${label}`);
  box.click();
}

describe(Playground, () => {
  it('verifies the bundle against its manifest before using it', () => {
    expect(engine.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(Object.keys(engine.catalog.events)).toContain('Checkout Started');
  });

  it('shows a denial with readable reasons before the visitor answers in the EU', async () => {
    render(h(Playground, { engine, initialLocale: 'en' }), host);
    await flush();

    expect(host.querySelector('[data-testid=notice-mode]')?.textContent).toBe('opt-in');
    expect(host.querySelector('[data-testid=collect-verdict]')?.textContent).toBe('denied');
    expect(host.querySelector('[data-testid=collect-reasons]')?.textContent).toContain(
      'analytics: You have not agreed to this purpose.',
    );
  });

  it('shows the minimised record and its egress once the visitor agrees', async () => {
    render(h(Playground, { engine, initialLocale: 'en' }), host);
    await flush();

    check('Has not answered yet');
    await flush();
    select('Analytics', 'yes');
    await flush();

    const record = host.querySelector('[data-testid=record-analytics]');
    expect(host.querySelector('[data-testid=collect-verdict]')?.textContent).toBe('allowed');
    expect(record?.textContent).toContain('postal_code → generalise(prefix, 3)');
    expect(record?.textContent).toContain('email (This purpose does not need this detail');
    expect(record?.textContent).toContain('Destination collector: allowed');
    expect(host.querySelector('[data-testid=record-marketing]')).toBeNull();
  });

  it('shows GPC as honoured and the opt-out mode in California', async () => {
    render(h(Playground, { engine, initialLocale: 'ja' }), host);
    await flush();

    select('管轄', 'US-CA');
    check('GPC');
    await flush();

    expect(host.querySelector('[data-testid=notice-mode]')?.textContent).toBe('opt-out');
    expect(host.textContent).toContain('GPCを尊重しました');
  });
});
