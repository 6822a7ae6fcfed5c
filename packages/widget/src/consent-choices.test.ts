import { describe, expect, it } from 'vitest';

import { initialChoices, normaliseChoices, presetChoices } from './consent-choices.js';
import { EU, JP, US_CA, US_CA_GPC } from './fixtures/notices.js';

describe(presetChoices, () => {
  it('switches every optional purpose on for accept and off for reject', () => {
    expect(presetChoices(EU, 'accept')).toEqual({
      analytics: true,
      personalization: true,
      marketing: true,
      functional: true,
    });
    expect(presetChoices(EU, 'reject')).toEqual({
      analytics: false,
      personalization: false,
      marketing: false,
      functional: false,
    });
  });

  it('switches off only sale/share purposes for do-not-sell', () => {
    expect(presetChoices(US_CA, 'do-not-sell')).toEqual({
      analytics: true,
      personalization: true,
      marketing: false,
      functional: true,
    });
  });

  it('keeps a purpose GPC locked off even when everything is accepted', () => {
    expect(presetChoices(US_CA_GPC, 'accept')).toEqual({
      analytics: true,
      personalization: true,
      marketing: false,
      functional: true,
    });
  });
});

describe(initialChoices, () => {
  it('pre-ticks nothing in opt-in mode, even where the policy default is on (JP)', () => {
    expect(JP.purposes.find((purpose) => purpose.id === 'analytics')?.default).toBe(true);

    expect(initialChoices(JP, undefined)).toEqual({
      analytics: false,
      personalization: false,
      marketing: false,
      functional: false,
    });
    expect(Object.values(initialChoices(EU, undefined))).not.toContain(true);
  });

  it('starts from the policy defaults in opt-out mode, GPC-locked purposes off', () => {
    expect(initialChoices(US_CA, undefined)).toEqual({
      analytics: true,
      personalization: true,
      marketing: true,
      functional: true,
    });
    expect(initialChoices(US_CA_GPC, undefined).marketing).toBe(false);
  });

  it('starts from the current answers when there are some', () => {
    expect(initialChoices(EU, { analytics: true })).toEqual({
      analytics: true,
      personalization: false,
      marketing: false,
      functional: false,
    });
  });
});

describe(normaliseChoices, () => {
  it('records a boolean for every optional purpose and nothing else', () => {
    const choices = normaliseChoices(EU, {
      essential: false,
      analytics: true,
      unknown: true,
      marketing: 'yes' as unknown as boolean,
    });

    expect(choices).toEqual({
      analytics: true,
      personalization: false,
      marketing: false,
      functional: false,
    });
  });
});
