import type { Signals } from '@consentgate/core';

/**
 * Reads the browser's privacy signals and returns them: today Global Privacy Control
 * (`navigator.globalPrivacyControl`). Only the literal `true` counts as an opt-out signal.
 */
export function readSignals(nav: object | undefined = globalThis.navigator): Signals {
  try {
    const gpc = (nav as { globalPrivacyControl?: unknown } | undefined)?.globalPrivacyControl;
    return { gpc: gpc === true };
  } catch {
    return { gpc: false };
  }
}
