import { page, userEvent } from 'vitest/browser';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { ErrorCode, sha256Hex } from '@consentgate/core';
import type { ConsentGateError, ConsentRecord } from '@consentgate/core';

import { ConsentBanner } from './consent-banner.js';
import { button, dialog, mount, unmountAll } from './fixtures/harness.js';
import { createMemoryStorage } from './fixtures/memory-storage.js';
import { EU, JP, POLICY_DIGEST, US_CA, US_CA_GPC } from './fixtures/notices.js';
import { canonicalJson, noticeRevision } from './notice-revision.js';

afterEach(unmountAll);

/** Computed style properties that depend on the label's length, not on the button's weight. */
const SIZE_DEPENDENT = /width|height|inline-size|block-size|origin|^d$|^x$|^y$/;

/** Returns the computed styles of `a` and `b` that differ, ignoring size-dependent ones. */
function styleDifferences(a: Element, b: Element): string[] {
  const styleA = getComputedStyle(a);
  const styleB = getComputedStyle(b);
  return [...styleA]
    .filter((name) => !SIZE_DEPENDENT.test(name))
    .filter((name) => styleA.getPropertyValue(name) !== styleB.getPropertyValue(name));
}

describe(ConsentBanner, () => {
  it('says who is asking and names every purpose in plain words, with nothing to pre-tick', async () => {
    const { root } = await mount();

    const text = dialog(root)?.textContent ?? '';
    expect(text).toContain('Sakura Goods K.K. (demo storefront) asks to use data');
    for (const purpose of EU.purposes) {
      expect(text).toContain(purpose.title.en);
      expect(text).toContain(purpose.description.en);
    }
    expect(root.querySelectorAll('input')).toHaveLength(0);
    expect(button(root, 'Customise')).toBeTruthy();
  });

  it('gives Accept all and Reject all the same element and the same computed style', async () => {
    const { root } = await mount();

    const accept = button(root, 'Accept all');
    const reject = button(root, 'Reject all');

    expect(reject.tagName).toBe(accept.tagName);
    expect(reject.className).toBe(accept.className);
    expect(styleDifferences(accept, reject)).toEqual([]);
    expect(accept.getBoundingClientRect().height).toBe(reject.getBoundingClientRect().height);
  });

  it('records every purpose off with one click on Reject all', async () => {
    const { root, storage } = await mount({ now: () => 1_700_000_000_000 });

    await userEvent.click(page.getByRole('button', { name: 'Reject all' }));

    await expect.poll(() => storage.records).toHaveLength(1);
    expect(storage.records[0]).toMatchObject({
      purposes: { analytics: false, personalization: false, marketing: false },
      method: 'banner',
      jurisdiction: 'EU',
      signals: { gpc: false },
      given_at: 1_700_000_000_000,
      policy_digest: POLICY_DIGEST,
      revision: await noticeRevision(EU, POLICY_DIGEST),
      previous: null,
    });
    expect(dialog(root)).toBeNull();
  });

  it('records every purpose on with one click on Accept all', async () => {
    const { storage } = await mount();

    await userEvent.click(page.getByRole('button', { name: 'Accept all' }));

    await expect
      .poll(() => storage.records[0]?.purposes)
      .toEqual({
        analytics: true,
        personalization: true,
        marketing: true,
        functional: true,
      });
  });

  it('keeps the receipt as the storage stored it, with the id and hash chain it assigned', async () => {
    const { widget, storage } = await mount();

    await widget.setConsent({ analytics: true });
    await widget.setConsent({ analytics: false });

    const [first, second] = storage.records as [ConsentRecord, ConsentRecord];
    expect(second.previous).toBe(await sha256Hex(canonicalJson(first)));
    expect(widget.getConsent()).toEqual(second);
    expect(widget.getConsent()).not.toBe(second);
  });

  it('shows an opt-out notice with Do not sell or share in California', async () => {
    const { root, storage } = await mount({ notice: US_CA });

    const doNotSell = button(root, 'Do not sell or share my personal information');
    const acknowledge = button(root, 'OK');
    expect(dialog(root)?.textContent).toContain('You can opt out at any time');
    expect(dialog(root)?.textContent).not.toContain('Global Privacy Control');
    expect(styleDifferences(doNotSell, acknowledge)).toEqual([]);

    await userEvent.click(
      page.getByRole('button', { name: 'Do not sell or share my personal information' }),
    );

    await expect
      .poll(() => storage.records[0]?.purposes)
      .toEqual({
        analytics: true,
        personalization: true,
        marketing: false,
        functional: true,
      });
  });

  it('shows GPC as honoured and keeps sale/share off even on OK', async () => {
    const { root, storage } = await mount({ notice: US_CA_GPC });

    expect(dialog(root)?.textContent).toContain('Global Privacy Control honoured');

    await userEvent.click(page.getByRole('button', { name: 'OK' }));

    await expect
      .poll(() => storage.records[0])
      .toMatchObject({
        purposes: { analytics: true, personalization: true, marketing: false },
        signals: { gpc: true },
      });
  });

  it('shows an opt-in banner in Japanese for Japan', async () => {
    const { root, storage } = await mount({ notice: JP, locale: 'ja' });

    expect(dialog(root)?.getAttribute('lang')).toBe('ja');
    expect(dialog(root)?.textContent).toContain('さくら雑貨株式会社（デモストア）は');
    expect(
      styleDifferences(button(root, 'すべて同意する'), button(root, 'すべて拒否する')),
    ).toEqual([]);

    await userEvent.click(page.getByRole('button', { name: 'すべて拒否する' }));

    await expect
      .poll(() => storage.records[0]?.purposes)
      .toEqual({
        analytics: false,
        personalization: false,
        marketing: false,
        functional: false,
      });
  });

  it('ignores a click from a script but takes a real one', async () => {
    const { root, storage } = await mount();

    button(root, 'Accept all').click();
    button(root, 'Accept all').dispatchEvent(new MouseEvent('click', { bubbles: true }));
    await Promise.resolve();

    expect(storage.calls).not.toContain('append');
    expect(dialog(root)).not.toBeNull();

    await userEvent.click(page.getByRole('button', { name: 'Accept all' }));

    await expect.poll(() => storage.calls).toContain('append');
  });

  it('takes a choice made with the keyboard alone', async () => {
    const { root, storage } = await mount();

    button(root, 'Reject all').focus();
    await userEvent.keyboard('{Enter}');

    await expect.poll(() => storage.records[0]?.purposes.analytics).toBe(false);
  });

  it('announces consent only after the storage write resolved, on window and on the widget', async () => {
    const storage = createMemoryStorage();
    const onConsent = vi.fn();
    const { widget, root } = await mount({ storage, onConsent });
    const onEvent = vi.fn();
    const onDomEvent = vi.fn((event: Event) => (event as CustomEvent<unknown>).detail);
    widget.on('consent:updated', onEvent);
    window.addEventListener('consent:updated', onDomEvent);
    const release = storage.holdAppends();

    await userEvent.click(page.getByRole('button', { name: 'Accept all' }));
    await expect.poll(() => storage.held).toBe(1);
    const beforeWrite = [onEvent.mock.calls.length, onDomEvent.mock.calls.length, !!dialog(root)];
    release();
    await expect.poll(() => onDomEvent.mock.calls.length).toBe(1);
    window.removeEventListener('consent:updated', onDomEvent);

    expect(beforeWrite).toEqual([0, 0, true]);
    expect(dialog(root)).toBeNull();
    const announced: unknown = onDomEvent.mock.results[0]?.value;
    expect(announced).toEqual(storage.records[0]);
    expect(onEvent).toHaveBeenCalledWith(announced);
    expect(onConsent).toHaveBeenCalledWith(announced);
    expect(Object.isFrozen(announced)).toBe(true);
    expect(widget.getConsent()).toBe(announced);
  });

  it('keeps the banner, says so and emits error when the choice cannot be stored', async () => {
    const storage = createMemoryStorage();
    const { widget, root } = await mount({ storage });
    const errors: ConsentGateError[] = [];
    const updates = vi.fn();
    widget.on('error', (error) => errors.push(error));
    widget.on('consent:updated', updates);
    storage.failNext('append');

    await userEvent.click(page.getByRole('button', { name: 'Accept all' }));

    await expect.element(page.getByRole('alert')).toHaveTextContent('could not be saved');
    expect(errors.map((error) => error.code)).toEqual([ErrorCode.StoreQuotaExceeded]);
    expect(updates).not.toHaveBeenCalled();
    expect(widget.getConsent()).toBeUndefined();
    expect(dialog(root)).not.toBeNull();

    widget.destroy();
    const again = await mount({ storage });

    expect(dialog(again.root)).not.toBeNull();
  });

  it('asks again when the stored receipt answers another notice revision', async () => {
    const storage = createMemoryStorage();
    const first = await mount({ storage });
    await first.widget.setConsent({ analytics: true });
    first.widget.destroy();

    const same = await mount({ storage });
    const sameDialog = dialog(same.root);
    const sameConsent = same.widget.getConsent();
    same.widget.destroy();
    const changed = await mount({ storage, notice: { ...EU, version: '2027-01-01.1' } });

    expect(sameDialog).toBeNull();
    expect(sameConsent).toEqual(storage.records[0]);
    expect(dialog(changed.root)).not.toBeNull();
    expect(changed.widget.getConsent()).toBeUndefined();
  });

  it('closes on Escape without recording a choice, and asks again on the next load', async () => {
    const storage = createMemoryStorage();
    const { root, widget } = await mount({ storage });
    const closed = vi.fn();
    widget.on('view:closed', closed);

    await userEvent.keyboard('{Escape}');

    expect(dialog(root)).toBeNull();
    expect(closed).toHaveBeenCalledWith('banner');
    expect(storage.calls).not.toContain('append');

    widget.destroy();

    expect(dialog((await mount({ storage })).root)).not.toBeNull();
  });
});

describe('Widget.setConsent', () => {
  it('records the site’s choice with method api and closes the banner', async () => {
    const { widget, root, storage } = await mount();

    const result = await widget.setConsent({ analytics: true });

    expect(result.ok).toBe(true);
    expect(storage.records[0]).toMatchObject({
      method: 'api',
      purposes: { analytics: true, personalization: false, marketing: false },
    });
    expect(dialog(root)).toBeNull();
  });

  it('records method signal when asked, keeping earlier answers', async () => {
    const { widget, storage } = await mount();

    await widget.setConsent({ analytics: true, personalization: true });
    await widget.setConsent({ marketing: false }, { method: 'signal' });

    expect(storage.records[1]).toMatchObject({
      method: 'signal',
      purposes: { analytics: true, personalization: true, marketing: false },
    });
  });

  it('returns sdk/invalid-options for unknown purposes or non-boolean answers, writing nothing', async () => {
    const { widget, storage } = await mount();

    const unknown = await widget.setConsent({ telemetry: true });
    const notBoolean = await widget.setConsent({ analytics: 'yes' as unknown as boolean });

    expect(unknown).toMatchObject({ ok: false, error: { code: ErrorCode.SdkInvalidOptions } });
    expect(notBoolean.ok).toBe(false);
    expect(storage.records).toHaveLength(0);
  });
});
