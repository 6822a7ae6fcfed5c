import { describe, expect, it } from 'vitest';

import { createConsentMode } from '@consentgate/sdk';

import { consentModeEnabled, pushConsentModeDefaults } from './consent-mode-defaults.js';

/** The pushed commands as plain arrays (they are `arguments` objects). */
const commands = (dataLayer: unknown[] | undefined) =>
  (dataLayer ?? []).map((command) => Array.from(command as ArrayLike<unknown>));

describe(pushConsentModeDefaults, () => {
  it('pushes the same default as the sdk bridge', () => {
    const bootstrap: { dataLayer?: unknown[] } = {};
    const sdk: { dataLayer?: unknown[] } = {};

    pushConsentModeDefaults(bootstrap);
    createConsentMode({ target: sdk }).setDefaults();

    expect(commands(bootstrap.dataLayer)).toEqual(commands(sdk.dataLayer));
  });

  it('pushes an arguments object, as gtag() does, after what the page already queued', () => {
    const target = { dataLayer: ['earlier'] as unknown[] };

    pushConsentModeDefaults(target);

    expect(target.dataLayer[0]).toBe('earlier');
    expect(Object.prototype.toString.call(target.dataLayer[1])).toBe('[object Arguments]');
  });
});

describe(consentModeEnabled, () => {
  it('is on unless the attribute says false', () => {
    expect([undefined, '', 'true', 'on'].map(consentModeEnabled)).toEqual([true, true, true, true]);
    expect(consentModeEnabled('false')).toBe(false);
  });
});
