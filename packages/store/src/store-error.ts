import { ConsentGateError, ErrorCode } from '@consentgate/core';

/** Platform error names and the store error code each one maps to. */
const CODES: Readonly<Record<string, ErrorCode>> = {
  QuotaExceededError: ErrorCode.StoreQuotaExceeded,
  DataCloneError: ErrorCode.StoreNotCloneable,
  // A connection that is closing or was closed under us: drop it and reopen.
  InvalidStateError: ErrorCode.StoreConnectionLost,
  TransactionInactiveError: ErrorCode.StoreConnectionLost,
  // Chromium reports a connection torn down by "clear site data" or a crashed backend as these.
  UnknownError: ErrorCode.StoreConnectionLost,
  AbortError: ErrorCode.StoreConnectionLost,
  TimeoutError: ErrorCode.StoreTimeout,
};

/** Creates a store error with a cause, when there is one. */
export function storeError(code: ErrorCode, message: string, cause?: unknown): ConsentGateError {
  return new ConsentGateError(code, message, cause === undefined ? {} : { cause });
}

/** Creates the error of an operation on a closed store. */
export function storeClosed(): ConsentGateError {
  return storeError(ErrorCode.StoreConnectionLost, 'store closed');
}

/**
 * Maps whatever a storage operation threw to a {@link ConsentGateError}, keeping the platform
 * error as `cause`. Errors that already are store errors pass through.
 */
export function toStoreError(cause: unknown): ConsentGateError {
  if (cause instanceof ConsentGateError) return cause;
  const name = cause instanceof Error || cause instanceof DOMException ? cause.name : '';
  const code = CODES[name] ?? ErrorCode.StoreUnavailable;
  const message = cause instanceof Error ? cause.message : String(cause);
  return storeError(code, `${name || 'storage error'}: ${message}`, cause);
}

/** Returns whether `error` says the storage quota is used up. */
export function isQuotaError(error: unknown): boolean {
  return toStoreError(error).code === ErrorCode.StoreQuotaExceeded;
}
