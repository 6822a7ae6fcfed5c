import { ConsentGateError, err } from '@consentgate/core';
import type { Err, ErrorCode } from '@consentgate/core';

/**
 * Returns `error` when it is a `ConsentGateError` already, else a new one with `code` and
 * `message` that carries `error` as its `cause`.
 */
export function asError(error: unknown, code: ErrorCode, message: string): ConsentGateError {
  return error instanceof ConsentGateError
    ? error
    : new ConsentGateError(code, message, { cause: error });
}

/**
 * Reports `error` (made a `ConsentGateError` as {@link asError} does) through `onError` and
 * returns it as a failed `Result`.
 */
export function reportError(
  onError: (error: ConsentGateError) => void,
  error: unknown,
  code: ErrorCode,
  message: string,
): Err<ConsentGateError> {
  const wrapped = asError(error, code, message);
  onError(wrapped);
  return err(wrapped);
}
