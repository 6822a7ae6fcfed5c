import { describe, expect, it } from 'vitest';

import { createConsentMode } from './consent-mode.js';

const commands = (layer: unknown[]) =>
  layer.map((entry) => Array.from(entry as IArguments) as unknown[]);

describe(createConsentMode, () => {
  it('defaults every signal to denied except what keeps the site working', () => {
    const target: { dataLayer?: unknown[] } = {};

    createConsentMode({ target, regions: ['JP', 'DE'] }).setDefaults();

    expect(commands(target.dataLayer!)).toEqual([
      [
        'consent',
        'default',
        {
          ad_storage: 'denied',
          ad_user_data: 'denied',
          ad_personalization: 'denied',
          analytics_storage: 'denied',
          functionality_storage: 'granted',
          personalization_storage: 'denied',
          security_storage: 'granted',
          wait_for_update: 500,
          region: ['JP', 'DE'],
        },
      ],
    ]);
  });

  it('pushes real arguments objects, the shape tags recognise', () => {
    const target: { dataLayer?: unknown[] } = { dataLayer: [] };

    createConsentMode({ target }).setDefaults();

    expect(Object.prototype.toString.call(target.dataLayer![0])).toBe('[object Arguments]');
  });

  it('maps each purpose to all seven signals on update', () => {
    const target: { dataLayer?: unknown[] } = {};
    const mode = createConsentMode({ target });

    const state = mode.update((purpose) => purpose === 'analytics' || purpose === 'marketing');

    expect(state).toEqual({
      ad_storage: 'granted',
      ad_user_data: 'granted',
      ad_personalization: 'granted',
      analytics_storage: 'granted',
      functionality_storage: 'denied',
      personalization_storage: 'denied',
      security_storage: 'denied',
    });
    expect(commands(target.dataLayer!)[0]?.slice(0, 2)).toEqual(['consent', 'update']);
  });

  it('treats a throwing predicate as denied', () => {
    const mode = createConsentMode({ target: {} });

    const state = mode.update(() => {
      throw new Error('broken');
    });

    expect(Object.values(state).every((v) => v === 'denied')).toBe(true);
  });
});
