import type { BannerMessages } from '../messages.js';

/** The widget's English messages of the banner. */
export const en: BannerMessages = {
  bannerTitle: 'Your privacy choices',
  bannerOptIn:
    '{controller} asks to use data about your visit for these purposes. Until you choose, only what the shop needs to work is collected. You can change your mind at any time.',
  bannerOptOut:
    '{controller} uses data about your visit for these purposes. You can opt out at any time, including of the sale or sharing of your personal information.',
  alwaysOnSuffix: '(always on)',
  acceptAll: 'Accept all',
  rejectAll: 'Reject all',
  acknowledge: 'OK',
  doNotSell: 'Do not sell or share my personal information',
  customise: 'Customise',
  gpcHonoured:
    'Global Privacy Control honoured: we do not sell or share your personal information.',
  privacyPolicy: 'Privacy policy',
  saveFailed: 'Your choice could not be saved, so nothing optional is collected. Please try again.',
  reopen: 'Privacy preferences',
};
