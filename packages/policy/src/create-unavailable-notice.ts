import type { Notice } from '@consentgate/core';

import { deepFreeze } from './deep-freeze.js';

/**
 * Builds the notice a banner shows when no policy bundle could be verified (it is missing,
 * corrupted, or not the pinned one), so not even the catalog is known, and returns it frozen.
 * Where a bundle was verified but cannot run, use the policy's own `notice` answer instead: it is
 * built from the catalog (see `Policy.notice`).
 *
 * It lists only the strictly necessary purpose and says that nothing is collected, which is true:
 * without a policy every decision denies. It cites no catalog version (`version` is empty), and
 * since there is no policy digest either, no consent receipt can be written against it.
 *
 * @param controllerName - Who is asking, in plain words (a script tag uses the page's host name).
 *
 * @example
 * ```ts
 * const notice = policy.notice(input).decision ?? createUnavailableNotice(location.hostname);
 * ```
 */
export function createUnavailableNotice(controllerName: string): Notice {
  return deepFreeze({
    jurisdiction: 'default',
    regime: 'strict default',
    mode: 'opt-in',
    version: '',
    gpc: { detected: false, applied: false },
    controller: { name: { en: controllerName, ja: controllerName }, contact: {} },
    purposes: [
      {
        id: 'essential',
        consent: 'none',
        required: true,
        default: true,
        locked: true,
        allowed: true,
        legal_basis: 'strictly-necessary',
        sale_share: false,
        local_only: true,
        retention_days: 7,
        title: { en: 'Strictly necessary', ja: '必須' },
        description: {
          en: 'This site could not load its privacy policy, so it collects nothing about your visit.',
          ja: 'プライバシーポリシーを読み込めなかったため、このサイトは閲覧に関するデータを収集しません。',
        },
        categories: [],
        recipients: [],
        reasons: [],
      },
    ],
    reasons: {},
  });
}
