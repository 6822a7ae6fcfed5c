import { page, userEvent } from 'vitest/browser';
import { afterEach, describe, expect, it } from 'vitest';

import { button, dialog, mount, nextView, unmountAll } from './fixtures/harness.js';
import { createMemoryStorage } from './fixtures/memory-storage.js';
import { EU, JP, US_CA, US_CA_GPC } from './fixtures/notices.js';
import { PreferencesDialog } from './preferences-dialog.js';

afterEach(unmountAll);

/** The switches of the open dialog by accessible name (their purpose's title). */
function switches(root: ShadowRoot): Record<string, HTMLInputElement> {
  const inputs = [...root.querySelectorAll<HTMLInputElement>('input[role="switch"]')];
  return Object.fromEntries(
    inputs.map((input) => {
      const label = root.getElementById(input.getAttribute('aria-labelledby') ?? '');
      return [label?.textContent ?? '', input];
    }),
  );
}

describe(PreferencesDialog, () => {
  it('opens from Customise with one switch per optional purpose and nothing pre-ticked', async () => {
    const { root, widget } = await mount();
    const opened = nextView(widget);

    await userEvent.click(page.getByRole('button', { name: 'Customise' }));

    expect(await opened).toBe('preferences');
    expect(Object.keys(switches(root))).toEqual([
      'Analytics',
      'Personalisation',
      'Advertising',
      'Support chat',
    ]);
    expect(Object.values(switches(root)).map((input) => input.checked)).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });

  it('shows the strictly necessary purpose as always on, with the reason, and no switch', async () => {
    const { root, widget } = await mount();

    widget.showPreferences();
    await expect.element(page.getByRole('heading', { name: 'Strictly necessary' })).toBeVisible();

    const section = root.querySelector('section');
    expect(section?.textContent).toContain('Always on');
    expect(section?.textContent).toContain('cannot be switched off');
    expect(section?.querySelector('input')).toBeNull();
  });

  it('says per purpose what data, why, how long, who receives it and on what legal basis', async () => {
    const { root, widget } = await mount();

    widget.showPreferences();
    await expect.element(page.getByRole('switch', { name: 'Advertising' })).toBeVisible();

    const marketing = [...root.querySelectorAll('section')].find((section) =>
      section.textContent?.includes('Advertising'),
    );
    const purpose = EU.purposes.find((candidate) => candidate.id === 'marketing');
    const text = marketing?.textContent ?? '';
    for (const category of purpose?.categories ?? []) expect(text).toContain(category.label.en);
    expect(text).toContain(purpose?.description.en);
    expect(text).toContain('30 days on this device');
    expect(text).toContain('Example Ads Network (third party)');
    expect(text).not.toContain('(third party)(third party)');
    expect(text).toContain('Your consent');
    expect(text).toContain('Only if you say yes');
  });

  it('pre-ticks nothing in Japan either, although the law would let it', async () => {
    const { root, widget } = await mount({ notice: JP, locale: 'ja' });

    widget.showPreferences();
    await expect.element(page.getByRole('switch', { name: 'アクセス解析' })).toBeVisible();

    expect(Object.values(switches(root)).some((input) => input.checked)).toBe(false);
    expect(dialog(root)?.textContent).toContain('第三者提供へのご本人の同意');
  });

  it('starts from the policy defaults in California, GPC-locked purposes off and disabled', async () => {
    const plain = await mount({ notice: US_CA });
    plain.widget.showPreferences();
    await expect.element(page.getByRole('switch', { name: 'Advertising' })).toBeChecked();
    plain.widget.destroy();

    const gpc = await mount({ notice: US_CA_GPC });
    gpc.widget.showPreferences();
    await expect.element(page.getByRole('switch', { name: 'Advertising' })).toBeDisabled();

    const marketing = switches(gpc.root).Advertising;
    expect(marketing?.checked).toBe(false);
    expect(switches(gpc.root).Analytics?.checked).toBe(true);
    expect(dialog(gpc.root)?.textContent).toContain('Global Privacy Control honoured');
    expect(marketing?.closest('section')?.textContent).toContain(
      US_CA_GPC.reasons['gpc-opt-out']?.en,
    );
  });

  it('saves exactly the switches the visitor set', async () => {
    const { widget, storage, root } = await mount();
    widget.showPreferences();

    await userEvent.click(page.getByRole('switch', { name: 'Personalisation' }));
    await userEvent.click(page.getByRole('button', { name: 'Save my choices' }));

    await expect
      .poll(() => storage.records[0]?.purposes)
      .toEqual({
        analytics: false,
        personalization: true,
        marketing: false,
        functional: false,
      });
    expect(storage.records[0]?.method).toBe('banner');
    expect(dialog(root)).toBeNull();
  });

  it('puts back a switch a script flipped', async () => {
    const { widget, root } = await mount();
    widget.showPreferences();
    await expect.element(page.getByRole('switch', { name: 'Analytics' })).toBeVisible();

    switches(root).Analytics?.click();

    expect(switches(root).Analytics?.checked).toBe(false);

    await userEvent.click(page.getByRole('switch', { name: 'Analytics' }));

    expect(switches(root).Analytics?.checked).toBe(true);
  });

  it('is usable with the keyboard alone, from the banner to a saved choice', async () => {
    const { root, storage } = await mount();

    button(root, 'Customise').focus();
    await userEvent.keyboard('{Enter}');
    await expect.element(page.getByRole('switch', { name: 'Analytics' })).toBeVisible();
    switches(root).Analytics?.focus();
    await userEvent.keyboard(' ');
    button(root, 'Save my choices').focus();
    await userEvent.keyboard('{Enter}');

    await expect.poll(() => storage.records[0]?.purposes.analytics).toBe(true);
  });

  it('deletes what a purpose collected when its switch is turned off', async () => {
    const storage = createMemoryStorage();
    const { widget } = await mount({ storage });
    await widget.setConsent({ analytics: true, marketing: true });
    storage.items = [
      { purpose: 'analytics', expiresAt: Date.now() + 1000 },
      { purpose: 'marketing', expiresAt: Date.now() + 1000 },
    ];
    widget.showPreferences();

    await userEvent.click(page.getByRole('switch', { name: 'Analytics' }));
    await userEvent.click(page.getByRole('button', { name: 'Save my choices' }));

    await expect.poll(() => storage.records).toHaveLength(2);
    expect(storage.records[1]?.purposes).toMatchObject({ analytics: false, marketing: true });
    expect(storage.items.map((item) => item.purpose)).toEqual(['marketing']);
  });

  it('goes back to the unanswered banner on Escape, and closes when there is an answer', async () => {
    const { root, widget } = await mount();
    await userEvent.click(page.getByRole('button', { name: 'Customise' }));
    await expect.element(page.getByRole('switch', { name: 'Analytics' })).toBeVisible();

    await userEvent.keyboard('{Escape}');

    expect(dialog(root)?.classList.contains('cg-dialog')).toBe(true);
    expect(button(root, 'Accept all')).toBeTruthy();

    await widget.setConsent({ analytics: true });
    widget.showPreferences();
    await expect.element(page.getByRole('switch', { name: 'Analytics' })).toBeChecked();
    await userEvent.keyboard('{Escape}');

    expect(dialog(root)).toBeNull();
  });
});
