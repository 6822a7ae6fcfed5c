import { page } from 'vitest/browser';
import { afterEach, describe, expect, it } from 'vitest';

import { mount, unmountAll } from './fixtures/harness.js';
import { loadMessages } from './load-messages.js';

afterEach(unmountAll);

/** Messages modules this page fetched, by file name. */
function fetchedMessages(): string[] {
  return performance
    .getEntriesByType('resource')
    .map((entry) => new URL(entry.name).pathname)
    .filter((path) => path.includes('/src/messages/'))
    .map((path) => path.split('/').pop() ?? '');
}

// This file only ever shows English: every module it loads is in this page's resource timing.
describe(loadMessages, () => {
  it('fetches only the active locale, banner first and the second layer after it', async () => {
    const { widget } = await mount({ locale: 'en' });
    const withBanner = fetchedMessages();

    widget.showPreferences();
    await expect.element(page.getByRole('switch', { name: 'Analytics' })).toBeVisible();

    expect(withBanner).toContain('en.ts');
    expect(fetchedMessages()).toEqual(expect.arrayContaining(['en.ts', 'en-panels.ts']));
    expect(fetchedMessages().filter((file) => file.startsWith('ja'))).toEqual([]);
  });
});
