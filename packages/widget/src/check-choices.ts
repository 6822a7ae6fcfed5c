import { ConsentGateError, ErrorCode, err, ok } from '@consentgate/core';
import type { Notice, Result } from '@consentgate/core';

import type { ConsentChoices } from './consent-choices.js';
import type { SetConsentOptions } from './widget.js';

/**
 * Checks what a site passed to `setConsent` and returns the method to record, or
 * `sdk/invalid-options` (as a value: the call must not throw on a visitor's page) when `choices`
 * names a purpose `notice` does not have, holds a non-boolean answer, or `method` is neither
 * `'api'` nor `'signal'`.
 */
export function checkChoices(
  notice: Notice,
  choices: ConsentChoices,
  options: SetConsentOptions,
): Result<NonNullable<SetConsentOptions['method']>> {
  const { method = 'api' } = options;
  const known = new Set(notice.purposes.map((purpose) => purpose.id));
  // A non-object becomes one invalid entry, so it fails the same check.
  const entries = Object.entries(typeof choices === 'object' && choices ? choices : { '': 0 });
  if (
    (method !== 'api' && method !== 'signal') ||
    !entries.every(([id, yes]) => known.has(id) && typeof yes === 'boolean')
  ) {
    return err(
      new ConsentGateError(
        ErrorCode.SdkInvalidOptions,
        'setConsent: choices must map known purpose ids to booleans; method api or signal',
      ),
    );
  }
  return ok(method);
}
