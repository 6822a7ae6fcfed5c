/**
 * Every error code ConsentGate reports, as `area/kebab-reason`. Compare against these members
 * rather than string literals.
 *
 * @example
 * ```ts
 * if (result.error.code === ErrorCode.StoreQuotaExceeded) showStorageHint();
 * ```
 */
export const ErrorCode = {
  /** A decision was asked for before any policy was loaded. */
  PolicyNotLoaded: 'policy/not-loaded',
  /** The policy bundle could not be fetched. */
  PolicyFetchFailed: 'policy/fetch-failed',
  /** The fetched policy bundle does not match its expected digest. */
  PolicyIntegrityMismatch: 'policy/integrity-mismatch',
  /** A Content Security Policy forbids compiling WebAssembly on this page. */
  PolicyCspBlocked: 'policy/csp-blocked',
  /** The policy bundle is not valid WebAssembly or failed to instantiate. */
  PolicyCompileFailed: 'policy/compile-failed',
  /** The policy bundle was built for an OPA WebAssembly ABI this engine does not support. */
  PolicyAbiUnsupported: 'policy/abi-unsupported',
  /** The policy engine ran out of WebAssembly memory. */
  PolicyMemoryExhausted: 'policy/memory-exhausted',
  /** Evaluating the policy threw. */
  PolicyEvalFailed: 'policy/eval-failed',
  /** The policy produced no result for the entrypoint; treated as a deny. */
  PolicyUndefinedResult: 'policy/undefined-result',
  /** The policy result does not have the expected `allow` / `reasons` shape; treated as a deny. */
  PolicyMalformedResult: 'policy/malformed-result',
  /** Loading or evaluating the policy took longer than allowed. */
  PolicyTimeout: 'policy/timeout',
  /** The lazily loaded policy engine (its chunk or script) did not load; every decision denies. */
  PolicyEngineFailed: 'policy/engine-failed',
  /** A policy bundle file is larger than the configured limit, so it was not read. */
  PolicyTooLarge: 'policy/too-large',
  /** IndexedDB is missing or refused to open (for example in some private modes). */
  StoreUnavailable: 'store/unavailable',
  /** The browser refused a write because the storage quota is used up. */
  StoreQuotaExceeded: 'store/quota-exceeded',
  /** A database upgrade is blocked by another open tab. */
  StoreBlocked: 'store/blocked',
  /** The database connection was closed by the browser or another tab. */
  StoreConnectionLost: 'store/connection-lost',
  /** A value could not be stored because it is not structured-cloneable. */
  StoreNotCloneable: 'store/not-cloneable',
  /** A storage operation took longer than allowed. */
  StoreTimeout: 'store/timeout',
  /** Encrypted fields of a stored record could not be decrypted (a lost key); they are left out. */
  StoreDecryptFailed: 'store/decrypt-failed',
  /** A record handed to the store does not have the required shape; nothing was written. */
  StoreInvalidRecord: 'store/invalid-record',
  /** A tracked event does not have the required shape. */
  SdkInvalidEvent: 'sdk/invalid-event',
  /** Too many events waited for a decision and the oldest were dropped. */
  SdkQueueOverflow: 'sdk/queue-overflow',
  /** A factory or function was called with invalid options (an integration mistake). */
  SdkInvalidOptions: 'sdk/invalid-options',
  /** A listener or callback the site registered threw; the others still ran. */
  SdkCallbackFailed: 'sdk/callback-failed',
  /** The tracker could not start (its policy or store never arrived); nothing is collected. */
  SdkStartFailed: 'sdk/start-failed',
  /** Processing a batch of events failed unexpectedly; the events were not stored. */
  SdkProcessFailed: 'sdk/process-failed',
  /** The script tag's runtime file failed to load or was refused by SRI; nothing is collected. */
  SdkChunkFailed: 'sdk/chunk-failed',
  /** The widget's file, or its lazily loaded messages or panels, failed to load. */
  WidgetChunkFailed: 'widget/chunk-failed',
  /** The consent choices could not be written, so the visitor's answer was not recorded. */
  WidgetConsentNotSaved: 'widget/consent-not-saved',
  /** The browser is offline, so nothing was sent. */
  TransportOffline: 'transport/offline',
  /** The collector answered with an HTTP error status. */
  TransportHttpError: 'transport/http-error',
  /** The request was aborted before it completed. */
  TransportAborted: 'transport/aborted',
  /** A destination did not confirm an erasure request (unreachable or an HTTP error). */
  TransportEraseFailed: 'transport/erase-failed',
} as const;

/** One of the {@link ErrorCode} values, such as `'store/quota-exceeded'`. */
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

const CODES: ReadonlySet<string> = new Set(Object.values(ErrorCode));

/** Options for the {@link ConsentGateError} constructor. */
export interface ConsentGateErrorOptions {
  /**
   * The underlying error, passed through untouched (for example a `DOMException` from IndexedDB,
   * or a string thrown by a dependency).
   *
   * @default undefined
   */
  cause?: unknown;
}

/**
 * The base class of every error ConsentGate reports, carrying a machine-readable `code` and the
 * original `cause`.
 *
 * @example
 * ```ts
 * new ConsentGateError(ErrorCode.StoreQuotaExceeded, 'consent record not saved', { cause: domException });
 * ```
 */
export class ConsentGateError extends Error {
  /** The error class name; subclasses set their own. */
  override readonly name: string = 'ConsentGateError';
  /** What went wrong, as one of the {@link ErrorCode} values. */
  readonly code: ErrorCode;

  /**
   * @param code - What went wrong.
   * @param message - A short, human-readable explanation.
   */
  constructor(code: ErrorCode, message: string, options: ConsentGateErrorOptions = {}) {
    const { cause } = options;
    super(message, 'cause' in options ? { cause } : undefined);
    this.code = code;
  }
}

/**
 * Returns whether `value` is a {@link ConsentGateError}.
 *
 * Besides `instanceof`, it accepts any `Error` whose `code` is a known {@link ErrorCode}, so an
 * error created by another ConsentGate bundle on the same page (the widget script and the sdk,
 * say) is recognised too.
 */
export function isConsentGateError(value: unknown): value is ConsentGateError {
  if (value instanceof ConsentGateError) return true;
  if (!(value instanceof Error) || !('code' in value)) return false;
  const { code } = value;
  return typeof code === 'string' && CODES.has(code);
}
