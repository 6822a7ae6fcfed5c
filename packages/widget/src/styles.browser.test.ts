import { page } from 'vitest/browser';
import { afterEach, describe, expect, it } from 'vitest';

import { button, dialog, mount, unmountAll } from './fixtures/harness.js';
import { PANEL_CSS } from './panel-styles.js';
import { CSS, adoptStyles } from './styles.js';

afterEach(unmountAll);

/** Resolves after the browser rendered two more frames. */
const frames = () =>
  new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));

describe(adoptStyles, () => {
  it('styles the shadow root through adopted stylesheets only: no <style>, no style attribute', async () => {
    const { widget, root } = await mount();
    widget.showPreferences();
    await expect.element(page.getByRole('switch', { name: 'Analytics' })).toBeVisible();

    expect(root.adoptedStyleSheets).toHaveLength(2);
    expect(root.querySelectorAll('style, link')).toHaveLength(0);
    expect(root.querySelectorAll('[style]')).toHaveLength(0);
    expect(widget.host.hasAttribute('style')).toBe(false);
  });

  it('is themed by --cg-* custom properties on the host or the page', async () => {
    const { widget, root } = await mount();
    const theme = new CSSStyleSheet();
    theme.replaceSync(
      'consentgate-widget{--cg-accent:rgb(120, 0, 60);--cg-radius:0px} :root{--cg-bg:rgb(250, 240, 230)}',
    );
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, theme];

    const accept = getComputedStyle(button(root, 'Accept all'));
    const themed = [
      accept.backgroundColor,
      accept.borderTopLeftRadius,
      getComputedStyle(dialog(root) as HTMLElement).backgroundColor,
    ];
    document.adoptedStyleSheets = document.adoptedStyleSheets.filter((sheet) => sheet !== theme);

    expect(themed).toEqual(['rgb(120, 0, 60)', '0px', 'rgb(250, 240, 230)']);
    expect(accept.backgroundColor).toBe('rgb(29, 78, 216)');
    expect(widget.host.tagName).toBe('CONSENTGATE-WIDGET');
  });

  it('puts every animation and transition behind prefers-reduced-motion: no-preference', () => {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS + PANEL_CSS);
    const moving = (rule: CSSRule) =>
      rule instanceof CSSStyleRule &&
      ['animation-name', 'transition-property'].some(
        (name) => !['', 'initial', 'none'].includes(rule.style.getPropertyValue(name)),
      );
    const outside = [...sheet.cssRules].filter(moving);
    const inside = [...sheet.cssRules]
      .filter((rule): rule is CSSMediaRule => rule instanceof CSSMediaRule)
      .filter((rule) => rule.conditionText === '(prefers-reduced-motion: no-preference)')
      .flatMap((rule) => [...rule.cssRules].filter(moving));

    expect(outside).toEqual([]);
    expect(inside.length).toBeGreaterThan(0);
  });
  // Last in this file: a CSP, once in force, stays for the document.
  it('works under a Content Security Policy without unsafe-inline styles', async () => {
    const violations: string[] = [];
    const onViolation = (event: SecurityPolicyViolationEvent) =>
      violations.push(event.effectiveDirective);
    document.addEventListener('securitypolicyviolation', onViolation);
    const meta = document.createElement('meta');
    meta.httpEquiv = 'Content-Security-Policy';
    meta.content = "style-src 'self'; style-src-attr 'none'";
    document.head.append(meta);
    // The policy is in force: an inline style element is now refused.
    const probe = document.createElement('style');
    probe.textContent = 'body{}';
    document.head.append(probe);
    await frames();
    const probed = violations.length;

    const { root } = await mount();
    const accept = button(root, 'Accept all');
    await frames();
    document.removeEventListener('securitypolicyviolation', onViolation);
    probe.remove();

    expect(probed).toBeGreaterThan(0);
    expect(violations).toHaveLength(probed);
    expect(getComputedStyle(accept).backgroundColor).toBe('rgb(29, 78, 216)');
    expect(getComputedStyle(dialog(root)?.parentElement as HTMLElement).position).toBe('fixed');
  });
});
