import type { ConsentGateError } from './errors.js';

/** The success branch of a {@link Result}. */
export type Ok<T> = { readonly ok: true; readonly value: T };

/** The failure branch of a {@link Result}. */
export type Err<E> = { readonly ok: false; readonly error: E };

/**
 * The outcome of an operation that can fail in an expected way: either `{ ok: true, value }` or
 * `{ ok: false, error }`. Narrow it on `ok`.
 *
 * @example
 * ```ts
 * const result = await loadPolicy(url);
 * if (!result.ok) return deny(result.error.code);
 * use(result.value);
 * ```
 */
export type Result<T, E = ConsentGateError> = Ok<T> | Err<E>;

/**
 * Wraps a value as a successful {@link Result} and returns it.
 *
 * @example
 * ```ts
 * return ok(record);
 * ```
 */
export function ok(): Ok<undefined>;
export function ok<T>(value: T): Ok<T>;
export function ok<T>(value?: T): Ok<T | undefined> {
  return { ok: true, value };
}

/**
 * Wraps an error as a failed {@link Result} and returns it.
 *
 * @example
 * ```ts
 * return err(new ConsentGateError(ErrorCode.StoreBlocked, 'database upgrade is blocked'));
 * ```
 */
export function err<E>(error: E): Err<E> {
  return { ok: false, error };
}
