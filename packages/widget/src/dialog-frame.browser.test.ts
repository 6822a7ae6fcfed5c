import { cdp, page, userEvent } from 'vitest/browser';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { DialogFrame } from './dialog-frame.js';
import { button, dialog, mount, unmountAll } from './fixtures/harness.js';

const opener = document.createElement('button');
opener.textContent = 'Open privacy settings';

beforeAll(() => document.body.append(opener));
afterAll(() => opener.remove());
afterEach(unmountAll);

/** Emulates `prefers-reduced-motion` through the Chrome DevTools Protocol. */
async function reducedMotion(value: 'reduce' | 'no-preference'): Promise<void> {
  await cdp().send('Emulation.setEmulatedMedia', {
    features: [{ name: 'prefers-reduced-motion', value }],
  });
}

/** Every element of the open dialog a keyboard user can reach, in order. */
function focusable(root: ShadowRoot): HTMLElement[] {
  return [
    ...(dialog(root)?.querySelectorAll<HTMLElement>(
      'a[href],button:not([disabled]),input:not([disabled])',
    ) ?? []),
  ];
}

describe(DialogFrame, () => {
  it.each(['banner', 'preferences', 'privacy-centre'] as const)(
    'renders the %s as a modal dialog named by its heading and described by its intro',
    async (view) => {
      const { widget, root } = await mount();

      if (view === 'preferences') widget.showPreferences();
      if (view === 'privacy-centre') widget.showPrivacyCentre();
      await expect.poll(() => dialog(root)?.closest(`.cg-${view}`)).toBeTruthy();

      const element = dialog(root) as HTMLElement;
      const title = root.getElementById(element.getAttribute('aria-labelledby') ?? '');
      const intro = root.getElementById(element.getAttribute('aria-describedby') ?? '');
      expect(element.getAttribute('aria-modal')).toBe('true');
      expect(title?.tagName).toBe('H2');
      expect(title?.textContent).not.toBe('');
      expect(intro?.textContent).not.toBe('');
      await expect
        .element(page.getByRole('dialog', { name: title?.textContent ?? '' }))
        .toBeVisible();
    },
  );

  it('moves focus into the dialog and gives it back to the opener on Escape', async () => {
    const { widget, root } = await mount();
    await widget.setConsent({ analytics: true });
    opener.focus();

    widget.showPreferences();
    await expect.poll(() => root.activeElement).toBe(dialog(root));
    await userEvent.keyboard('{Escape}');

    expect(dialog(root)).toBeNull();
    expect(document.activeElement).toBe(opener);
  });

  it('keeps Tab and Shift+Tab inside the dialog', async () => {
    const { root } = await mount();
    const items = focusable(root);
    const first = items[0] as HTMLElement;
    const last = items.at(-1) as HTMLElement;

    await userEvent.tab();
    const afterDialog = root.activeElement;
    last.focus();
    await userEvent.tab();
    const afterLast = root.activeElement;
    await userEvent.tab({ shift: true });
    const afterFirst = root.activeElement;

    expect(afterDialog).toBe(first);
    expect(afterLast).toBe(first);
    expect(afterFirst).toBe(last);
  });

  it('never lets focus reach the page while the dialog is open', async () => {
    const { root } = await mount();
    const visited = new Set<Element | null>();

    for (let step = 0; step < focusable(root).length * 2 + 2; step++) {
      await userEvent.tab();
      visited.add(document.activeElement);
    }

    expect([...visited]).toEqual([root.host]);
  });

  it('shows a visible focus ring on whatever the keyboard reaches', async () => {
    const { root } = await mount();

    await userEvent.tab();
    const focused = root.activeElement as HTMLElement;
    const style = getComputedStyle(focused);

    expect(focused.matches(':focus-visible')).toBe(true);
    expect(style.outlineStyle).toBe('solid');
    expect(style.outlineWidth).toBe('3px');
  });

  it('offers a persistent reopen button in the tab order that opens the preferences', async () => {
    const { widget, root } = await mount();
    await widget.setConsent({ analytics: true });
    const reopen = root.querySelector<HTMLButtonElement>('.cg-reopen');

    reopen?.focus();
    await userEvent.keyboard('{Enter}');
    await expect.element(page.getByRole('switch', { name: 'Analytics' })).toBeChecked();
    await userEvent.keyboard('{Escape}');

    expect(reopen?.tabIndex).toBe(0);
    expect(reopen?.getAttribute('aria-label')).toBe('Privacy preferences');
    expect(root.activeElement).toBe(reopen);
  });

  it('leaves the reopen button out when asked to', async () => {
    const { root } = await mount({ reopenButton: false });

    expect(root.querySelector('.cg-reopen')).toBeNull();
    expect(button(root, 'Accept all')).toBeTruthy();
  });

  it('animates only when the visitor has not asked for reduced motion', async () => {
    await reducedMotion('reduce');
    const reduced = await mount();
    const still = getComputedStyle(dialog(reduced.root) as HTMLElement).animationName;
    unmountAll();
    await reducedMotion('no-preference');
    const moving = await mount();

    expect(still).toBe('none');
    expect(getComputedStyle(dialog(moving.root) as HTMLElement).animationName).toBe('cg-in');
  });
});
