/**
 * Google Consent Mode v2 bridge: tells Google tags what the visitor allowed, by purpose, without
 * loading anything from Google. Tags read these commands from `window.dataLayer`.
 */

/** A Consent Mode signal value. */
export type ConsentModeValue = 'granted' | 'denied';

/** The seven Consent Mode v2 signals. */
export interface ConsentModeState {
  readonly ad_storage: ConsentModeValue;
  readonly ad_user_data: ConsentModeValue;
  readonly ad_personalization: ConsentModeValue;
  readonly analytics_storage: ConsentModeValue;
  readonly functionality_storage: ConsentModeValue;
  readonly personalization_storage: ConsentModeValue;
  readonly security_storage: ConsentModeValue;
}

/** Which purpose grants which signals; signals no listed purpose grants stay denied. */
export type ConsentModeMapping = Readonly<Record<keyof ConsentModeState, readonly string[]>>;

/**
 * The storefront mapping: advertising signals follow `marketing`, analytics follows `analytics`,
 * personalisation follows `personalization`, and what keeps the site working or secure follows
 * `essential` (always allowed).
 */
export const DEFAULT_CONSENT_MODE_MAPPING: ConsentModeMapping = {
  ad_storage: ['marketing'],
  ad_user_data: ['marketing'],
  ad_personalization: ['marketing'],
  analytics_storage: ['analytics'],
  functionality_storage: ['essential'],
  personalization_storage: ['personalization'],
  security_storage: ['essential'],
};

type DataLayer = unknown[];

/** Options for {@link createConsentMode}. */
export interface ConsentModeOptions {
  /**
   * The window whose `dataLayer` receives the commands.
   * @default globalThis
   */
  readonly target?: { dataLayer?: DataLayer };
  /** @default DEFAULT_CONSENT_MODE_MAPPING */
  readonly mapping?: ConsentModeMapping;
  /**
   * ISO 3166 region codes the denied default applies to; empty means everywhere.
   * @default [] (everywhere)
   */
  readonly regions?: readonly string[];
  /**
   * Milliseconds tags wait for the first update before firing with the defaults.
   * @default 500
   */
  readonly waitForUpdateMs?: number;
}

/** The bridge returned by {@link createConsentMode}. */
export interface ConsentMode {
  /** Pushes the all-denied default (except essential signals); call before any tag runs. */
  setDefaults(): void;
  /** Pushes an update computed from which purposes are allowed now, and returns it. */
  update(allowed: (purpose: string) => boolean): ConsentModeState;
}

/**
 * Creates a Consent Mode v2 bridge and returns its `setDefaults` and `update` functions.
 *
 * @example
 * ```ts
 * const consentMode = createConsentMode({ regions: ['JP', 'DE'] });
 * consentMode.setDefaults();
 * tracker.on('consent:updated', () => consentMode.update((p) => tracker.granted(p)));
 * ```
 */
export function createConsentMode(options: ConsentModeOptions = {}): ConsentMode {
  const target = options.target ?? (globalThis as { dataLayer?: DataLayer });
  const mapping = options.mapping ?? DEFAULT_CONSENT_MODE_MAPPING;
  const push = (...command: unknown[]) => {
    target.dataLayer ??= [];
    // gtag() pushes its `arguments` object, and tags only recognise commands in that shape.
    target.dataLayer.push(toArguments(...command));
  };
  const state = (allowed: (purpose: string) => boolean) =>
    Object.fromEntries(
      Object.entries(mapping).map(([signal, purposes]) => [
        signal,
        purposes.some((p) => safely(() => allowed(p))) ? 'granted' : 'denied',
      ]),
    ) as unknown as ConsentModeState;
  return {
    setDefaults() {
      const defaults: Record<string, unknown> = {
        ...state((purpose) => purpose === 'essential'),
        wait_for_update: options.waitForUpdateMs ?? 500,
      };
      if (options.regions && options.regions.length > 0) defaults.region = [...options.regions];
      push('consent', 'default', defaults);
    },
    update(allowed) {
      const next = state(allowed);
      push('consent', 'update', { ...next });
      return next;
    },
  };
}

function toArguments(..._command: unknown[]): IArguments {
  // eslint-disable-next-line prefer-rest-params -- tags require a real `arguments` object
  return arguments;
}

function safely(fn: () => boolean): boolean {
  try {
    return fn() === true;
  } catch {
    return false;
  }
}
