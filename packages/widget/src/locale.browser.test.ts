import { afterEach, describe, expect, it } from 'vitest';

import { button, mount, unmountAll } from './fixtures/harness.js';
import { resolveLocale } from './locale.js';

afterEach(() => {
  unmountAll();
  document.documentElement.lang = '';
});

describe(resolveLocale, () => {
  it('takes the page’s lang when no locale is configured', async () => {
    document.documentElement.lang = 'ja-JP';

    const { root } = await mount({ locale: undefined });

    expect(button(root, 'すべて同意する')).toBeTruthy();
  });

  it('lets the configured locale win over the page’s lang', async () => {
    document.documentElement.lang = 'ja';

    const { root } = await mount({ locale: 'en-GB' });

    expect(button(root, 'Accept all')).toBeTruthy();
  });

  it('falls back to English for a locale without messages', async () => {
    document.documentElement.lang = 'fr';

    const { root } = await mount({ locale: undefined });

    expect(button(root, 'Accept all')).toBeTruthy();
  });

  it('applies message overrides on top of the locale', async () => {
    const { root } = await mount({ locale: 'ja', messages: { acceptAll: '同意' } });

    expect(button(root, '同意')).toBeTruthy();
    expect(button(root, 'すべて拒否する')).toBeTruthy();
  });
});
