import { ErrorCode } from '@consentgate/core';
import type { ConsentGateError, PolicyScript, Purpose } from '@consentgate/core';

import { asError } from './as-error.js';
import { createActivator } from './activation.js';
import type { Activator } from './activation.js';
import { createConsentMode } from './consent-mode.js';
import type { ConsentModeOptions } from './consent-mode.js';
import { deleteCookies } from './cookies.js';

/** What {@link createPageEffects} needs. */
export interface PageEffectsOptions {
  /** Bridge to Google Consent Mode v2 (`true` for the default mapping). @default false */
  readonly consentMode?: boolean | ConsentModeOptions;
  /** Cookies each purpose's tags set, deleted when it is withdrawn. @default {} */
  readonly cookies?: Readonly<Record<string, readonly string[]>>;
  readonly onError: (error: ConsentGateError) => void;
}

/** What the page runs under the consent in force: tagged scripts, Consent Mode and cookies. */
export interface PageEffects {
  /** Starts activating tagged scripts and iframes that `decide` allows. */
  activateTags(decide: (script: PolicyScript) => boolean): void;
  /** After a consent change: updates Consent Mode and re-decides the tagged elements. */
  consentChanged(granted: (purpose: Purpose) => boolean): void;
  /** After a withdrawal: deletes the cookies the purpose declared. */
  withdrawn(purpose: Purpose): void;
  /** Stops the tag activator. */
  stop(): void;
}

/**
 * Creates the page-side effects of consent and returns their controls. The Consent Mode default
 * (everything denied) is pushed at once, before any Google tag can run.
 */
export function createPageEffects(options: PageEffectsOptions): PageEffects {
  const consentMode = options.consentMode
    ? createConsentMode(options.consentMode === true ? {} : options.consentMode)
    : undefined;
  consentMode?.setDefaults();
  const state = { activator: undefined as Activator | undefined };

  return {
    activateTags(decide) {
      state.activator = createActivator({
        decide,
        onError: (error) =>
          options.onError(asError(error, ErrorCode.PolicyEvalFailed, 'tag not decided')),
      });
      void state.activator.start();
    },
    consentChanged(granted) {
      consentMode?.update(granted);
      void state.activator?.refresh();
    },
    withdrawn(purpose) {
      // Outside a browser (no document) there are no cookies, and deleteCookies does nothing.
      const names = options.cookies?.[purpose];
      if (names) deleteCookies(names);
    },
    stop() {
      state.activator?.stop();
    },
  };
}
