import { ConsentGateError, ErrorCode } from '@consentgate/core';

import type { ScriptConfig } from './chunks.js';
import { consentModeEnabled } from './consent-mode-defaults.js';
import type { ConsentGateOptions } from './consent-gate.js';

/** The shortest `data-salt` the tracker accepts. */
const MIN_SALT_LENGTH = 16;

/**
 * Turns the script tag's `data-*` attributes into {@link ConsentGateOptions} and returns them.
 * Internal: the runtime chunk's first step.
 *
 * @throws {@link ConsentGateError} `sdk/invalid-options`, naming the attribute, when `data-policy`
 * or `data-salt` is missing or malformed.
 */
export function toConsentGateOptions(config: ScriptConfig): ConsentGateOptions {
  const { policy, salt } = config;
  if (!policy) {
    invalid('data-policy (the URL of the policy bundle’s manifest.json) is missing');
  }
  if (!salt || salt.length < MIN_SALT_LENGTH) {
    invalid(`data-salt must be a per-site secret of at least ${MIN_SALT_LENGTH} characters`);
  }
  return {
    policy,
    salt,
    consentMode: consentModeEnabled(config.consentMode),
    ...(config.policyDigest ? { policyDigest: config.policyDigest } : {}),
    ...(config.collector ? { collector: config.collector } : {}),
    ...(config.jurisdiction ? { jurisdiction: config.jurisdiction } : {}),
    ...(config.locale ? { locale: config.locale } : {}),
    ...(config.store ? { storeName: config.store } : {}),
  };
}

function invalid(message: string): never {
  throw new ConsentGateError(
    ErrorCode.SdkInvalidOptions,
    `the consentgate.js script tag: ${message}; nothing is collected`,
  );
}
