import { ConsentGateError, ErrorCode } from '@consentgate/core';

/** Option name → the `typeof` an optional option must have when it is given. */
const OPTIONAL_TYPES: Readonly<Record<string, string>> = {
  locale: 'string',
  messages: 'object',
  container: 'object',
  reopenButton: 'boolean',
  now: 'function',
  onConsent: 'function',
};

/** The ConsentStorage methods the widget calls, as paths. */
const STORAGE_METHODS = [
  'consent.append',
  'consent.latest',
  'consent.history',
  'events.list',
  'audit.list',
  'eraseAll',
  'export',
];

/** Reads `path` (dot-separated) from `value`, or `undefined` when any step is missing. */
function get(value: unknown, path: string): unknown {
  let current = value;
  for (const key of path.split('.')) {
    current = current === null || current === undefined ? undefined : (current as never)[key];
  }
  return current;
}

/** Whether `purpose` has what the widget renders and decides on. */
function isPurpose(purpose: unknown): boolean {
  return (
    typeof get(purpose, 'id') === 'string' &&
    typeof get(purpose, 'locked') === 'boolean' &&
    ['title', 'description'].every((key) => typeof get(purpose, key) === 'object') &&
    ['categories', 'recipients', 'reasons'].every((key) => Array.isArray(get(purpose, key)))
  );
}

/** Returns the name of the first invalid option, or `undefined` when all are valid. */
function firstInvalid(options: unknown): string | undefined {
  const purposes = get(options, 'notice.purposes');
  if (
    !/^opt-(in|out)$/.test(String(get(options, 'notice.mode'))) ||
    !get(options, 'notice.controller.contact') ||
    !get(options, 'notice.gpc') ||
    !get(options, 'notice.reasons') ||
    !Array.isArray(purposes) ||
    !purposes.every(isPurpose)
  ) {
    return 'notice';
  }
  const digest = get(options, 'policyDigest');
  if (typeof digest !== 'string' || !digest) return 'policyDigest';
  if (STORAGE_METHODS.some((path) => typeof get(options, `storage.${path}`) !== 'function')) {
    return 'storage';
  }
  return Object.keys(OPTIONAL_TYPES).find((name) => {
    const value = get(options, name);
    return value !== undefined && (value === null || typeof value !== OPTIONAL_TYPES[name]);
  });
}

/**
 * Checks the options of `createWidget` once, synchronously, and returns nothing.
 *
 * @throws {@link ConsentGateError} `sdk/invalid-options` naming the first invalid option.
 */
export function assertOptions(options: unknown): void {
  const invalid = firstInvalid(options);
  if (invalid) {
    throw new ConsentGateError(ErrorCode.SdkInvalidOptions, `createWidget: invalid \`${invalid}\``);
  }
}
