import { ConsentGateError, ErrorCode, err, isConsentGateError } from '@consentgate/core';
import type { Result } from '@consentgate/core';

/**
 * Calls a storage method and returns its `Result`. A storage that throws or rejects instead
 * breaks its contract; that becomes a failed `Result` too: a thrown `ConsentGateError` as it is,
 * anything else wrapped with `code` (`store/unavailable` unless given).
 */
export async function callStorage<T>(
  operation: () => Promise<Result<T>>,
  code: ErrorCode = ErrorCode.StoreUnavailable,
): Promise<Result<T>> {
  try {
    return await operation();
  } catch (error) {
    return err(
      isConsentGateError(error)
        ? error
        : new ConsentGateError(code, 'storage threw', { cause: error }),
    );
  }
}
