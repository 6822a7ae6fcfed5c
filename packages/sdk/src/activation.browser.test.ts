import { afterEach, describe, expect, it } from 'vitest';

import { createActivator } from './activation.js';
import type { Activator } from './activation.js';

declare global {
  interface Window {
    __cgPixelRuns?: number;
  }
}

const PIXEL = 'data:text/javascript,window.__cgPixelRuns=(window.__cgPixelRuns||0)+1';

const host = document.createElement('div');
document.body.append(host);
let activator: Activator | undefined;

afterEach(() => {
  activator?.stop();
  host.replaceChildren();
  delete window.__cgPixelRuns;
});

function tagged(html: string) {
  host.insertAdjacentHTML('beforeend', html);
}

/** Resolves once a freshly inserted classic script has had a chance to load and run. */
function scriptSettled(): Promise<void> {
  const scripts = [...host.querySelectorAll('script[data-cg-activated]')] as HTMLScriptElement[];
  return Promise.all(
    scripts.map(
      (s) =>
        new Promise<void>((resolve) => {
          s.addEventListener('load', () => resolve(), { once: true });
          s.addEventListener('error', () => resolve(), { once: true });
        }),
    ),
  ).then(() => undefined);
}

describe(createActivator, () => {
  it('leaves a tagged script blocked while the policy says no', async () => {
    tagged(`<script type="text/plain" data-cg-purpose="marketing" data-src="${PIXEL}"></script>`);
    const asked: unknown[] = [];
    activator = createActivator({ decide: (s) => (asked.push(s), false) });

    await activator.start();

    expect(asked).toEqual([{ purpose: 'marketing', src: PIXEL }]);
    expect(host.querySelector('script')?.type).toBe('text/plain');
    expect(window.__cgPixelRuns).toBeUndefined();
  });

  it('runs a tagged script once the policy allows it', async () => {
    tagged(
      `<script type="text/plain" data-cg-purpose="marketing" data-src="${PIXEL}" data-extra="1"></script>`,
    );
    let allowed = false;
    activator = createActivator({ decide: () => allowed });
    await activator.start();

    allowed = true;
    await activator.refresh();
    await scriptSettled();

    const script = host.querySelector('script');
    expect(script?.hasAttribute('data-cg-activated')).toBe(true);
    expect(script?.getAttribute('data-extra')).toBe('1');
    expect(window.__cgPixelRuns).toBe(1);
  });

  it('handles tagged elements added after start', async () => {
    activator = createActivator({ decide: () => true });
    await activator.start();

    tagged(
      `<div><iframe data-cg-purpose="personalization" data-src="about:blank#chat"></iframe></div>`,
    );
    await new Promise((resolve) => setTimeout(resolve, 0));
    await activator.refresh();

    expect(host.querySelector('iframe')?.getAttribute('src')).toBe('about:blank#chat');
  });

  it('blanks an iframe when its purpose is withdrawn and counts scripts that already ran', async () => {
    tagged(`<iframe data-cg-purpose="personalization" data-src="about:blank#chat"></iframe>`);
    tagged(`<script type="text/plain" data-cg-purpose="marketing" data-src="${PIXEL}"></script>`);
    let allowed = true;
    activator = createActivator({ decide: () => allowed });
    await activator.start();
    await scriptSettled();

    allowed = false;
    const result = await activator.refresh();

    expect(host.querySelector('iframe')?.getAttribute('src')).toBe('about:blank');
    expect(result.stillRunning).toBe(1);
    expect(window.__cgPixelRuns).toBe(1);
  });

  it('keeps an element blocked and reports the error when deciding throws', async () => {
    tagged(`<script type="text/plain" data-cg-purpose="marketing" data-src="${PIXEL}"></script>`);
    const errors: unknown[] = [];
    activator = createActivator({
      decide: () => {
        throw new Error('policy broke');
      },
      onError: (error) => errors.push(error),
    });

    await activator.start();

    expect(host.querySelector('script')?.type).toBe('text/plain');
    expect(errors).toHaveLength(1);
  });

  it('ignores elements without a purpose', async () => {
    tagged(`<script type="text/plain" data-src="${PIXEL}"></script>`);
    activator = createActivator({ decide: () => true });

    await activator.start();

    expect(host.querySelector('script')?.hasAttribute('data-cg-activated')).toBe(false);
  });
});
